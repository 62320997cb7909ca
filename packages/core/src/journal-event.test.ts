import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { createChainVerifier } from "./chain-verifier.ts";
import {
  Actor,
  chainEvents,
  EMPTY_HEAD,
  type EventDraft,
  GENESIS_HASH,
  Hash,
  hashEvent,
  IdempotencyKey,
  type JournalEvent,
  RequestId,
} from "./journal-event.ts";

const context = {
  book: "demo",
  recordedAt: "2010-12-31T08:00:00.000Z",
  actor: { sub: "finance-office", role: "finance" as const },
  idempotencyKey: "k-1",
};
const drafts: EventDraft[] = [1, 2, 3].map((n) => ({
  type: "CollectionRecorded",
  occurredOn: `2010-12-0${n}`,
  payload: { fundId: "general", amount: `${n}00.00` },
}));

describe("hash chain", () => {
  it("numbers events from the head and links each to the one before", () => {
    const { events, head } = chainEvents(EMPTY_HEAD, drafts, context);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(head).toEqual({ seq: 3, hash: events[2]?.hash });
  });

  it("seals every field: changing any one changes the hash", () => {
    const [event] = chainEvents(EMPTY_HEAD, drafts, context).events;
    if (!event) throw new Error("no event");
    const { hash, ...unsealed } = event;
    expect(hashEvent(unsealed)).toBe(hash);
    const variants = [
      { ...unsealed, book: "other" },
      { ...unsealed, seq: 2 },
      { ...unsealed, type: "PayoutRecorded" },
      { ...unsealed, occurredOn: "2010-12-02" },
      { ...unsealed, recordedAt: "2010-12-31T08:00:00.001Z" },
      { ...unsealed, actor: { ...unsealed.actor, sub: "someone-else" } },
      { ...unsealed, idempotencyKey: "k-2" },
      { ...unsealed, payload: { ...unsealed.payload, amount: "100.01" } },
      { ...unsealed, prevHash: "f".repeat(64) },
    ];
    for (const variant of variants) expect(hashEvent(variant)).not.toBe(hash);
  });

  it("does not depend on the order of payload keys", () => {
    const [event] = chainEvents(EMPTY_HEAD, drafts, context).events;
    if (!event) throw new Error("no event");
    const { hash, ...unsealed } = event;
    const reordered = { ...unsealed, payload: { amount: "100.00", fundId: "general" } };
    expect(hashEvent(reordered)).toBe(hash);
  });

  it("verifies an intact chain and names the first break in a tampered one", () => {
    const { events, head } = chainEvents(EMPTY_HEAD, drafts, context);
    const intact = createChainVerifier(EMPTY_HEAD);
    for (const event of events) intact.push(event, event.seq);
    expect(intact.finish(head.seq, head.hash)).toMatchObject({ ok: true, checked: 3 });

    const tampered = createChainVerifier(EMPTY_HEAD);
    const [first, second, third] = events;
    tampered.push(first, 1);
    tampered.push({ ...second, payload: { fundId: "general", amount: "999.00" } }, 2);
    tampered.push(third, 3);
    expect(tampered.finish(3).firstBreak).toMatchObject({ seq: 2, reason: "hash-mismatch" });

    const gap = createChainVerifier(EMPTY_HEAD);
    gap.push(first, 1);
    gap.push(third, 3);
    expect(gap.finish(3).firstBreak).toMatchObject({ seq: 2, reason: "missing" });

    const truncated = createChainVerifier(EMPTY_HEAD);
    truncated.push(first, 1);
    truncated.push(second, 2);
    expect(truncated.finish(3).firstBreak).toMatchObject({ seq: 3, reason: "missing" });

    const extra = createChainVerifier(EMPTY_HEAD);
    extra.push(first, 1);
    extra.push({ ...second, note: "added" }, 2);
    expect(extra.finish(2).firstBreak).toMatchObject({ seq: 2, reason: "malformed" });
  });
});

describe("the fields of a stored event", () => {
  it.each(["admin", "finance", "audit-committee", "auditor", "system"])("takes an actor in the %s role", (role) => {
    expect(Actor.safeParse({ sub: "someone", role }).success).toBe(true);
  });

  it.each(["", "treasurer", "Finance"])("refuses an actor in the role %j", (role) => {
    expect(Actor.safeParse({ sub: "someone", role }).success).toBe(false);
  });

  it("takes a hash of exactly 64 lower-case hex digits", () => {
    expect(Hash.safeParse("0123456789abcdef".repeat(4)).success).toBe(true);
    for (const text of ["a".repeat(63), "a".repeat(65), "A".repeat(64), `${"a".repeat(64)}\n`, `x${"a".repeat(64)}`]) {
      expect(Hash.safeParse(text).success).toBe(false);
    }
  });

  it("takes an idempotency key of printable ASCII without spaces, from end to end", () => {
    expect(IdempotencyKey.safeParse("k-1:{retry}~").success).toBe(true);
    expect(IdempotencyKey.safeParse("k".repeat(128)).success).toBe(true);
    for (const text of ["", "k".repeat(129), " k-1", "k-1 ", "k 1", "k-1\n", "\tk-1", "键-1", "k-1é"]) {
      expect(IdempotencyKey.safeParse(text).success).toBe(false);
    }
  });
});

describe("an event's request id", () => {
  it("is left out of an event recorded without one, which hashes as events did before request ids", () => {
    const [event] = chainEvents(EMPTY_HEAD, drafts.slice(0, 1), context).events;
    expect(event).not.toHaveProperty("requestId");
    // The hash an event of the first turn was sealed with: the nine fields, no requestId among them.
    const { hash, ...unsealed } = event as NonNullable<typeof event>;
    const before = sha256Hex(
      canonicalJson({
        book: unsealed.book,
        seq: unsealed.seq,
        type: unsealed.type,
        occurredOn: unsealed.occurredOn,
        recordedAt: unsealed.recordedAt,
        actor: unsealed.actor,
        idempotencyKey: unsealed.idempotencyKey,
        payload: unsealed.payload,
        prevHash: unsealed.prevHash,
      }),
    );
    expect(hash).toBe(before);
  });

  it("is sealed with the event: a chain that carries one verifies, and removing or changing it is a break", () => {
    const { events } = chainEvents(EMPTY_HEAD, drafts, { ...context, requestId: "req-42" });
    expect(events.map((event) => event.requestId)).toEqual(["req-42", "req-42", "req-42"]);
    const verify = (list: readonly unknown[]) => {
      const verifier = createChainVerifier(EMPTY_HEAD);
      for (const [index, event] of list.entries()) verifier.push(event, index + 1);
      return verifier.finish(list.length);
    };
    expect(verify(events).ok).toBe(true);
    const { requestId: _dropped, ...withoutId } = events[1] as JournalEvent;
    expect(verify([events[0], withoutId, events[2]]).firstBreak).toMatchObject({ seq: 2, reason: "hash-mismatch" });
    expect(verify([events[0], { ...events[1], requestId: "req-43" }, events[2]]).firstBreak?.seq).toBe(2);
  });

  it("is a token: anything with spaces, slashes or over 128 characters is refused", () => {
    expect(RequestId.safeParse("3f2a9c1e-7b7d-4f0e-9a55-0c1d2e3f4a5b").success).toBe(true);
    for (const bad of ["", "a b", "a/b", "x".repeat(129), "名字"]) expect(RequestId.safeParse(bad).success).toBe(false);
  });
});
