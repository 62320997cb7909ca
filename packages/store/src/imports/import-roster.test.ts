import type { ImportRow } from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import { householdChunks } from "./import-roster.ts";

const row = (n: number, householdId?: string): ImportRow => ({
  row: n + 2,
  beneficiaryId: `r-${n}`,
  kind: householdId ? "student" : "household",
  name: `r-${n}`,
  ...(householdId ? { householdId } : {}),
});

describe("a roster import's chunks in flight", () => {
  it("wait for the earlier chunks that hold their rows' households, and for no other", () => {
    const chunks = [
      [row(0), row(1)],
      [row(2), row(3, "r-2")],
      [row(4, "r-0"), row(5, "r-1"), row(6, "r-3")],
      [row(7, "outside-the-roster"), row(8)],
    ];
    // Chunk 1's member is in its own chunk; chunk 2 needs chunks 0 and 1; chunk 3 needs nothing
    // the roster holds (a household already on file is read, not waited for).
    expect(householdChunks(chunks)).toEqual([[], [], [0, 1], []]);
  });
});
