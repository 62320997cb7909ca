import { GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import type { Command, JournalEvent } from "@relief-ledger/core";
import {
  createDynamoClient,
  createLedgerJournal,
  type LedgerJournal,
  ledgerAppend,
  type TableNames,
} from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

/**
 * Handing commands over between instances (packages/store/src/handoff.ts): instances that keep
 * losing the head race post their commands as mail, and the one holding the book's lease appends
 * them for everyone. Each "instance" here is a journal with a DynamoDB client of its own, as a
 * Lambda instance has, all on one DynamoDB Local.
 */

const finance = { sub: "finance-office", role: "finance" as const };
let tables: TableNames;
let endpoint: string;
let books = 0;

beforeAll(async () => {
  ({ tables, endpoint } = await freshTables());
});

type Options = Parameters<typeof createLedgerJournal>[0];
const instance = (options: Partial<Options> = {}): LedgerJournal =>
  createLedgerJournal({ client: createDynamoClient(endpoint), tables, ...options });

const append = (journal: LedgerJournal, book: string, key: string, command: Command) =>
  journal.append(book, ledgerAppend(book, command, { idempotencyKey: key, actor: finance }));

const payout = (n: number): Command => ({
  type: "record-payout",
  programId: "winter",
  beneficiaryId: `hh-${n % 8}`,
  amount: "100.00",
  paidOn: "2010-06-15",
  reference: `request-${n}`,
});

/** A book whose relief fund holds `hundreds` × 100.00, a programme and eight households. */
async function openBook(journal: LedgerJournal, hundreds: number): Promise<string> {
  const book = `handoff-${++books}`;
  const setup: Command[] = [
    { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
    { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true, on: "2010-01-01" },
    {
      type: "record-collection",
      fundId: "relief",
      source: "upper-subsidy",
      amount: `${hundreds * 100}.00`,
      receivedOn: "2010-01-05",
    },
    { type: "open-program", programId: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false },
    ...Array.from(
      { length: 8 },
      (_, n): Command => ({
        type: "register-beneficiary",
        beneficiaryId: `hh-${n}`,
        kind: "household",
        name: `困难户${n}`,
      }),
    ),
  ];
  for (const [n, command] of setup.entries()) {
    const result = await append(journal, book, `setup-${n}`, command);
    if (!result.ok) throw new Error(result.error.message);
  }
  return book;
}

async function eventsOf(journal: LedgerJournal, book: string): Promise<JournalEvent[]> {
  const all: JournalEvent[] = [];
  for await (const page of journal.read(book, { pageSize: 1000 })) all.push(...page);
  return all;
}

/** Holds the book's lease for a combiner that has died: nobody renews or releases it. */
async function deadCombiner(journal: LedgerJournal, book: string, forMs: number) {
  const client = createDynamoClient(endpoint);
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: tables.state,
            Item: {
              pk: { S: `LEASE#${book}` },
              sk: { S: "LEASE" },
              holder: { S: "instance-that-crashed" },
              until: { N: String(Date.now() + forMs) },
            },
          },
        },
      ],
    }),
  );
  client.destroy();
  void journal;
}

