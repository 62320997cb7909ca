import { describe, expect, it } from "vitest";
import { FRESH_CURSOR, planVerification, SWEEP_RUNS, type VerifyCursor } from "./plan.ts";

/** Runs the plan night after night over a head that grows by `growth` a night; which seqs each night reads. */
function nights(head: number, count: number, growth = 0) {
  let cursor: VerifyCursor = FRESH_CURSOR;
  const read: Set<number>[] = [];
  for (let night = 0; night < count; night++) {
    const { ranges, next } = planVerification(cursor, head);
    const seqs = new Set<number>();
    for (const range of ranges) for (let seq = range.fromSeq; seq <= range.toSeq; seq++) seqs.add(seq);
    read.push(seqs);
    cursor = next;
    head += growth;
  }
  return read;
}

describe("the nightly verification's plan", () => {
  it("reads the whole book on its first night, then only what is new and a slice of a sixth", () => {
    const [first, second] = nights(600, 2);
    expect(first?.size).toBe(600);
    expect(second?.size).toBe(100);
    expect(planVerification({ lastVerifiedSeq: 600, offset: 0 }, 610).ranges).toEqual([
      { fromSeq: 1, toSeq: 100 },
      { fromSeq: 601, toSeq: 610 },
    ]);
  });

  it("re-reads every entry, the oldest included, within seven nights of any night", () => {
    for (const [head, growth] of [
      [5000, 0],
      [5000, 40],
      [5000, 100],
      [13, 0],
      [60, 1],
    ] as const) {
      const read = nights(head, 30, growth);
      for (let from = 1; from + SWEEP_RUNS <= read.length; from++) {
        const week = new Set(read.slice(from, from + SWEEP_RUNS).flatMap((seqs) => [...seqs]));
        for (let seq = 1; seq <= head + from * growth; seq++)
          expect(week.has(seq), `seq ${seq}, night ${from}`).toBe(true);
      }
    }
  });

  it("starts the sweep again when the head is behind its cursor, and plans nothing for an empty book", () => {
    expect(planVerification({ lastVerifiedSeq: 900, offset: 800 }, 100).ranges).toEqual([{ fromSeq: 1, toSeq: 100 }]);
    expect(planVerification({ lastVerifiedSeq: 600, offset: 600 }, 600).ranges).toEqual([{ fromSeq: 1, toSeq: 100 }]);
    expect(planVerification(FRESH_CURSOR, 0)).toEqual({ ranges: [], next: FRESH_CURSOR });
  });
});
