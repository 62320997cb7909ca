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

describe("jsonDifferences between values of different kinds", () => {
  it("names the whole value when the two differ at the top", () => {
    expect(jsonDifferences("800.00", "50300.00")).toEqual([
      { path: "(whole)", recorded: "800.00", recomputed: "50300.00" },
    ]);
  });

  it("does not look inside a value when the other side is null or not an object", () => {
    const recomputed = { balance: "1.00" };
    expect(jsonDifferences({ fund: null }, { fund: recomputed })).toEqual([
      { path: "fund", recorded: null, recomputed },
    ]);
    expect(jsonDifferences({ fund: recomputed }, { fund: null })).toEqual([
      { path: "fund", recorded: recomputed, recomputed: null },
    ]);
    expect(jsonDifferences({ fund: 5 }, { fund: recomputed })).toEqual([{ path: "fund", recorded: 5, recomputed }]);
    expect(jsonDifferences({ fund: recomputed }, { fund: "x" })).toEqual([
      { path: "fund", recorded: recomputed, recomputed: "x" },
    ]);
  });

  it("tells a list from an object with the same members", () => {
    expect(jsonDifferences({ ids: ["a"] }, { ids: { 0: "a" } })).toEqual([
      { path: "ids", recorded: ["a"], recomputed: { 0: "a" } },
    ]);
  });
});
