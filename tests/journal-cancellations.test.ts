import { type CancellationReason, type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type JournalEvent, ok } from "@relief-ledger/core";
import {
  type AppendCommand,
  createDynamoClient,
  DatabaseUnavailableError,
  Journal,
  type StateModel,
  type TableNames,
} from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

// DynamoDB cancels transactions for reasons DynamoDB Local never gives (a conflict with another
// transaction, throttling) and may leave a transaction's outcome unknown (a timeout after it
// committed). These tests put such answers in front of a real DynamoDB Local client, at the SDK's
// middleware, and check what the writer makes of them; everything else is DynamoDB Local's own.

type Tally = { readonly count: number };
const model: StateModel<Tally> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  encodeState: (state) => state,
  decodeState: (stored) => stored as Tally,
};
const actor = { sub: "clerk", role: "finance" as const };
const count = (key: string): AppendCommand<Tally> => ({
  idempotencyKey: key,
  requestHash: `hash-${key}`,
  actor,
  decide: (state) => ok({ events: [{ type: "Counted", occurredOn: "2010-03-01", payload: { after: state.count } }] }),
});

/** What the next transactions meet instead of (or after) DynamoDB Local, one per transaction. */
type Fault =
  | { readonly before: true; readonly error: () => Error }
  | { readonly before: false; readonly error: () => Error };

let tables: TableNames;
let endpoint: string;
let plain: DynamoDBClient;
let bookCounter = 0;

beforeAll(async () => {
  ({ tables, endpoint, client: plain } = await freshTables());
});

/** A journal whose client meets `faults` on its next transactions, then talks to DynamoDB Local as usual. */
function faultyJournal(faults: Fault[]): { journal: Journal<Tally>; sent: () => number } {
  const client = createDynamoClient(endpoint);
  let sent = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      sent += 1;
      const fault = faults.shift();
      if (!fault) return next(args);
      if (!fault.before) await next(args);
      throw fault.error();
    },
    { step: "initialize", name: "injectFault" },
  );
  return { journal: new Journal({ client, tables, model, maxAttempts: 4 }), sent: () => sent };
}

/** A cancellation whose reasons say `code` for the command's idempotency record (head, event, record). */
const cancelled = (code: string, message: string | null = `${code} happened`): Fault =>
  cancelledWith([{ Code: "None" }, { Code: "None" }, { Code: code, ...(message ? { Message: message } : {}) }]);

/** A cancellation with these reasons, one per item of the transaction (or none at all). */
const cancelledWith = (reasons: CancellationReason[] | undefined): Fault => ({
  before: true,
  error: () =>
    new TransactionCanceledException({
      message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
      $metadata: {},
      ...(reasons ? { CancellationReasons: reasons } : {}),
    }),
});

async function eventsOf(book: string): Promise<JournalEvent[]> {
  const journal = new Journal({ client: plain, tables, model });
  const events: JournalEvent[] = [];
  for await (const page of journal.read(book)) events.push(...page);
  return events;
}

const newBook = () => `cancel-${++bookCounter}-${Date.now().toString(36)}`;

