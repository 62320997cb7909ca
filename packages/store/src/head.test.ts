import { describe, expect, it } from "vitest";
import { emptyHead, headToItem, itemToHead } from "./head.ts";
import type { StateModel } from "./model.ts";

type Count = { readonly count: number };
const model: StateModel<Count> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  encodeState: (state) => ({ n: state.count }),
  decodeState: (stored) => ({ count: (stored as { n: number }).n }),
};

const hash = "ab".repeat(32);
const item = { seq: { N: "12" }, hash: { S: hash }, state: { S: '{"n":12}' } };

describe("the book head item", () => {
  it("starts at seq 0 with the chain's zero hash and the model's initial state", () => {
    expect(emptyHead(model)).toEqual({ seq: 0, hash: "0".repeat(64), state: { count: 0 }, exists: false });
  });

  it("reads back what headToItem wrote: seq as a number, the state decoded by the model", () => {
    expect(itemToHead(item, model)).toEqual({ seq: 12, hash, state: { count: 12 }, exists: true });
    expect(headToItem("b1", { seq: 12, hash }, { count: 12 }, model, "2026-01-05T08:00:00.000Z")).toMatchObject({
      seq: 12,
      hash,
      state: '{"n":12}',
      updatedAt: "2026-01-05T08:00:00.000Z",
    });
  });

  it.each(["seq", "hash", "state"] as const)("refuses an item without %s", (field) => {
    const { [field]: _, ...missing } = item;
    expect(() => itemToHead(missing, model)).toThrow("book head item is missing seq, hash or state");
  });

  it.each([
    ["seq", { S: "12" }],
    ["hash", { N: "1" }],
    ["state", { S: "" }],
  ] as const)("refuses an item whose %s is of another type or empty", (field, value) => {
    expect(() => itemToHead({ ...item, [field]: value }, model)).toThrow("book head item is missing");
  });
});
