import { describe, expect, it } from "vitest";
import { createBreakList, createChainVerifier, MAX_LISTED_BREAKS } from "./chain-verifier.ts";
import { chainEvents, EMPTY_HEAD, hashEvent, type JournalEvent } from "./journal-event.ts";

const actor = { sub: "finance-1", role: "finance" as const };
const chain = (count: number): JournalEvent[] =>
  chainEvents(
    EMPTY_HEAD,
    Array.from({ length: count }, (_, n) => ({ type: "Noted", occurredOn: "2010-01-05", payload: { n } })),
    { book: "bazhou-2010", recordedAt: "2010-01-05T01:00:00.000Z", actor, idempotencyKey: "k" },
  ).events;

const verify = (events: readonly unknown[], headSeq = events.length) => {
  const verifier = createChainVerifier(EMPTY_HEAD);
  events.forEach((event, index) => {
    verifier.push(event, (event as { seq?: number }).seq ?? index + 1);
  });
  return verifier.finish(headSeq);
};

describe("the chain verifier goes on past a break", () => {
  it("names each altered entry once, and its untouched neighbours verify", () => {
    const events = chain(8);
    const altered = events.map((event) =>
      event.seq === 3 || event.seq === 6 ? { ...event, payload: { n: 99 } } : event,
    );
    const report = verify(altered);
    expect(report.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([
      [3, "hash-mismatch"],
      [6, "hash-mismatch"],
    ]);
    expect(report).toMatchObject({ ok: false, checked: 8, breakCount: 2, lastGood: { seq: 2 } });
  });

  it("names the successor of an entry re-sealed with a fresh hash of its own", () => {
    const events = chain(5);
    const { hash: _, ...unsealed } = { ...(events[1] as JournalEvent), payload: { n: 42 } };
    const resealed = { ...unsealed, hash: hashEvent(unsealed) };
    const report = verify(events.map((event) => (event.seq === 2 ? resealed : event)));
    expect(report.breaks).toEqual([expect.objectContaining({ seq: 3, reason: "prev-hash-mismatch" })]);
  });

  it("names a gap once as a span, and a short tail against the head", () => {
    const events = chain(9).filter((event) => event.seq !== 4 && event.seq !== 5);
    const report = verify(events, 11);
    expect(report.breaks.map(({ seq, reason, detail }) => [seq, reason, detail.split(";")[0]])).toEqual([
      [4, "missing", "seqs 4–5 are missing"],
      [10, "missing", "seqs 10–11 are missing"],
    ]);
  });

  it(`lists at most ${MAX_LISTED_BREAKS} breaks and counts the rest`, () => {
    const events = chain(150).map((event) => ({ ...event, recordedAt: "2011-01-01T00:00:00.000Z" }));
    const report = verify(events);
    expect(report.breaks).toHaveLength(MAX_LISTED_BREAKS);
    expect(report.breakCount).toBe(150);
  });
});

const at = (events: readonly JournalEvent[], seq: number): JournalEvent => {
  const event = events[seq - 1];
  if (event?.seq !== seq) throw new Error(`no event ${seq}`);
  return event;
};
const firstClause = (detail: string) => detail.split(";")[0];

describe("the chain verifier's report", () => {
  it("covers the events from the seq after its start, and ends whole at the head", () => {
    const events = chain(3);
    const verifier = createChainVerifier(EMPTY_HEAD);
    for (const event of events) verifier.push(event, event.seq);
    const report = verifier.finish(3, at(events, 3).hash);
    expect(report).toEqual({
      ok: true,
      checked: 3,
      fromSeq: 1,
      lastGood: { seq: 3, hash: at(events, 3).hash },
      breaks: [],
      breakCount: 0,
    });
  });

  it("checks a range anchored on the event before it", () => {
    const events = chain(5);
    const verifier = createChainVerifier({ seq: 2, hash: at(events, 2).hash });
    for (const event of events.slice(2)) verifier.push(event, event.seq);
    expect(verifier.finish(5, at(events, 5).hash)).toMatchObject({ ok: true, checked: 3, fromSeq: 3, breakCount: 0 });
  });

  it("says of each record whether it verified: not a damaged one, nor one that follows a gap", () => {
    const events = chain(5);
    const verifier = createChainVerifier(EMPTY_HEAD);
    expect(verifier.push(at(events, 1), 1)).toBe(true);
    expect(verifier.push({ ...at(events, 2), payload: { n: 99 } }, 2)).toBe(false);
    expect(verifier.push(at(events, 3), 3)).toBe(true);
    expect(verifier.push(at(events, 5), 5)).toBe(false);
    expect(verifier.finish(5).breaks.map(({ seq, reason }) => [seq, reason])).toEqual([
      [2, "hash-mismatch"],
      [4, "missing"],
    ]);
  });

  it("names a single missing seq, between events and at the tail", () => {
    const events = chain(5);
    const report = verify([at(events, 1), at(events, 3), at(events, 4)], 5);
    expect(report.breaks.map(({ seq, reason, detail }) => [seq, reason, firstClause(detail)])).toEqual([
      [2, "missing", "seq 2 is missing"],
      [5, "missing", "seq 5 is missing"],
    ]);
  });
});

describe("the chain verifier's link check", () => {
  it("takes an entry re-sealed with a fresh hash as the last good one, and names its successor with both hashes", () => {
    const events = chain(5);
    const { hash: original, ...unsealed } = { ...at(events, 2), payload: { n: 42 } };
    const resealed = { ...unsealed, hash: hashEvent(unsealed) };
    const report = verify(events.map((event) => (event.seq === 2 ? resealed : event)));
    expect(report.lastGood).toEqual({ seq: 2, hash: resealed.hash });
    expect(report.breaks).toEqual([
      { seq: 3, reason: "prev-hash-mismatch", detail: expect.stringContaining(original) },
    ]);
    expect(report.breaks[0]?.detail).toContain(resealed.hash);
  });

  it("names an entry whose stored hash alone was overwritten once, and lets its successor link to its content", () => {
    const events = chain(5);
    const overwritten = { ...at(events, 3), hash: "f".repeat(64) };
    const report = verify(events.map((event) => (event.seq === 3 ? overwritten : event)));
    expect(report.breaks).toEqual([
      { seq: 3, reason: "hash-mismatch", detail: expect.stringContaining("f".repeat(64)) },
    ]);
    expect(report.breaks[0]?.detail).toContain(at(events, 3).hash);
    expect(report).toMatchObject({ checked: 5, lastGood: { seq: 2, hash: at(events, 2).hash }, breakCount: 1 });
  });

  it("names a malformed record by the fields at fault, and does not blame its successor's link", () => {
    const events = chain(4);
    const malformed = { ...at(events, 2), actor: { sub: "finance-1", role: "treasurer" }, note: "added" };
    const report = verify(events.map((event) => (event.seq === 2 ? malformed : event)));
    expect(report.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([[2, "malformed"]]);
    const paths = (report.breaks[0]?.detail ?? "").split("; ").map((issue) => issue.slice(0, issue.indexOf(": ")));
    expect(paths.sort()).toEqual(["(event)", "actor.role"]);
    expect(report).toMatchObject({ checked: 4, lastGood: { seq: 1 } });
  });
});

describe("the chain verifier's order", () => {
  it("refuses a seq it has already passed, lists breaks in seq order, and goes on from where it was", () => {
    const events = chain(4);
    const verifier = createChainVerifier(EMPTY_HEAD);
    verifier.push(at(events, 1), 1);
    verifier.push(at(events, 2), 2);
    verifier.push({ ...at(events, 3), payload: { n: 99 } }, 3);
    expect(verifier.push(at(events, 2), 2)).toBe(false);
    expect(verifier.push(at(events, 4), 4)).toBe(true);
    const report = verifier.finish(4);
    expect(report.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([
      [2, "out-of-order"],
      [3, "hash-mismatch"],
    ]);
    expect(report.firstBreak).toMatchObject({ seq: 2, reason: "out-of-order", detail: expect.stringContaining("3") });
    expect(report).toMatchObject({ checked: 4, breakCount: 2 });
  });

  it("refuses the same seq twice, without counting it as checked again", () => {
    const events = chain(3);
    const verifier = createChainVerifier(EMPTY_HEAD);
    verifier.push(at(events, 1), 1);
    verifier.push(at(events, 2), 2);
    expect(verifier.push(at(events, 2), 2)).toBe(false);
    verifier.push(at(events, 3), 3);
    const report = verifier.finish(3);
    expect(report.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([[2, "out-of-order"]]);
    expect(report.checked).toBe(3);
  });
});

describe("a record rejected for a reason outside the chain", () => {
  it("is named with that reason, counted as checked, and its stored hash carries the link", () => {
    const events = chain(4);
    const verifier = createChainVerifier(EMPTY_HEAD);
    verifier.push(at(events, 1), 1);
    expect(verifier.reject(2, "index-mismatch", "its key says seq 7", at(events, 2))).toBe(false);
    expect(verifier.push(at(events, 3), 3)).toBe(true);
    expect(verifier.push(at(events, 4), 4)).toBe(true);
    expect(verifier.finish(4, at(events, 4).hash)).toMatchObject({
      ok: false,
      checked: 4,
      lastGood: { seq: 1, hash: at(events, 1).hash },
      breaks: [{ seq: 2, reason: "index-mismatch", detail: "its key says seq 7" }],
      breakCount: 1,
    });
  });

  it("accounts for the seqs skipped before it", () => {
    const events = chain(3);
    const verifier = createChainVerifier(EMPTY_HEAD);
    verifier.push(at(events, 1), 1);
    verifier.reject(3, "index-mismatch", "its key says seq 9", at(events, 3));
    expect(verifier.finish(3).breaks.map(({ seq, reason }) => [seq, reason])).toEqual([
      [2, "missing"],
      [3, "index-mismatch"],
    ]);
  });

  it("is named, but neither counted nor stepped back to, when its seq was already passed", () => {
    const events = chain(4);
    const verifier = createChainVerifier(EMPTY_HEAD);
    for (const event of events.slice(0, 3)) verifier.push(event, event.seq);
    expect(verifier.reject(3, "index-mismatch", "its key says seq 8", at(events, 3))).toBe(false);
    expect(verifier.reject(2, "index-mismatch", "its key says seq 6", at(events, 2))).toBe(false);
    expect(verifier.push(at(events, 4), 4)).toBe(true);
    const report = verifier.finish(4);
    expect(report.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([
      [2, "index-mismatch"],
      [3, "index-mismatch"],
    ]);
    expect(report.checked).toBe(4);
  });
});

describe("the book head at the end of the chain", () => {
  it("is a break at its seq when it records another hash than the chain ends with", () => {
    const events = chain(3);
    const verifier = createChainVerifier(EMPTY_HEAD);
    for (const event of events) verifier.push(event, event.seq);
    const report = verifier.finish(3, "e".repeat(64));
    expect(report).toMatchObject({ ok: false, breakCount: 1, lastGood: { seq: 3, hash: at(events, 3).hash } });
    expect(report.breaks).toEqual([
      { seq: 3, reason: "hash-mismatch", detail: expect.stringContaining("e".repeat(64)) },
    ]);
    expect(report.breaks[0]?.detail).toContain(at(events, 3).hash);
  });

  it("is compared with the entry at its seq only, not with one read past it", () => {
    const events = chain(3);
    const verifier = createChainVerifier(EMPTY_HEAD);
    for (const event of events) verifier.push(event, event.seq);
    expect(verifier.finish(2, at(events, 2).hash)).toMatchObject({ ok: true, breaks: [] });
  });
});

describe("a break list", () => {
  it("lists breaks in seq order whatever order they were added in, the first hundred added", () => {
    const list = createBreakList();
    for (let seq = 120; seq >= 1; seq -= 1) list.add(seq, "checkpoint-invalid", `checkpoint ${seq}`);
    expect(list.count).toBe(120);
    const seqs = list.listed.map(({ seq }) => seq);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, index) => 21 + index));
    expect(list.listed[0]).toEqual({ seq: 21, reason: "checkpoint-invalid", detail: "checkpoint 21" });
  });
});
