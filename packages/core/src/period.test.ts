import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkPeriodRange,
  comparePeriods,
  monthIndex,
  monthsFrom,
  nextPeriod,
  PERIOD_BOUNDS,
  parsePeriod,
  periodAt,
  periodInBounds,
  periodsThrough,
  previousPeriod,
  yearInBounds,
} from "./period.ts";

const LAST_INDEX = 9999 * 12 + 11;
const anyIndex = fc.integer({ min: 0, max: LAST_INDEX });
const period = anyIndex.map(periodAt);

describe("periods as month numbers", () => {
  it("reads and writes a period the same way", () => {
    expect(monthIndex("2010-01")).toBe(2010 * 12);
    expect(monthIndex("2010-12")).toBe(2010 * 12 + 11);
    expect(periodAt(2010 * 12 + 11)).toBe("2010-12");
    expect(periodAt(0)).toBe("0000-01");
    fc.assert(fc.property(anyIndex, (index) => monthIndex(periodAt(index)) === index));
  });

  it("steps across year ends", () => {
    expect(nextPeriod("2010-12")).toBe("2011-01");
    expect(nextPeriod("2010-09")).toBe("2010-10");
    expect(previousPeriod("2011-01")).toBe("2010-12");
    expect(previousPeriod("2010-10")).toBe("2010-09");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LAST_INDEX - 1 }).map(periodAt), (p) => {
        expect(previousPeriod(nextPeriod(p))).toBe(p);
        expect(monthsFrom(p, nextPeriod(p))).toBe(1);
        expect(comparePeriods(previousPeriod(p), p)).toBeLessThan(0);
      }),
    );
  });

  it("orders periods as their years and months do", () => {
    fc.assert(
      fc.property(period, period, (a, b) => {
        const [ya, ma] = a.split("-").map(Number) as [number, number];
        const [yb, mb] = b.split("-").map(Number) as [number, number];
        expect(Math.sign(comparePeriods(a, b))).toBe(Math.sign(ya - yb || ma - mb));
      }),
    );
  });

  it("never writes a five-digit year, so that no loop can step past 9999-12 unseen", () => {
    expect(() => nextPeriod("9999-12")).toThrow(RangeError);
    expect(() => previousPeriod("0000-01")).toThrow(RangeError);
    expect(() => periodAt(LAST_INDEX + 1)).toThrow(RangeError);
    expect(() => periodAt(1.5)).toThrow(RangeError);
    expect(() => periodAt(Number.NaN)).toThrow(RangeError);
  });

  it("counts the months of a range, which ends at its last month even at 9999-12", () => {
    expect(periodsThrough("2010-11", "2011-02")).toEqual(["2010-11", "2010-12", "2011-01", "2011-02"]);
    expect(periodsThrough("2011-02", "2010-11")).toEqual([]);
    expect(periodsThrough("9999-11", "9999-12")).toEqual(["9999-11", "9999-12"]);
    expect(monthsFrom("2026-01", "9999-12")).toBe((9999 - 2026) * 12 + 11);
    fc.assert(
      fc.property(fc.integer({ min: 3, max: LAST_INDEX - 48 }), fc.integer({ min: -3, max: 48 }), (start, span) => {
        const [from, to] = [periodAt(start), periodAt(start + span)];
        const months = periodsThrough(from, to);
        expect(months.length).toBe(Math.max(monthsFrom(from, to) + 1, 0));
        expect(months.slice(1).map(previousPeriod)).toEqual(months.slice(0, -1));
      }),
    );
  });

  it.each(["10000-01", "2010-13", "2010-00", "2010-1", "201-01", "2010-01-01", " 2010-01", "", "9".repeat(10_000)])(
    "does not take %s for a period",
    (text) => {
      expect(parsePeriod(text)).toBeUndefined();
      expect(() => monthIndex(text)).toThrow(RangeError);
    },
  );
});

describe("the calendar a request may name", () => {
  const { firstYear, lastYear, maxMonths } = PERIOD_BOUNDS;

  it("takes the years from 1900 through 2200 and nothing else", () => {
    expect([firstYear, lastYear, maxMonths]).toEqual([1900, 2200, 600]);
    expect(yearInBounds(firstYear) && yearInBounds(lastYear)).toBe(true);
    expect(yearInBounds(firstYear - 1) || yearInBounds(lastYear + 1) || yearInBounds(2010.5)).toBe(false);
    expect(periodInBounds("1900-01") && periodInBounds("2200-12")).toBe(true);
    expect(periodInBounds("1899-12") || periodInBounds("2201-01") || periodInBounds("9999-12")).toBe(false);
    expect(periodInBounds("2010-13") || periodInBounds("2010-00") || periodInBounds("2010-1x")).toBe(false);
  });

  it("takes a range of up to 600 months within the bounds", () => {
    expect(checkPeriodRange("2010-01", "2010-12")).toBeUndefined();
    expect(checkPeriodRange("2000-01", "2049-12")).toBeUndefined();
    expect(checkPeriodRange("2000-01", "2050-01")).toMatchObject({
      field: "to",
      message: expect.stringContaining("601"),
    });
  });

  it("names the end that lies outside the bounds", () => {
    expect(checkPeriodRange("2026-01", "9999-12")).toMatchObject({ field: "to" });
    expect(checkPeriodRange("2026-01", "10000-01")).toMatchObject({ field: "to" });
    expect(checkPeriodRange("1899-12", "1900-01")).toMatchObject({ field: "from" });
    expect(checkPeriodRange("x".repeat(10_000), "2010-01")).toMatchObject({ field: "from" });
  });

  it("refuses every range longer than 600 months and takes every shorter one", () => {
    const inBounds = fc.integer({ min: firstYear * 12, max: lastYear * 12 + 11 });
    fc.assert(
      fc.property(inBounds, inBounds, (a, b) => {
        const [from, to] = [periodAt(Math.min(a, b)), periodAt(Math.max(a, b))];
        const months = Math.abs(a - b) + 1;
        expect(checkPeriodRange(from, to) === undefined).toBe(months <= maxMonths);
      }),
    );
  });
});

describe("what a refused period says", () => {
  it("names the bounds, and echoes at most 16 characters of what it was given", () => {
    const from = checkPeriodRange("x".repeat(10_000), "2010-01");
    expect(from?.message).toContain("1900-01 through 2200-12");
    expect(from?.message).toContain("x".repeat(16));
    expect(from?.message).not.toContain("x".repeat(17));
    const to = checkPeriodRange("2010-01", "y".repeat(10_000));
    expect(to).toMatchObject({ field: "to", message: expect.stringContaining("1900-01 through 2200-12") });
    expect(to?.message).toContain("y".repeat(16));
    expect(to?.message).not.toContain("y".repeat(17));
  });

  it("names the text or index it cannot take, cut to 16 characters", () => {
    const thrown = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("nothing was thrown");
    };
    const long = thrown(() => monthIndex(`2010-13${"z".repeat(100)}`));
    expect(long).toContain(`2010-13${"z".repeat(9)}`);
    expect(long).not.toContain("z".repeat(10));
    expect(thrown(() => periodAt(120_000))).toContain("120000");
  });
});
