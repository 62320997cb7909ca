import {
  chainEvents,
  type DomainError,
  type EventDraft,
  err,
  GENESIS_HASH,
  type JournalEvent,
  type Json,
  ok,
} from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import type { AppendCommand, Claim, Consumed, Decided, Loaded } from "./append-types.ts";
import { fromItem } from "./codec.ts";
import type { Head } from "./head.ts";
import type { StateModel } from "./model.ts";
import {
  MAX_EVENT_BYTES,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_ITEMS,
  type Plan,
  type PlanInput,
  planTransaction,
} from "./plan-transaction.ts";

// The plan is pure: these tests give it a head, entities and commands, and read the transaction it
// would send. What DynamoDB then does with the transaction is tested on DynamoDB Local
// (tests/journal.test.ts, tests/journal-claims.test.ts, tests/journal-handoff.test.ts).

type Count = { readonly count: number };
const model: StateModel<Count> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  encodeState: (state) => ({ n: state.count }),
  decodeState: (stored) => ({ count: (stored as { n: number }).n }),
};
const tables = { journal: "t-journal", state: "t-state" };
const actor = { sub: "clerk-1", role: "finance" as const };
const recordedAt = "2010-03-01T02:00:00.000Z";
const book = "b1";

type Entry = { readonly name: string; readonly command: AppendCommand<Count> };
type Decision = {
  readonly events: number | readonly EventDraft[];
  readonly claims?: Claim[];
  readonly writes?: Decided["writes"];
};

/** A command that records `events` drafts (each saying what state and entity it was decided against). */
function entry(
  name: string,
  decide: (state: Count, loaded: Loaded) => Decision | DomainError,
  extra: Partial<AppendCommand<Count>> = {},
): Entry {
  return {
    name,
    command: {
      idempotencyKey: `key-${name}`,
      requestHash: `hash-${name}`,
      actor,
      decide: (state, _head, loaded) => {
        const decision = decide(state, loaded);
        if ("code" in decision) return err(decision);
        const drafts =
          typeof decision.events === "number"
            ? Array.from({ length: decision.events }, (_, n) => draft(name, state, n))
            : decision.events;
        return ok({ events: drafts, claims: decision.claims, writes: decision.writes });
      },
      ...extra,
    },
  };
}

const draft = (name: string, state: Count, n: number, pad = ""): EventDraft => ({
  type: "Counted",
  occurredOn: "2010-03-01",
  payload: { by: name, saw: state.count, n, ...(pad ? { pad } : {}) },
});

const records = (name: string, events: number, extra: Partial<AppendCommand<Count>> = {}) =>
  entry(name, () => ({ events }), extra);
const refused: DomainError = {
  code: "fund-overdrawn",
  message: "no",
  fundId: "relief",
  balance: "0.00",
  reserved: "0.00",
  available: "0.00",
  requested: "1.00",
};

const headAt = (seq: number): Head<Count> =>
  seq === 0
    ? { seq: 0, hash: GENESIS_HASH, state: { count: 0 }, exists: false }
    : { seq, hash: "ab".repeat(32), state: { count: seq }, exists: true };

function plan(group: readonly Entry[], given: Partial<PlanInput<Count>> = {}): Plan<Count, Entry> {
  return planTransaction(
    { book, tables, model, head: headAt(0), fresh: true, entities: () => undefined, recordedAt, ...given },
    group,
  );
}

const names = (plan: Plan<Count, Entry>) => plan.members.map((member) => member.pending.name);
const settledAs = (plan: Plan<Count, Entry>) =>
  plan.settled.map((settlement) => `${settlement.pending.name}:${settlement.kind}`);
const kinds = (plan: Plan<Count, Entry>) => plan.owners.map((owner) => owner.kind);
const putOf = (plan: Plan<Count, Entry>, index: number) => {
  const put = plan.transaction[index]?.Put;
  if (!put?.Item) throw new Error(`item ${index} is not a put`);
  return { ...put, record: fromItem(put.Item) };
};
const eventsOf = (plan: Plan<Count, Entry>): JournalEvent[] => plan.members.flatMap((member) => member.events);

/** A draft whose event, chained at `seq` by command `name`, is exactly `bytes` long as JSON. */
function draftOfSize(name: string, seq: number, bytes: number): EventDraft {
  const sizeWith = (pad: string) =>
    JSON.stringify(
      chainEvents({ seq: seq - 1, hash: GENESIS_HASH }, [draft(name, { count: seq - 1 }, 0, pad)], {
        book,
        recordedAt,
        actor,
        idempotencyKey: `key-${name}`,
      }).events[0],
    ).length;
  const base = sizeWith("x");
  return draft(name, { count: seq - 1 }, 0, "x".repeat(1 + bytes - base));
}

