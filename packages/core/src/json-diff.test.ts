import { describe, expect, it } from "vitest";
import { jsonDifferences } from "./json-diff.ts";

describe("jsonDifferences", () => {
  it("names each leaf that differs by its dotted path, missing members included", () => {
    const recorded = { funds: { general: { balance: "800.00" }, relief: { balance: "1.00" } }, closedThrough: null };
    const recomputed = { funds: { general: { balance: "50300.00" } }, closedThrough: "2010-12" };
    expect(jsonDifferences(recorded, recomputed)).toEqual([
      { path: "closedThrough", recorded: null, recomputed: "2010-12" },
      { path: "funds.general.balance", recorded: "800.00", recomputed: "50300.00" },
      { path: "funds.relief", recorded: { balance: "1.00" }, recomputed: undefined },
    ]);
  });

  it("finds nothing between equal values whatever their key order, and stops at the limit", () => {
    expect(jsonDifferences({ a: [1, { b: 2 }], c: 3 }, { c: 3, a: [1, { b: 2 }] })).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    expect(jsonDifferences(many, {}, 4)).toHaveLength(4);
  });
});
