import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SLOW_FILES } from "./support/sequencer.ts";

describe("the test run's order (tests/support/sequencer.ts)", () => {
  it("names slow files that exist, slowest first", () => {
    for (const [file] of SLOW_FILES) expect(existsSync(file), file).toBe(true);
    const seconds = SLOW_FILES.map(([, time]) => time);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
  });
});
