import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Command, JournalEvent } from "@relief-ledger/core";
import {
  createDynamoClient,
  createLedgerJournal,
  headKey,
  type LedgerJournal,
  ledgerAppend,
  mailKey,
  outcomeKey,
  type TableNames,
  toItem,
} from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

const finance = { sub: "finance-office", role: "finance" as const };
let client: DynamoDBClient;
let tables: TableNames;
let journal: LedgerJournal;
let bookCounter = 0;

beforeAll(async () => {
  ({ client, tables } = await freshTables());
  journal = createLedgerJournal({ client, tables });
});

const collection = (amount: string, memo?: string): Command => ({
  type: "record-collection",
  fundId: "relief",
  source: "dues",
  amount,
  receivedOn: "2010-03-01",
  ...(memo ? { memo } : {}),
});

/** A new book with one fund, so that tests do not see each other's events. */
async function openBook(on: LedgerJournal = journal): Promise<string> {
  const book = `book-${++bookCounter}-${Date.now().toString(36)}`;
  const commands: Command[] = [
    { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
    { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true, on: "2010-01-01" },
  ];
  for (const [index, command] of commands.entries()) {
    const result = await on.append(
      book,
      ledgerAppend(book, command, { idempotencyKey: `setup-${index}`, actor: finance }),
    );
    if (!result.ok) throw new Error(result.error.message);
  }
  return book;
}

async function allEvents(book: string, on: LedgerJournal = journal): Promise<JournalEvent[]> {
  const events: JournalEvent[] = [];
  for await (const page of on.read(book, { pageSize: 25 })) events.push(...page);
  return events;
}

const seqsOf = (results: Awaited<ReturnType<LedgerJournal["append"]>>[]): number[] =>
  results.flatMap((result) => (result.ok ? result.value.events.map((event) => event.seq) : []));

describe("the journal on DynamoDB Local", () => {
  it("numbers 50 concurrent appends from one process without a gap or a duplicate", async () => {
    const book = await openBook();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        journal.append(
          book,
          ledgerAppend(book, collection("1.00", `c${n}`), { idempotencyKey: `c-${n}`, actor: finance }),
        ),
      ),
    );
    expect(results.every((result) => result.ok && !result.value.replayed && result.value.events.length === 1)).toBe(
      true,
    );
    const seqs = seqsOf(results).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, n) => n + 3));
    const events = await allEvents(book);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 52 }, (_, n) => n + 1));
    // Every command is in the journal exactly once.
    expect(new Set(events.map((event) => event.idempotencyKey)).size).toBe(52);
    const head = await journal.head(book);
    expect(head.state.funds.relief?.balance).toBe(5000n);
    expect(await journal.verify(book)).toMatchObject({ ok: true, checked: 52, headSeq: 52 });
  });

  it("keeps the chain whole when two store instances race for one book", async () => {
    const other = createLedgerJournal({ client: createDynamoClient((await freshTables()).endpoint), tables });
    const book = await openBook();
    // The other instance writes once first: this one's writer still holds the head it wrote (seq 2),
    // so its first transaction of the race is conditioned on a head that has moved, and loses.
    const warm = await other.append(
      book,
      ledgerAppend(book, collection("2.00", "b-warm"), { idempotencyKey: "b-warm", actor: finance }),
    );
    expect(warm.ok).toBe(true);
    const appendVia = (on: LedgerJournal, prefix: string) =>
      Array.from({ length: 25 }, (_, n) =>
        on.append(
          book,
          ledgerAppend(book, collection("2.00", `${prefix}${n}`), { idempotencyKey: `${prefix}-${n}`, actor: finance }),
        ),
      );
    const results = await Promise.all([...appendVia(journal, "a"), ...appendVia(other, "b")]);
    const failures = results.filter((result) => !result.ok);
    expect(failures).toEqual([]);
    const seqs = seqsOf(results).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, n) => n + 4));
    const events = await allEvents(book);
    expect(events).toHaveLength(53);
    expect(new Set(events.map((event) => event.idempotencyKey)).size).toBe(53);
    expect((await journal.head(book)).state.funds.relief?.balance).toBe(10_200n);
    expect(await journal.verify(book)).toMatchObject({ ok: true, checked: 53 });
    // They did collide: this instance conditioned its first transaction on seq 2, and lost.
    expect(journal.stats.lostRaces + other.stats.lostRaces).toBeGreaterThan(0);
  });

  it("fails a command that keeps losing races with a typed conflict, after a bounded number of tries", async () => {
    const book = await openBook();
    const impatient = createLedgerJournal({ client, tables, maxAttempts: 1 });
    await impatient.head(book);
    await impatient.append(book, ledgerAppend(book, collection("1.00"), { idempotencyKey: "warm", actor: finance }));
    // Another process moves the head; the impatient instance's cached head is now stale.
    await journal.append(book, ledgerAppend(book, collection("1.00"), { idempotencyKey: "elsewhere", actor: finance }));
    // Without its wire the command cannot be handed over (journal-handoff.test.ts bounds that path): it only races.
    const { wire: _, ...raceOnly } = ledgerAppend(book, collection("1.00"), { idempotencyKey: "late", actor: finance });
    const result = await impatient.append(book, raceOnly);
    expect(result).toMatchObject({ ok: false, error: { code: "append-conflict", attempts: 1 } });
    // Nothing of it was written, and a patient instance records it from the fresh head.
    expect((await allEvents(book)).map((event) => event.idempotencyKey)).not.toContain("late");
    const retried = await journal.append(
      book,
      ledgerAppend(book, collection("1.00"), { idempotencyKey: "late", actor: finance }),
    );
    expect(retried).toMatchObject({ ok: true, value: { replayed: false, events: [{ seq: 5 }] } });
  });

  it("answers a retry with the same key and body with the original event, and writes nothing", async () => {
    const book = await openBook();
    const command = ledgerAppend(book, collection("300000.00"), { idempotencyKey: "winter-1", actor: finance });
    const first = await journal.append(book, command);
    const again = await journal.append(book, command);
    const fromAnotherProcess = await createLedgerJournal({ client, tables }).append(book, command);
    expect(first).toMatchObject({ ok: true, value: { replayed: false } });
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    if (!first.ok || !again.ok || !fromAnotherProcess.ok) throw new Error("unexpected refusal");
    expect(again.value.events).toEqual(first.value.events);
    expect(fromAnotherProcess.value.events).toEqual(first.value.events);
    expect(await allEvents(book)).toHaveLength(3);
    expect((await journal.head(book)).state.funds.relief?.balance).toBe(30_000_000n);
  });

  it("replays a retry even when the command would now be refused", async () => {
    const book = await openBook();
    const fund: Command = { type: "open-fund", fundId: "aid", name: "金秋助学", restricted: true, on: "2010-08-01" };
    const first = await journal.append(book, ledgerAppend(book, fund, { idempotencyKey: "fund-aid", actor: finance }));
    const retry = await journal.append(book, ledgerAppend(book, fund, { idempotencyKey: "fund-aid", actor: finance }));
    expect(retry).toEqual(first.ok ? { ok: true, value: { ...first.value, replayed: true } } : "unexpected");
    const fresh = await journal.append(
      book,
      ledgerAppend(book, fund, { idempotencyKey: "fund-aid-2", actor: finance }),
    );
    expect(fresh).toMatchObject({ ok: false, error: { code: "fund-exists" } });
  });

  it("refuses the same key with a different body, and writes nothing", async () => {
    const book = await openBook();
    await journal.append(book, ledgerAppend(book, collection("10.00"), { idempotencyKey: "k", actor: finance }));
    const changed = await journal.append(
      book,
      ledgerAppend(book, collection("10.01"), { idempotencyKey: "k", actor: finance }),
    );
    expect(changed).toMatchObject({
      ok: false,
      error: { code: "idempotency-key-reused", idempotencyKey: "k", message: expect.stringContaining("key k ") },
    });
    expect(await allEvents(book)).toHaveLength(3);
    expect((await journal.head(book)).state.funds.relief?.balance).toBe(1000n);
  });

  it("settles every command of a group commit on its own: a reused key does not sink the others", async () => {
    const book = await openBook();
    await journal.append(book, ledgerAppend(book, collection("1.00"), { idempotencyKey: "taken", actor: finance }));
    const results = await Promise.all([
      journal.append(book, ledgerAppend(book, collection("2.00"), { idempotencyKey: "g-1", actor: finance })),
      journal.append(book, ledgerAppend(book, collection("9.99"), { idempotencyKey: "taken", actor: finance })),
      journal.append(book, ledgerAppend(book, collection("3.00"), { idempotencyKey: "g-2", actor: finance })),
      journal.append(
        book,
        ledgerAppend(book, { ...collection("4.00"), fundId: "missing" } as Command, {
          idempotencyKey: "g-3",
          actor: finance,
        }),
      ),
    ]);
    expect(results.map((result) => (result.ok ? "ok" : result.error.code))).toEqual([
      "ok",
      "idempotency-key-reused",
      "ok",
      "fund-not-found",
    ]);
    expect((await journal.head(book)).state.funds.relief?.balance).toBe(600n);
    expect(await journal.verify(book)).toMatchObject({ ok: true, checked: 5 });
  });

  it("reads the journal page by page in seq order", async () => {
    const book = await openBook();
    for (let n = 0; n < 7; n++)
      await journal.append(
        book,
        ledgerAppend(book, collection("1.00", `p${n}`), { idempotencyKey: `p-${n}`, actor: finance }),
      );
    const pages: number[][] = [];
    for await (const page of journal.read(book, { fromSeq: 2, toSeq: 8, pageSize: 3 }))
      pages.push(page.map((event) => event.seq));
    expect(pages).toEqual([[2, 3, 4], [5, 6, 7], [8]]);
  });

  it("refuses a command whose events cannot fit in one transaction, writing nothing, and goes on", async () => {
    const book = await openBook();
    const setup: Command[] = [
      { type: "record-collection", fundId: "relief", source: "dues", amount: "100000", receivedOn: "2010-03-01" },
      { type: "open-program", programId: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false },
      ...Array.from(
        { length: 100 },
        (_, n): Command => ({
          type: "register-beneficiary",
          beneficiaryId: `hh-${n}`,
          kind: "household",
          name: "困难职工",
        }),
      ),
    ];
    const registered = await Promise.all(
      setup.map((command, n) =>
        journal.append(book, ledgerAppend(book, command, { idempotencyKey: `big-setup-${n}`, actor: finance })),
      ),
    );
    expect(registered.every((result) => result.ok)).toBe(true);
    const before = await journal.head(book);
    // 100 payouts and the chunk's summary are 101 events: with the head, more than DynamoDB's 100 items.
    const chunk: Command = {
      type: "record-payout-chunk",
      batchId: "too-big",
      programId: "winter",
      paidOn: "2010-03-02",
      method: "cash",
      chunk: 0,
      firstLine: 0,
      totalLines: 100,
      lines: Array.from({ length: 100 }, (_, n) => ({ beneficiaryId: `hh-${n}`, amount: "10.00" })),
    };
    await expect(
      journal.append(book, ledgerAppend(book, chunk, { idempotencyKey: "too-big", actor: finance })),
    ).rejects.toThrow(/^one command needs \d+ items; a transaction holds 99 besides the head$/);
    expect((await journal.head(book)).seq).toBe(before.seq);
    // The writer is not stuck on it: the next command is recorded.
    const next = await journal.append(
      book,
      ledgerAppend(book, collection("1.00", "after"), { idempotencyKey: "after-too-big", actor: finance }),
    );
    expect(next.ok && next.value.events.map((event) => event.seq)).toEqual([before.seq + 1]);
  });
});

