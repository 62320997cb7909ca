import { randomUUID } from "node:crypto";
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { Command, JournalEvent, JsonObject } from "@relief-ledger/core";
import {
  createDynamoClient,
  createLedgerJournal,
  idempotencyKey,
  type LedgerJournal,
  ledgerAppend,
  mailKey,
  outcomeKey,
  type StateKey,
  type TableNames,
  toItem,
} from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

/**
 * A command handed over between instances (packages/store/src/handoff.ts) travels as mail in the
 * state table, and what comes back from a table is parsed before it is decided: a mail whose
 * command is not one (a record-payout whose amount is a number, a type no command has) is settled
 * as failed by the combiner, so that its sender gets that fault for an answer, and nothing is
 * recorded for it. Every instance here hands its commands over at once (handoffAfter 0) and
 * combines them itself, the lease being free.
 */

const finance = { sub: "finance-office", role: "finance" as const };
let tables: TableNames;
let client: DynamoDBClient;
let endpoint: string;
let books = 0;

beforeAll(async () => {
  ({ tables, client, endpoint } = await freshTables());
});

const instance = (): LedgerJournal =>
  createLedgerJournal({ client: createDynamoClient(endpoint), tables, handoffAfter: 0 });

const payout = (n: number): Command => ({
  type: "record-payout",
  programId: "winter",
  beneficiaryId: "hh-0",
  amount: "100.00",
  paidOn: "2010-06-15",
  reference: `request-${n}`,
});

const append = (journal: LedgerJournal, book: string, key: string, command: Command) =>
  journal.append(book, ledgerAppend(book, command, { idempotencyKey: key, actor: finance }));

/** A book whose relief fund holds 1,000.00, with a programme and one household. */
async function openBook(journal: LedgerJournal): Promise<string> {
  const book = `wire-${++books}`;
  const setup: Command[] = [
    { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
    { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true, on: "2010-01-01" },
    {
      type: "record-collection",
      fundId: "relief",
      source: "upper-subsidy",
      amount: "1000.00",
      receivedOn: "2010-01-05",
    },
    { type: "open-program", programId: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false },
    { type: "register-beneficiary", beneficiaryId: "hh-0", kind: "household", name: "困难户" },
  ];
  for (const [n, command] of setup.entries()) {
    const result = await append(journal, book, `setup-${n}`, command);
    if (!result.ok) throw new Error(result.error.message);
  }
  return book;
}

/** Posts mail straight into the state table, as a sender would, with a wire of our making. */
async function postMail(book: string, key: string, wire: unknown): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: tables.state,
      Item: toItem({ ...mailKey(book, key), mailId: randomUUID(), wire: JSON.stringify(wire) }),
    }),
  );
}

const stateItem = async (key: StateKey) =>
  (await client.send(new GetItemCommand({ TableName: tables.state, Key: toItem(key), ConsistentRead: true }))).Item;

async function eventsOf(journal: LedgerJournal, book: string): Promise<JournalEvent[]> {
  const all: JournalEvent[] = [];
  for await (const page of journal.read(book, { pageSize: 1000 })) all.push(...page);
  return all;
}

describe("a handed-over command read back from the state table", () => {
  it.each([
    ["a payout whose amount is a number", { ...payout(1), amount: 12.5 }, "command.amount"],
    ["a command of a type no command has", { type: "pay-everyone", amount: "100.00" }, "command.type"],
  ])("refuses %s: settled as failed, never decided", async (_, command, path) => {
    const journal = instance();
    const book = await openBook(journal);
    const wire = {
      command,
      idempotencyKey: "malformed",
      requestHash: "h",
      actor: finance,
      at: new Date().toISOString(),
    };
    await postMail(book, "malformed", wire);
    const before = { ...journal.stats };

    // A well-formed command handed over after it makes this instance the combiner of both.
    expect((await append(journal, book, "well-formed", payout(2))).ok).toBe(true);

    expect(journal.stats.combined - before.combined).toBe(2);
    const outcome = await stateItem(outcomeKey(book, "malformed"));
    expect(JSON.parse(outcome?.outcome?.S ?? "{}")).toEqual({
      kind: "failed",
      message: expect.stringContaining(`malformed handed-over command: ${path}`),
    });
    expect(await stateItem(mailKey(book, "malformed"))).toBeUndefined();
    expect(await stateItem(idempotencyKey(book, "malformed"))).toBeUndefined();
    const events = await eventsOf(journal, book);
    expect(events.filter((event) => event.idempotencyKey === "malformed")).toEqual([]);
    expect(events.filter((event) => event.type === "PayoutRecorded").map((event) => event.idempotencyKey)).toEqual([
      "well-formed",
    ]);
    expect((await journal.head(book)).state.funds.relief?.balance).toBe(90_000n);
  });

  it("answers its sender with the fault, having recorded nothing", async () => {
    const journal = instance();
    const book = await openBook(journal);
    // Decided here it would be a payout; what it hands over is a command of no known type.
    const sent = ledgerAppend(book, payout(3), { idempotencyKey: "unknown-type", actor: finance });
    const wire = { ...(sent.wire as JsonObject), command: { type: "pay-everyone", amount: "100.00" } };
    await expect(journal.append(book, { ...sent, wire })).rejects.toThrow(
      /a handed-over command failed: malformed handed-over command: command\.type/,
    );
    expect((await eventsOf(journal, book)).filter((event) => event.idempotencyKey === "unknown-type")).toEqual([]);
    expect((await journal.head(book)).state.funds.relief?.balance).toBe(100_000n);
  });
});
