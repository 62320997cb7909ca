import { describe, expect, it } from "vitest";
import { createChainVerifier, MAX_LISTED_BREAKS } from "./chain-verifier.ts";
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