describe("verify finds tampering in the table", () => {
  const tamperings: [string, string, Record<string, unknown>][] = [
    ["the amount in the payload", "SET payload.amount = :v", { ":v": { S: "999.00" } }],
    ["the postings", "SET payload.postings[1].amount = :v", { ":v": { S: "999.00" } }],
    ["the event type", "SET #t = :v", { ":v": { S: "FundOpened" } }],
    ["the business date", "SET occurredOn = :v", { ":v": { S: "2010-03-02" } }],
    ["the recording time", "SET recordedAt = :v", { ":v": { S: "2010-03-01T00:00:00.000Z" } }],
    ["the actor", "SET actor.#s = :v", { ":v": { S: "someone-else" } }],
    ["the idempotency key", "SET idempotencyKey = :v", { ":v": { S: "other" } }],
    ["the previous hash", "SET prevHash = :v", { ":v": { S: "a".repeat(64) } }],
    ["its own hash", "SET #h = :v", { ":v": { S: "b".repeat(64) } }],
    ["an added attribute", "SET note = :v", { ":v": { S: "approved" } }],
    ["a removed attribute", "REMOVE payload.memo", {}],
    ["an index attribute (hiding it from an index)", "SET xProgram = :v", { ":v": { S: "elsewhere#aid" } }],
    ["an added index attribute", "SET xBeneficiary = :v", { ":v": { S: "someone" } }],
  ];

  it.each(tamperings)("names the seq whose %s was changed", async (_what, update, values) => {
    const book = await openBook();
    for (let n = 0; n < 5; n++)
      await journal.append(
        book,
        ledgerAppend(book, collection("1.00", `t${n}`), { idempotencyKey: `t-${n}`, actor: finance }),
      );
    expect(await journal.verify(book)).toMatchObject({ ok: true, checked: 7 });
    const names: Record<string, string> = {};
    if (update.includes("#t")) names["#t"] = "type";
    if (update.includes("#s")) names["#s"] = "sub";
    if (update.includes("#h")) names["#h"] = "hash";
    await client.send(
      new UpdateItemCommand({
        TableName: tables.journal,
        Key: { book: { S: book }, seq: { N: "5" } },
        UpdateExpression: update,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values as never } : {}),
      }),
    );
    const report = await journal.verify(book);
    expect(report.ok).toBe(false);
    expect(report.firstBreak?.seq).toBe(5);
    // Its neighbours are untouched: only the altered entry is named, and every entry was checked.
    expect(report.breaks.map((item) => item.seq)).toEqual([5]);
    expect(report.checked).toBe(7);
  });

  it("names the gap where an event was deleted, and a deleted last event too", async () => {
    const book = await openBook();
    for (let n = 0; n < 5; n++)
      await journal.append(
        book,
        ledgerAppend(book, collection("1.00", `d${n}`), { idempotencyKey: `d-${n}`, actor: finance }),
      );
    await client.send(
      new DeleteItemCommand({ TableName: tables.journal, Key: { book: { S: book }, seq: { N: "7" } } }),
    );
    expect(await journal.verify(book)).toMatchObject({ ok: false, firstBreak: { seq: 7, reason: "missing" } });
    await client.send(
      new DeleteItemCommand({ TableName: tables.journal, Key: { book: { S: book }, seq: { N: "4" } } }),
    );
    expect(await journal.verify(book)).toMatchObject({
      ok: false,
      firstBreak: { seq: 4, reason: "missing" },
      breaks: [
        { seq: 4, reason: "missing" },
        { seq: 7, reason: "missing" },
      ],
      checked: 5,
    });
  });

  it("verifies a range anchored on the event before it", async () => {
    const book = await openBook();
    for (let n = 0; n < 6; n++)
      await journal.append(
        book,
        ledgerAppend(book, collection("1.00", `r${n}`), { idempotencyKey: `r-${n}`, actor: finance }),
      );
    expect(await journal.verify(book, { fromSeq: 4, toSeq: 6 })).toMatchObject({ ok: true, checked: 3, fromSeq: 4 });
    await client.send(
      new UpdateItemCommand({
        TableName: tables.journal,
        Key: { book: { S: book }, seq: { N: "3" } },
        UpdateExpression: "SET memo = :v",
        ExpressionAttributeValues: { ":v": { S: "x" } },
      }),
    );
    // The anchor itself was altered: the range cannot be trusted, and the report says where.
    expect(await journal.verify(book, { fromSeq: 4, toSeq: 6 })).toMatchObject({ ok: false, firstBreak: { seq: 3 } });
  });
});