describe("planning one round's transaction", () => {
  it("plans nothing for an empty group", () => {
    const empty = plan([]);
    expect(empty).toMatchObject({ transaction: [], owners: [], members: [], settled: [], stale: false });
  });

  it("puts the head first, then each event, then the idempotency record, chained after the head", () => {
    const result = plan([records("a", 2)], { head: headAt(7) });
    expect(kinds(result)).toEqual(["head", "event", "event", "idempotency"]);
    const head = putOf(result, 0);
    expect(head).toMatchObject({
      TableName: "t-state",
      ConditionExpression: "seq = :seq",
      ExpressionAttributeValues: { ":seq": { N: "7" } },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    const events = eventsOf(result);
    expect(events.map((event) => event.seq)).toEqual([8, 9]);
    expect(events[0]?.prevHash).toBe("ab".repeat(32));
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[0]).toMatchObject({ book, recordedAt, actor, idempotencyKey: "key-a", type: "Counted" });
    expect(head.record).toMatchObject({
      pk: "BOOK#b1",
      sk: "HEAD",
      seq: 9,
      hash: events[1]?.hash,
      updatedAt: recordedAt,
    });
    expect(JSON.parse(String(head.record.state))).toEqual({ n: 9 });
    expect(result.chain).toEqual({ seq: 9, hash: events[1]?.hash });
    expect(result.state).toEqual({ count: 9 });

    const first = putOf(result, 1);
    expect(first).toMatchObject({ TableName: "t-journal", ConditionExpression: "attribute_not_exists(seq)" });
    expect(first.record).toMatchObject({ book, seq: 8, hash: events[0]?.hash });
    const record = putOf(result, 3);
    expect(record).toMatchObject({
      TableName: "t-state",
      ConditionExpression: "attribute_not_exists(pk)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    expect(record.record).toEqual({
      pk: "IDEM#b1#key-a",
      sk: "IDEM",
      requestHash: "hash-a",
      firstSeq: 8,
      lastSeq: 9,
      recordedAt,
    });
  });

  it("conditions the first head of a book on there being none", () => {
    const head = putOf(plan([records("a", 1)]), 0);
    expect(head.ConditionExpression).toBe("attribute_not_exists(pk)");
    expect(head.ExpressionAttributeValues).toBeUndefined();
    expect(head.ReturnValuesOnConditionCheckFailure).toBe("ALL_OLD");
  });

  it("decides each command against the state and chain the commands before it leave", () => {
    const result = plan([records("a", 2), records("b", 1)], { head: headAt(3) });
    expect(names(result)).toEqual(["a", "b"]);
    const events = eventsOf(result);
    expect(events.map((event) => [event.seq, event.payload.by, event.payload.saw])).toEqual([
      [4, "a", 3],
      [5, "a", 3],
      [6, "b", 5],
    ]);
    expect(events[2]?.prevHash).toBe(events[1]?.hash);
    expect(events[2]?.idempotencyKey).toBe("key-b");
    expect(kinds(result)).toEqual(["head", "event", "event", "idempotency", "event", "idempotency"]);
  });

  it("answers a command that records nothing without an item, and goes on to the next", () => {
    const result = plan([records("none", 0), records("a", 1)]);
    expect(settledAs(result)).toEqual(["none:nothing"]);
    expect(names(result)).toEqual(["a"]);
    expect(kinds(result)).toEqual(["head", "event", "idempotency"]);
  });

  it("refuses a command against a head read this round, and goes on to the next", () => {
    const no = entry("no", () => refused);
    const result = plan([no, records("a", 1)], { fresh: true });
    expect(result.settled).toEqual([{ kind: "refused", pending: no, error: refused }]);
    expect(names(result)).toEqual(["a"]);
    expect(result.stale).toBe(false);
  });

  it("does not refuse against a cached head: it asks for the head to be read again, and plans nothing", () => {
    const result = plan([records("none", 0), entry("no", () => refused), records("a", 1)], { fresh: false });
    expect(result.stale).toBe(true);
    expect(settledAs(result)).toEqual(["none:nothing"]);
    expect(result.members).toEqual([]);
    expect(result.transaction).toEqual([]);
  });

  it("stops at a refusal that follows a member: the refusal is decided again once the member is in", () => {
    const result = plan([records("a", 1), entry("no", () => refused), records("b", 1)], { fresh: true });
    expect(names(result)).toEqual(["a"]);
    expect(result.settled).toEqual([]);
    expect(result.stale).toBe(false);
  });

  it("takes a command of exactly 100 items and refuses one of 101 as a fault, naming the count", () => {
    const fits = plan([records("a", MAX_TRANSACTION_ITEMS - 2)]);
    expect(fits.transaction).toHaveLength(MAX_TRANSACTION_ITEMS);
    const over = plan([records("big", MAX_TRANSACTION_ITEMS - 1), records("a", 1)]);
    expect(settledAs(over)).toEqual(["big:fault"]);
    const fault = over.settled[0];
    expect(fault?.kind === "fault" && fault.error.message).toBe(
      "one command needs 100 items; a transaction holds 99 besides the head",
    );
    expect(names(over)).toEqual(["a"]);
  });

  it("counts a command's claims, entity writes and consumed mail among its items", () => {
    const claim = (value: string): Claim => ({
      kind: "idNumber",
      value,
      owner: "beneficiary/x",
      onTaken: () => refused,
    });
    const heavy = (name: string, events: number) =>
      entry(
        name,
        () => ({ events, claims: [claim(`${name}-1`)], writes: [{ ref: `beneficiary/${name}`, value: 1 }] }),
        {
          consumes: consumed(name),
        },
      );
    // events + record + claim + entity + mail
    expect(plan([heavy("a", MAX_TRANSACTION_ITEMS - 5)]).transaction).toHaveLength(MAX_TRANSACTION_ITEMS);
    expect(settledAs(plan([heavy("b", MAX_TRANSACTION_ITEMS - 4)]))).toEqual(["b:fault"]);
  });

  it("leaves the command that would take the transaction past 100 items for the next round", () => {
    const fits = plan([records("a", 50), records("b", MAX_TRANSACTION_ITEMS - 1 - 51 - 1)]);
    expect(names(fits)).toEqual(["a", "b"]);
    expect(fits.transaction).toHaveLength(MAX_TRANSACTION_ITEMS);
    const over = plan([records("a", 50), records("b", MAX_TRANSACTION_ITEMS - 1 - 51), records("c", 1)]);
    expect(names(over)).toEqual(["a"]);
    expect(over.settled).toEqual([]);
  });

  it("writes an entity two commands change once, with the last value, and lets the second decide on the first's", () => {
    const bump = (name: string, events: number) =>
      entry(name, (_state, loaded) => {
        const before = loaded("beneficiary/7");
        return { events, writes: [{ ref: "beneficiary/7", value: (typeof before === "number" ? before : 0) + 1 }] };
      });
    const result = plan([bump("a", 1), bump("b", 1)], {
      entities: (ref) => (ref === "beneficiary/7" ? 40 : undefined),
    });
    expect(names(result)).toEqual(["a", "b"]);
    expect(kinds(result)).toEqual(["head", "event", "idempotency", "entity", "event", "idempotency"]);
    expect(putOf(result, 3).record).toMatchObject({ pk: "ENTITY#b1#beneficiary#7", value: "42" });
    expect(result.overlay).toEqual(new Map<string, Json>([["beneficiary/7", 42]]));

    // The rewrite adds no item, so it does not count against the limit: a + entity (3) and b (96 + 1 rewrite).
    const full = plan([bump("a", 1), bump("b", MAX_TRANSACTION_ITEMS - 5)]);
    expect(names(full)).toEqual(["a", "b"]);
    expect(full.transaction).toHaveLength(MAX_TRANSACTION_ITEMS);
    expect(names(plan([bump("a", 1), bump("b", MAX_TRANSACTION_ITEMS - 4)]))).toEqual(["a"]);
  });

  it("reads entities as the writer loaded them until a command of the group rewrites them", () => {
    const seen: (Json | null | undefined)[] = [];
    const look = entry("look", (_state, loaded) => {
      seen.push(loaded("beneficiary/1"), loaded("beneficiary/2"));
      return { events: 1 };
    });
    plan([look], { entities: (ref) => (ref === "beneficiary/1" ? "on file" : null) });
    expect(seen).toEqual(["on file", null]);
  });

  it("reads an entry recorded earlier in the group as recorded, though the writer had read it as absent", () => {
    const seen: (Json | null | undefined)[] = [];
    const look = entry("look", (_state, loaded) => {
      seen.push(loaded("event/1"), loaded("event/2"));
      return { events: 1 };
    });
    const result = plan([records("first", 1), look], {
      entities: (ref) => (ref.startsWith("event/") ? null : undefined),
    });
    expect(names(result)).toEqual(["first", "look"]);
    expect(seen[0]).toMatchObject({ seq: 1, payload: { by: "first" } });
    expect(seen[1]).toBeNull();
    // Kept for the writer's next rounds too; an entry nobody read as absent is not cached.
    expect([...result.overlay.keys()]).toEqual(["event/1", "event/2"]);
    expect([...plan([records("first", 1)]).overlay.keys()]).toEqual([]);
  });

  it("puts a claim on the condition that nobody holds it, and names its owner", () => {
    const claim: Claim = { kind: "idNumber", value: "h1", owner: "beneficiary/9", onTaken: () => refused };
    const result = plan([entry("a", () => ({ events: 1, claims: [claim] }))]);
    expect(kinds(result)).toEqual(["head", "event", "idempotency", "claim"]);
    expect(result.owners[3]).toEqual({ kind: "claim", pending: expect.objectContaining({ name: "a" }), claim });
    const put = putOf(result, 3);
    expect(put).toMatchObject({
      ConditionExpression: "attribute_not_exists(pk)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    });
    expect(put.record).toEqual({ pk: "CLAIM#b1#idNumber", sk: "h1", owner: "beneficiary/9", claimedAt: recordedAt });
  });

  it("refuses a command that claims one value twice, as a fault, and plans the next", () => {
    const claim: Claim = { kind: "idNumber", value: "h1", owner: "beneficiary/9", onTaken: () => refused };
    const result = plan([entry("twice", () => ({ events: 1, claims: [claim, claim] })), records("a", 1)]);
    expect(settledAs(result)).toEqual(["twice:fault"]);
    const fault = result.settled[0];
    expect(fault?.kind === "fault" && fault.error.message).toBe("one command claims the same item twice");
    expect(names(result)).toEqual(["a"]);
  });

  it("leaves for the next round a command that touches an item an earlier one of the group touches", () => {
    const claim: Claim = { kind: "idNumber", value: "h1", owner: "beneficiary/9", onTaken: () => refused };
    const claiming = (name: string) => entry(name, () => ({ events: 1, claims: [claim] }));
    expect(names(plan([claiming("a"), claiming("b"), records("c", 1)]))).toEqual(["a"]);
    const sameKey = records("again", 1, { idempotencyKey: "key-a" });
    expect(names(plan([records("a", 1), sameKey]))).toEqual(["a"]);
    const mail = (name: string) => records(name, 1, { consumes: consumed("m") });
    expect(names(plan([mail("a"), mail("b")]))).toEqual(["a"]);
  });

  it("deletes a handed-over command's mail in its transaction, on the condition of its generation", () => {
    const result = plan([records("a", 1, { consumes: consumed("a") })]);
    expect(kinds(result)).toEqual(["head", "event", "idempotency", "consume"]);
    expect(result.transaction[3]?.Delete).toMatchObject({
      TableName: "t-state",
      ConditionExpression: "mailId = :mailId",
      ExpressionAttributeValues: { ":mailId": { S: "mail-a" } },
    });
  });

  it("takes an event of exactly the byte limit and refuses a larger one as a fault, naming its size", () => {
    const sized = (name: string, bytes: number) => entry(name, () => ({ events: [draftOfSize(name, 1, bytes)] }));
    const fits = plan([sized("a", MAX_EVENT_BYTES)]);
    expect(names(fits)).toEqual(["a"]);
    expect(JSON.stringify(eventsOf(fits)[0])).toHaveLength(MAX_EVENT_BYTES);
    const over = plan([sized("big", MAX_EVENT_BYTES + 1), records("a", 1)]);
    expect(settledAs(over)).toEqual(["big:fault"]);
    const fault = over.settled[0];
    expect(fault?.kind === "fault" && fault.error.message).toBe(
      `an event of ${MAX_EVENT_BYTES + 1} bytes exceeds the ${MAX_EVENT_BYTES}-byte limit`,
    );
    expect(names(over)).toEqual(["a"]);
  });

  it("fills a transaction up to its byte limit and leaves the command past it for the next round", () => {
    // Eleven events of 318,000 bytes: 3,498,000, then one of exactly 2,000 or 2,001 bytes.
    const each = 318_000;
    const bulky = entry("bulky", () => ({
      events: Array.from({ length: 11 }, (_, n) => draftOfSize("bulky", n + 1, each)),
    }));
    const rest = MAX_TRANSACTION_BYTES - 11 * each;
    const last = (bytes: number) => entry("last", () => ({ events: [draftOfSize("last", 12, bytes)] }));
    expect(names(plan([bulky, last(rest)]))).toEqual(["bulky", "last"]);
    expect(names(plan([bulky, last(rest + 1)]))).toEqual(["bulky"]);
    // Alone, a command past the byte limit still goes (DynamoDB's 4 MB leaves the room).
    const alone = entry("alone", () => ({
      events: Array.from({ length: 12 }, (_, n) => draftOfSize("alone", n + 1, each)),
    }));
    expect(names(plan([alone]))).toEqual(["alone"]);
  });
});

function consumed(name: string): Consumed {
  return {
    mail: { pk: "MAIL#b1", sk: `key-${name}` },
    mailId: `mail-${name}`,
    outcome: { pk: `OUTCOME#b1#key-${name}`, sk: "OUTCOME" },
  };
}