describe("cancellation reasons DynamoDB Local does not give", () => {
  it.each(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"])(
    "retries a transaction cancelled for %s and records the command once",
    async (code) => {
      const book = newBook();
      const { journal, sent } = faultyJournal([cancelled(code)]);
      const result = await journal.append(book, count("k1"));
      expect(result).toMatchObject({ ok: true, value: { replayed: false, events: [{ seq: 1 }] } });
      expect(sent()).toBe(2);
      expect(journal.stats).toMatchObject({ transactions: 2, committed: 1, retries: 1, lostRaces: 0 });
      expect((await eventsOf(book)).map((event) => event.idempotencyKey)).toEqual(["k1"]);
    },
  );

  it("fails the command on a reason it does not know, naming it, records nothing, and takes the next", async () => {
    const book = newBook();
    const { journal } = faultyJournal([cancelled("ValidationError")]);
    await expect(journal.append(book, count("k1"))).rejects.toThrow(
      "transaction refused: ValidationError: ValidationError happened",
    );
    expect(await eventsOf(book)).toEqual([]);
    expect(await journal.append(book, count("k2"))).toMatchObject({ ok: true, value: { events: [{ seq: 1 }] } });
  });

  it("says so when a reason it does not know comes without a message", async () => {
    const { journal } = faultyJournal([cancelled("ValidationError", null)]);
    await expect(journal.append(newBook(), count("k1"))).rejects.toThrow(/^transaction refused: ValidationError: $/);
  });

  it("retries a cancellation that names no reason, counting it, and gives up after maxAttempts", async () => {
    const book = newBook();
    const once = faultyJournal([cancelledWith(undefined)]);
    expect(await once.journal.append(book, count("k1"))).toMatchObject({ ok: true, value: { events: [{ seq: 1 }] } });
    expect(once.journal.stats.retries).toBe(1);
    const always = faultyJournal(Array.from({ length: 4 }, () => cancelledWith([])));
    expect(await always.journal.append(book, count("k2"))).toMatchObject({
      ok: false,
      error: { code: "append-conflict", attempts: 4 },
    });
    expect(always.sent()).toBe(4);
  });

  it("tells a claim's loser who holds it, or 'unknown' when DynamoDB does not say", async () => {
    const claiming: AppendCommand<Tally> = {
      ...count("k1"),
      decide: () =>
        ok({
          events: [{ type: "Counted", occurredOn: "2010-03-01", payload: {} }],
          claims: [
            {
              kind: "id-number",
              value: "h1",
              owner: "beneficiary/new",
              onTaken: (holder) => ({
                code: "beneficiary-exists",
                message: `held by ${holder}`,
                beneficiaryId: holder,
              }),
            },
          ],
        }),
    };
    // head, event, idempotency record, claim
    const taken = (item?: CancellationReason["Item"]) =>
      cancelledWith([
        { Code: "None" },
        { Code: "None" },
        { Code: "None" },
        { Code: "ConditionalCheckFailed", ...(item ? { Item: item } : {}) },
      ]);
    const named = faultyJournal([taken({ owner: { S: "beneficiary/old" } })]);
    expect(await named.journal.append(newBook(), claiming)).toMatchObject({
      ok: false,
      error: { code: "beneficiary-exists", message: "held by beneficiary/old" },
    });
    const unnamed = faultyJournal([taken()]);
    expect(await unnamed.journal.append(newBook(), claiming)).toMatchObject({
      ok: false,
      error: { message: "held by unknown" },
    });
  });

  it("answers a handed-over command whose mail is gone as decided elsewhere, without retrying it", async () => {
    const book = newBook();
    const handedOver: AppendCommand<Tally> = {
      ...count("k1"),
      consumes: {
        mail: { pk: `MAIL#${book}`, sk: "k1" },
        mailId: "m-1",
        outcome: { pk: `OUTCOME#${book}#k1`, sk: "OUTCOME" },
      },
    };
    // head, event, idempotency record, the mail's delete
    const { journal, sent } = faultyJournal([
      cancelledWith([{ Code: "None" }, { Code: "None" }, { Code: "None" }, { Code: "ConditionalCheckFailed" }]),
    ]);
    expect(await journal.append(book, handedOver)).toEqual({
      ok: false,
      error: { code: "append-conflict", message: "decided elsewhere", attempts: 0 },
    });
    expect(sent()).toBe(1);
    expect(await eventsOf(book)).toEqual([]);
  });

  it("gives up with append-conflict after maxAttempts transient cancellations, recording nothing", async () => {
    const book = newBook();
    const { journal, sent } = faultyJournal(Array.from({ length: 4 }, () => cancelled("TransactionConflict")));
    const result = await journal.append(book, count("k1"));
    expect(result).toMatchObject({
      ok: false,
      error: { code: "append-conflict", attempts: 4, message: "gave up after 4 attempts: the book head moved" },
    });
    expect(sent()).toBe(4);
    expect(await eventsOf(book)).toEqual([]);
  });
});