/** Appends `count` collections of 1.00 to a book; they take seqs 3, 4, … after openBook's two. */
async function collect(book: string, count: number, tag: string): Promise<void> {
  for (let n = 0; n < count; n++) {
    const result = await journal.append(
      book,
      ledgerAppend(book, collection("1.00", `${tag}${n}`), { idempotencyKey: `${tag}-${n}`, actor: finance }),
    );
    if (!result.ok) throw new Error(result.error.message);
  }
}

const tamper = (book: string, seq: number, update: string, values?: Record<string, unknown>, names?: object) =>
  client.send(
    new UpdateItemCommand({
      TableName: tables.journal,
      Key: { book: { S: book }, seq: { N: String(seq) } },
      UpdateExpression: update,
      ...(names ? { ExpressionAttributeNames: names as Record<string, string> } : {}),
      ...(values ? { ExpressionAttributeValues: values as never } : {}),
    }),
  );

/** A stored item that is no event at all, at a seq of the book's partition. */
const junkItem = (book: string, seq: number) => ({ book: { S: book }, seq: { N: String(seq) }, junk: { S: "x" } });

describe("reading ranges and pages", () => {
  it("reads nothing from a reversed range, and verifies a book that was never opened", async () => {
    const book = await openBook();
    const pages: JournalEvent[][] = [];
    for await (const page of journal.read(book, { fromSeq: 2, toSeq: 1 })) pages.push(page);
    expect(pages).toEqual([]);
    expect(await journal.entry(book, 3)).toBeUndefined();
    // No head: the range is 1..0.
    expect(await journal.verify(`${book}-never-opened`)).toEqual({
      ok: true,
      checked: 0,
      fromSeq: 1,
      lastGood: { seq: 0, hash: (await journal.head(`${book}-never-opened`)).hash },
      breaks: [],
      breakCount: 0,
      headSeq: 0,
      headHash: (await journal.head(`${book}-never-opened`)).hash,
    });
  });

  it("yields no empty page when the book ends exactly on a page boundary", async () => {
    const book = await openBook();
    await collect(book, 4, "b");
    // Six events in pages of 3: DynamoDB hands back a cursor after the second, full page, and the
    // query it leads to finds nothing.
    const pages: number[][] = [];
    for await (const page of journal.read(book, { pageSize: 3 })) pages.push(page.map((event) => event.seq));
    expect(pages).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it("lists the deployment's books, a book's audits and a page of its entries", async () => {
    const book = await openBook();
    await collect(book, 2, "q");
    expect(await journal.books()).toContainEqual({ id: book, name: "巴州区总工会", openedOn: "2010-01-01" });
    expect(await journal.entityList(book, "audit")).toEqual([]);
    const page = await journal.queryEntries(book, { fromSeq: 2 }, { limit: 2 });
    expect(page.events.map((event) => [event.seq, event.type])).toEqual([
      [2, "FundOpened"],
      [3, "CollectionRecorded"],
    ]);
  });
});

describe("verify's range, index checks and the head", () => {
  it("reports a missing anchor as the break before the range, with nothing known good", async () => {
    const book = await openBook();
    await collect(book, 6, "a");
    await client.send(
      new DeleteItemCommand({ TableName: tables.journal, Key: { book: { S: book }, seq: { N: "3" } } }),
    );
    const head = await journal.head(book);
    const report = await journal.verify(book, { fromSeq: 4, toSeq: 6 });
    expect(report).toMatchObject({
      ok: false,
      checked: 0,
      fromSeq: 3,
      lastGood: { seq: 2, hash: "" },
      firstBreak: { seq: 3, reason: "missing" },
      breakCount: 1,
      headSeq: 8,
      headHash: head.hash,
    });
    // Only the anchor is named missing, not the range after it.
    expect(report.breaks).toEqual([{ seq: 3, reason: "missing", detail: expect.stringMatching(/^seq 3 is missing/) }]);
  });

  it("names an altered index attribute and the value the event derives", async () => {
    const book = await openBook();
    await collect(book, 3, "i");
    await tamper(book, 4, "SET xProgram = :v", { ":v": { S: "elsewhere#aid" } });
    expect((await journal.verify(book)).breaks).toEqual([
      {
        seq: 4,
        reason: "index-mismatch",
        detail: 'index attribute xProgram is "elsewhere#aid", the event derives null',
      },
    ]);
  });

  it.each([
    ["a business date that is not text", "SET occurredOn = :v", { ":v": { N: "20100101" } }],
    ["a payload that is text", "SET payload = :v", { ":v": { S: "winter" } }],
    ["a payload that is a list", "SET payload = :v", { ":v": { L: [] } }],
  ])("reports an indexed event with %s as malformed, not as an index mismatch", async (_what, update, values) => {
    const book = await openBook();
    const opened = await journal.append(
      book,
      ledgerAppend(
        book,
        { type: "open-program", programId: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false },
        { idempotencyKey: "program", actor: finance },
      ),
    );
    expect(opened.ok).toBe(true);
    await collect(book, 1, "m");
    await tamper(book, 3, update, values);
    const report = await journal.verify(book);
    expect(report.breaks.map((item) => [item.seq, item.reason])).toEqual([[3, "malformed"]]);
    expect(report.checked).toBe(4);
  });

  it("finds an event beyond the head only when the range reaches the head", async () => {
    const book = await openBook();
    await collect(book, 3, "h");
    await client.send(new PutItemCommand({ TableName: tables.journal, Item: junkItem(book, 6) }));
    expect(await journal.verify(book, { toSeq: 4 })).toMatchObject({ ok: true, checked: 4, breakCount: 0 });
    const report = await journal.verify(book);
    expect(report).toMatchObject({
      ok: false,
      checked: 5,
      firstBreak: { seq: 6, reason: "out-of-order", detail: expect.stringMatching(/\b6\b.*\b5\b/) },
      breakCount: 1,
      headSeq: 5,
    });
    expect(report.breaks).toHaveLength(1);
  });

  it("does not count an event appended while it verified as beyond the head", async () => {
    const book = await openBook();
    await collect(book, 2, "v");
    let appended = false;
    // A client that lets another instance append just before verify looks past the head.
    const racing = {
      send: async (command: unknown) => {
        if (!appended && command instanceof QueryCommand && command.input.Limit === 1) {
          appended = true;
          await collect(book, 1, "w");
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const report = await createLedgerJournal({ client: racing, tables }).verify(book);
    expect(appended).toBe(true);
    expect(report).toMatchObject({ ok: true, checked: 4, breakCount: 0, headSeq: 4 });
    expect((await journal.verify(book)).checked).toBe(5);
  });

  it("lists at most a hundred breaks, and still counts one beyond the head", async () => {
    const book = await openBook();
    // The head claims 102 events; seqs 3..102 hold items that are no events, and one lies at 103.
    await client.send(
      new UpdateItemCommand({
        TableName: tables.state,
        Key: toItem(headKey(book)),
        UpdateExpression: "SET seq = :v",
        ExpressionAttributeValues: { ":v": { N: "102" } },
      }),
    );
    const junk = Array.from({ length: 101 }, (_, n) => junkItem(book, n + 3));
    for (let n = 0; n < junk.length; n += 25)
      await client.send(
        new BatchWriteItemCommand({
          RequestItems: { [tables.journal]: junk.slice(n, n + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    const report = await journal.verify(book);
    // 100 malformed, the head's hash not matched at 102, and 103 beyond the head.
    expect(report).toMatchObject({ ok: false, checked: 102, breakCount: 102, headSeq: 102 });
    expect(report.breaks).toHaveLength(100);
    expect(report.breaks.every((item) => item.reason === "malformed")).toBe(true);
  });
});

describe("when a command races and when it is handed over", () => {
  const appendTo = (on: LedgerJournal, book: string, key: string, command: Command = collection("1.00", key)) =>
    on.append(book, ledgerAppend(book, command, { idempotencyKey: key, actor: finance }));
  const refused: Command = { ...collection("1.00"), fundId: "no-such-fund" } as Command;

  it("races an uncontended command, and hands it over at once with handoffAfter 0", async () => {
    const racing = createLedgerJournal({ client, tables });
    const book = await openBook(racing);
    expect((await appendTo(racing, book, "r")).ok).toBe(true);
    expect(racing.stats).toMatchObject({ handedOff: 0, lostRaces: 0 });
    const handing = createLedgerJournal({ client, tables, handoffAfter: 0 });
    expect(await appendTo(handing, book, "h")).toMatchObject({ ok: true, value: { events: [{ seq: 4 }] } });
    expect(handing.stats.handedOff).toBe(1);
  });

  it("returns a refusal from the race instead of handing the command over", async () => {
    const racing = createLedgerJournal({ client, tables });
    const book = await openBook(racing);
    expect(await appendTo(racing, book, "no-fund", refused)).toMatchObject({ ok: false });
    expect(racing.stats.handedOff).toBe(0);
  });

  it("answers a handed-over command that is refused with the refusal itself", async () => {
    const book = await openBook();
    const handing = createLedgerJournal({ client, tables, handoffAfter: 0 });
    expect(await appendTo(handing, book, "no-fund-h", refused)).toMatchObject({
      ok: false,
      error: { code: "fund-not-found" },
    });
    expect(handing.stats.handedOff).toBe(1);
    expect(await allEvents(book)).toHaveLength(2);
  });

  it("counts a book as contended after a lost race: its next commands go to the combiner", async () => {
    const a = createLedgerJournal({ client, tables });
    const b = createLedgerJournal({ client, tables });
    const book = await openBook(a);
    // b moves the head on, so that a, with the head it cached, loses one race and then wins.
    expect((await appendTo(b, book, "b1")).ok).toBe(true);
    expect(await appendTo(a, book, "a1")).toMatchObject({ ok: true, value: { events: [{ seq: 4 }] } });
    expect(a.stats).toMatchObject({ lostRaces: 1, handedOff: 0 });
    expect((await appendTo(a, book, "a2")).ok).toBe(true);
    expect(a.stats.handedOff).toBe(1);
    // Handing a command over keeps the book contended too.
    expect((await appendTo(a, book, "a3")).ok).toBe(true);
    expect(a.stats).toMatchObject({ handedOff: 2, lostRaces: 1 });
  });

  it("hands a command over once it has lost its allowed races", async () => {
    const b = createLedgerJournal({ client, tables });
    const book = await openBook(b);
    let interfered = false;
    // Just before a's first transaction, b appends: a loses its one allowed race.
    const interfering = {
      send: async (command: unknown) => {
        if (!interfered && command instanceof TransactWriteItemsCommand) {
          interfered = true;
          expect((await appendTo(b, book, "b1")).ok).toBe(true);
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const a = createLedgerJournal({ client: interfering, tables, handoffAfter: 1 });
    expect(await appendTo(a, book, "a1")).toMatchObject({ ok: true, value: { events: [{ seq: 4 }] } });
    expect(a.stats).toMatchObject({ lostRaces: 1, handedOff: 1 });
  });

  it("answers a handed-over retry that a combiner elsewhere found recorded with the original entry", async () => {
    const book = await openBook();
    const first = await appendTo(journal, book, "k-again");
    if (!first.ok) throw new Error(first.error.message);
    const combiner = createLedgerJournal({ client, tables, handoffAfter: 0 });
    let posted = false;
    // The retry's mail is posted; before its sender looks, another instance combines the book.
    const posting = {
      send: async (command: unknown) => {
        const answer = await client.send(command as never);
        if (!posted && command instanceof TransactWriteItemsCommand) {
          posted = true;
          expect((await appendTo(combiner, book, "other")).ok).toBe(true);
        }
        return answer;
      },
    } as unknown as DynamoDBClient;
    const sender = createLedgerJournal({ client: posting, tables, handoffAfter: 0 });
    expect(await appendTo(sender, book, "k-again")).toEqual({ ok: true, value: { ...first.value, replayed: true } });
    expect(posted).toBe(true);
    expect(combiner.stats.combined).toBe(2);
    expect((await allEvents(book)).filter((event) => event.idempotencyKey === "k-again")).toHaveLength(1);
  });

  it("answers pending after handoffWaitMs when no combiner decides it, and the book's next append decides it", async () => {
    const book = await openBook();
    // A combiner that died holding the book's lease for the next second: nobody decides the mail.
    await client.send(
      new PutItemCommand({
        TableName: tables.state,
        Item: toItem({ pk: `LEASE#${book}`, sk: "LEASE", holder: "crashed", until: Date.now() + 1_000 }),
      }),
    );
    const waiting = createLedgerJournal({ client, tables, handoffAfter: 0, handoffWaitMs: 200 });
    expect(await appendTo(waiting, book, "busy")).toMatchObject({
      ok: false,
      pending: true,
      error: { code: "append-conflict" },
    });
    expect(waiting.stats.handedOff).toBe(1);
    expect(await allEvents(book)).toHaveLength(2);
    expect(await waiting.outcomeOf(book, "busy")).toEqual({ status: "pending", requester: finance.sub });
    // Once the lease has expired, an instance new to the book sweeps it before its first append.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const next = createLedgerJournal({ client, tables });
    expect((await appendTo(next, book, "next")).ok).toBe(true);
    expect((await allEvents(book)).map((event) => event.idempotencyKey)).toEqual([
      "setup-0",
      "setup-1",
      "busy",
      "next",
    ]);
    expect(await waiting.outcomeOf(book, "busy")).toMatchObject({
      status: "decided",
      requester: finance.sub,
      result: { ok: true, value: { events: [{ seq: 3, idempotencyKey: "busy" }], replayed: true } },
    });
  });

  it("settles a waiting copy of a request as cancelled before it refuses a retry of it", async () => {
    const racing = createLedgerJournal({ client, tables });
    const book = await openBook(racing);
    const mail = mailKey(book, "late");
    await client.send(
      new PutItemCommand({ TableName: tables.state, Item: toItem({ ...mail, mailId: "m-1", wire: "{}" }) }),
    );
    expect(await appendTo(racing, book, "late", refused)).toMatchObject({ ok: false });
    const read = (key: typeof mail) =>
      client.send(new GetItemCommand({ TableName: tables.state, Key: toItem(key), ConsistentRead: true }));
    expect((await read(mail)).Item).toBeUndefined();
    expect((await read(outcomeKey(book, "late"))).Item).toBeDefined();
  });
});