describe("handing commands over between instances", () => {
  it("lets 16 racing instances pay out of one fund: all answered, none twice, never overdrawn", async () => {
    // Senders wait out the race here, as they did before a wait was bounded: with the default 3 s a
    // slow run answers some pending, and a retry refused for the fund then cancels its mail instead
    // of a combiner deciding it (the tests below), which this count does not tell apart.
    const racers = Array.from({ length: 16 }, () => instance({ handoffWaitMs: 20_000 }));
    const book = await openBook(racers[0] as LedgerJournal, 144);
    // 160 payouts of 100.00 from a fund of 14,400.00: the last 16 must be refused, not overdrawn.
    let next = 0;
    const answers: { n: number; ok: boolean; code?: string; seqs: number[] }[] = [];
    await Promise.all(
      racers.map(async (journal) => {
        for (let n = next++; n < 160; n = next++) {
          for (;;) {
            const result = await append(journal, book, `pay-${n}`, payout(n));
            if (!result.ok && result.error.code === "append-conflict") continue; // a client retries with its key
            answers.push({
              n,
              ok: result.ok,
              ...(result.ok ? {} : { code: result.error.code }),
              seqs: result.ok ? result.value.events.map((event) => event.seq) : [],
            });
            break;
          }
        }
      }),
    );
    const stats = racers.map((journal) => journal.stats);
    const handedOff = stats.reduce((total, s) => total + s.handedOff, 0);
    const combined = stats.reduce((total, s) => total + s.combined, 0);
    // The race was real, and some commands were handed over and decided by another instance's writer.
    expect(handedOff).toBeGreaterThan(0);
    // Every handed-over command was answered, so every one was decided by a combiner, once.
    expect(combined).toBe(handedOff);

    expect(answers).toHaveLength(160);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(144);
    expect(answers.filter((answer) => !answer.ok).map((answer) => answer.code)).toEqual(
      Array(16).fill("fund-overdrawn"),
    );

    const events = await eventsOf(racers[0] as LedgerJournal, book);
    const payouts = events.filter((event) => event.type === "PayoutRecorded");
    expect(payouts).toHaveLength(144);
    // Each request recorded once, and each answer names the entry recorded for it.
    const byReference = new Map(payouts.map((event) => [String(event.payload.reference), event.seq]));
    expect(byReference.size).toBe(144);
    for (const answer of answers.filter((a) => a.ok)) {
      expect(answer.seqs).toEqual([byReference.get(`request-${answer.n}`)]);
    }
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const head = await racers[0]?.head(book);
    expect(head?.state.funds.relief?.balance).toBe(0n);
    expect(await racers[0]?.verify(book)).toMatchObject({ ok: true });
  });

  it("waits out a combiner that died holding the lease, then combines itself", async () => {
    const journal = instance({ handoffAfter: 0, leaseMs: 3_000 });
    const book = await openBook(journal, 10);
    await deadCombiner(journal, book, 1_500);
    const before = { ...journal.stats };
    const result = await append(journal, book, "after-crash", payout(1));
    expect(result.ok).toBe(true);
    expect(journal.stats.handedOff - before.handedOff).toBe(1);
    expect(journal.stats.combined - before.combined).toBe(1);
    const events = await eventsOf(journal, book);
    expect(events.filter((event) => event.idempotencyKey === "after-crash")).toHaveLength(1);
    // The lease was given up once the mail was decided.
    const client = createDynamoClient(endpoint);
    const lease = await client.send(
      new GetItemCommand({ TableName: tables.state, Key: { pk: { S: `LEASE#${book}` }, sk: { S: "LEASE" } } }),
    );
    client.destroy();
    expect(lease.Item?.holder?.S).toBe("");
  });

  it("stops waiting after its wait with the request pending; the next combine records it, once", async () => {
    const waiting = instance({ handoffAfter: 0, handoffWaitMs: 400 });
    const book = await openBook(waiting, 10);
    await deadCombiner(waiting, book, 1_000);
    const first = await append(waiting, book, "too-busy", payout(2));
    expect(first).toMatchObject({ ok: false, pending: true, error: { code: "append-conflict" } });
    // Pending, not cancelled: its mail waits, and its client asks after it by its key.
    expect(await waiting.outcomeOf(book, "too-busy")).toEqual({ status: "pending", requester: finance.sub });
    expect((await eventsOf(waiting, book)).filter((event) => event.idempotencyKey === "too-busy")).toHaveLength(0);
    // Once the lease is free, the next instance to combine the book records it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const other = instance({ handoffAfter: 0 });
    expect((await append(other, book, "next", payout(3))).ok).toBe(true);
    const recorded = (await eventsOf(other, book)).filter((event) => event.idempotencyKey === "too-busy");
    expect(recorded).toHaveLength(1);
    expect(await other.outcomeOf(book, "too-busy")).toEqual({
      status: "decided",
      requester: finance.sub,
      result: { ok: true, value: { events: recorded, replayed: true } },
    });

    const retried = await append(waiting, book, "too-busy", payout(2));
    expect(retried).toEqual({ ok: true, value: { events: recorded, replayed: true } });
    expect((await eventsOf(other, book)).filter((event) => event.idempotencyKey === "too-busy")).toHaveLength(1);
  });

  it("keeps a handed-over command's request id: the combiner seals it into the events it records", async () => {
    const waiting = instance({ handoffAfter: 0, handoffWaitMs: 400 });
    const book = await openBook(waiting, 10);
    await deadCombiner(waiting, book, 1_000);
    const command = {
      ...ledgerAppend(book, payout(4), { idempotencyKey: "with-id", actor: finance }),
      requestId: "req-7",
    };
    expect(await waiting.append(book, command)).toMatchObject({ ok: false, pending: true });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const other = instance({ handoffAfter: 0 });
    expect((await append(other, book, "after", payout(5))).ok).toBe(true);
    const recorded = (await eventsOf(other, book)).filter((event) => event.idempotencyKey === "with-id");
    expect(recorded.map((event) => event.requestId)).toEqual(["req-7"]);
    // The other append had no request: its events carry none.
    const after = (await eventsOf(other, book)).filter((event) => event.idempotencyKey === "after");
    expect(after.every((event) => !("requestId" in event))).toBe(true);
  });

  it("lets a retry of a pending request wait for its mail instead of racing it, and records it once", async () => {
    const waiting = instance({ handoffAfter: 0, handoffWaitMs: 300 });
    const book = await openBook(waiting, 10);
    await deadCombiner(waiting, book, 1_000);
    expect(await append(waiting, book, "retried", payout(4))).toMatchObject({ ok: false, pending: true });
    // The retry reaches another instance, whose book is contended too: it finds the mail and waits on it.
    const retrying = instance({ handoffAfter: 0, handoffWaitMs: 3_000 });
    const retry = await append(retrying, book, "retried", payout(4));
    expect(retry).toMatchObject({ ok: true, value: { replayed: true, events: [{ idempotencyKey: "retried" }] } });
    expect(retrying.stats).toMatchObject({ handedOff: 0, combined: 1 });
    expect((await eventsOf(retrying, book)).filter((event) => event.idempotencyKey === "retried")).toHaveLength(1);
  });

  it("keeps a refused handed-over command's outcome for its client to ask after, for more than a day", async () => {
    const waiting = instance({ handoffAfter: 0, handoffWaitMs: 300 });
    const book = await openBook(waiting, 1);
    await deadCombiner(waiting, book, 1_000);
    const overdraft: Command = {
      type: "record-payout",
      programId: "winter",
      beneficiaryId: "hh-5",
      amount: "500.00",
      paidOn: "2010-06-15",
    };
    expect(await append(waiting, book, "too-much", overdraft)).toMatchObject({ ok: false, pending: true });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await append(instance({ handoffAfter: 0 }), book, "small", payout(6))).ok).toBe(true);
    expect(await waiting.outcomeOf(book, "too-much")).toMatchObject({
      status: "decided",
      requester: finance.sub,
      result: { ok: false, error: { code: "fund-overdrawn" } },
    });
    // Its outcome item expires by the state table's TTL attribute, long after any client polls.
    const client = createDynamoClient(endpoint);
    const { Item: outcome } = await client.send(
      new GetItemCommand({
        TableName: tables.state,
        Key: { pk: { S: `OUTCOME#${book}#too-much` }, sk: { S: "OUTCOME" } },
      }),
    );
    client.destroy();
    expect(JSON.parse(outcome?.outcome?.S ?? "{}")).toMatchObject({
      kind: "refused",
      error: { code: "fund-overdrawn" },
    });
    expect(Number(outcome?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 86_400);
    expect(await waiting.outcomeOf(book, "never-sent")).toBeUndefined();
  });

  it("settles a waiting copy of a request before a retry of it is refused", async () => {
    // The fund holds 100.00; a copy of "late" waits as mail behind a dead combiner.
    const waiting = instance({ handoffAfter: 0, handoffWaitMs: 5_000 });
    const book = await openBook(waiting, 1);
    await deadCombiner(waiting, book, 60_000);
    const pending = append(waiting, book, "late", payout(4));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Meanwhile another request takes the money, and a retry of "late" elsewhere is refused.
    const direct = instance({ handoffAfter: 12 });
    expect((await append(direct, book, "first", payout(5))).ok).toBe(true);
    const retry = await append(direct, book, "late", payout(4));
    expect(retry).toMatchObject({ ok: false, error: { code: "fund-overdrawn" } });
    // The waiting copy was settled by that refusal: it can never be recorded now.
    expect(await pending).toMatchObject({ ok: false, error: { code: "append-conflict" } });
    expect((await eventsOf(direct, book)).filter((event) => event.idempotencyKey === "late")).toHaveLength(0);
  });
});
