import { describe, expect, it } from "vitest";
import { compactYuan, monthlyChart, tickStep } from "./chart.ts";

describe("the monthly chart", () => {
  it("picks whole-yuan tick steps of 1, 2, 2.5 or 5 times a power of ten, at most five of them", () => {
    expect(tickStep(105110000n, 2)).toBe(25000000n); // ¥1,051,100.00 → steps of ¥250,000
    expect(tickStep(100n, 2)).toBe(100n);
    expect(tickStep(900n, 2)).toBe(200n);
    expect(tickStep(1n, 2)).toBe(100n);
  });

  it("labels the axis in 万 for Chinese and K/M for English", () => {
    expect(compactYuan(25000000n, 2, "zh-CN")).toBe("25万");
    expect(compactYuan(125000000n, 2, "en")).toBe("1.25M");
    expect(compactYuan(250000n, 2, "en")).toBe("2.5K");
    expect(compactYuan(0n, 2, "en")).toBe("0");
  });

  it("draws a bar per month and figure, tall in proportion, each with its exact amount as a tooltip", async () => {
    const svg = String(
      await monthlyChart(
        [
          { month: "2010-01", collections: "1051100.00", payouts: "525550.00" },
          { month: "2010-02", collections: "0.00", payouts: "12.34" },
        ],
        "zh-CN",
      ),
    );
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect class="bar-/g)).toHaveLength(4);
    expect(svg).toContain("2010-01 收入 ¥1,051,100.00");
    expect(svg).toContain("2010-02 支出 ¥12.34");
    const heights = [...svg.matchAll(/class="bar-\w+"[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights[0]).toBeCloseTo((heights[1] ?? 0) * 2, 0);
    expect(heights[2]).toBe(0);
  });
});