describe("a transaction whose outcome is unknown", () => {
  it("records once when the transaction committed but its answer was lost: the retry replays the record", async () => {
    const book = newBook();
    const lost = Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    const { journal, sent } = faultyJournal([{ before: false, error: () => lost }]);
    const result = await journal.append(book, count("k1"));
    expect(result).toMatchObject({ ok: true, value: { replayed: true, events: [{ seq: 1, idempotencyKey: "k1" }] } });
    expect(sent()).toBe(2);
    expect((await eventsOf(book)).map((event) => event.seq)).toEqual([1]);
    expect(await journal.append(book, count("k2"))).toMatchObject({ ok: true, value: { events: [{ seq: 2 }] } });
  });

  it("gives up with append-conflict after maxAttempts unknown outcomes, saying why", async () => {
    const book = newBook();
    const { journal, sent } = faultyJournal(
      Array.from({ length: 4 }, () => ({ before: true, error: () => new Error("odd") })),
    );
    expect(await journal.append(book, count("k1"))).toMatchObject({
      ok: false,
      error: {
        code: "append-conflict",
        attempts: 4,
        message: "gave up after 4 attempts: the transaction's outcome was unknown",
      },
    });
    expect(sent()).toBe(4);
    expect(await eventsOf(book)).toEqual([]);
  });

  it("answers database-unavailable once maxAttempts tries found the database unreachable", async () => {
    const book = newBook();
    const reset = () => Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const { journal, sent } = faultyJournal(Array.from({ length: 4 }, () => ({ before: true, error: reset })));
    await expect(journal.append(book, count("k1"))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(sent()).toBe(4);
    // Sent again with its key once the database is back, it records once.
    expect(await journal.append(book, count("k1"))).toMatchObject({ ok: true, value: { events: [{ seq: 1 }] } });
  });

  it("records once when the transaction never reached the database", async () => {
    const book = newBook();
    const { journal } = faultyJournal([{ before: true, error: () => new Error("read ETIMEDOUT") }]);
    expect(await journal.append(book, count("k1"))).toMatchObject({ ok: true, value: { replayed: false } });
    expect((await eventsOf(book)).map((event) => event.seq)).toEqual([1]);
  });

  it("fails what was queued with the database's own error on a ValidationException", async () => {
    const book = newBook();
    const invalid = Object.assign(new Error("Item size has exceeded the maximum allowed size"), {
      name: "ValidationException",
    });
    const { journal, sent } = faultyJournal([{ before: true, error: () => invalid }]);
    await expect(journal.append(book, count("k1"))).rejects.toBe(invalid);
    expect(sent()).toBe(1);
    expect(await journal.append(book, count("k2"))).toMatchObject({ ok: true, value: { events: [{ seq: 1 }] } });
  });

  it("answers database-unavailable at once when the connection is refused", async () => {
    const book = newBook();
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const { journal, sent } = faultyJournal([{ before: true, error: () => refused }]);
    await expect(journal.append(book, count("k1"))).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(sent()).toBe(1);
    expect(await eventsOf(book)).toEqual([]);
  });
});

describe("a command that decides no events", () => {
  it("is answered as recorded, with none, and sends no transaction", async () => {
    const book = newBook();
    const { journal, sent } = faultyJournal([]);
    const nothing: AppendCommand<Tally> = { ...count("k0"), decide: () => ok({ events: [] }) };
    expect(await journal.append(book, nothing)).toEqual({ ok: true, value: { events: [], replayed: false } });
    expect(sent()).toBe(0);
    expect(await journal.append(book, count("k1"))).toMatchObject({ ok: true, value: { events: [{ seq: 1 }] } });
  });
});
