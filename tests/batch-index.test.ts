import { CreateTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import type { Command, JournalEvent } from "@relief-ledger/core";
import {
  createDynamoClient,
  createLedgerJournal,
  createTableInput,
  ensureTables,
  INDEXED_SINCE,
  JOURNAL_TABLE,
  ledgerAppend,
  readBatch,
} from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { payingBook } from "./support/books.ts";

let api: Api;
let finance: string;
let admin: string;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  admin = await api.token("admin");
});

/** A batch of `lines` lines (chunks of 48) in a book that holds other batches around it. */
async function bookWithBatch(book: string, lines: number) {
  const { base, ids } = await payingBook(api, { admin, finance }, book, lines);
  const post = async (batchId: string, method: string) => {
    const reply = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: {
        batchId,
        programId: "winter",
        paidOn: "2010-12-20",
        method,
        lines: ids.map((beneficiaryId, n) => ({ beneficiaryId, amount: `${100 + n}.00` })),
      },
    });
    expect(reply.status).toBe(201);
  };
  await post("before", "cash");
  await post("winter", "bank");
  await post("after", "cash");
  return { base };
}

type Reader = Parameters<typeof readBatch>[0];

/** The journal with its byBatch index answering only what `keep` keeps: a lagging index, or one older than the batch. */
const withIndex = (keep: (event: JournalEvent) => boolean): Reader => ({
  read: (book, range) => api.journal.read(book, range),
  entities: (book, refs) => api.journal.entities(book, refs),
  async *batchEvents(book, batchId) {
    for await (const page of api.journal.batchEvents(book, batchId)) yield page.filter(keep);
  },
});

describe("a batch's index (byBatch)", () => {
  it("reads a batch from its index and its chunks' seqs: the entries the whole book gives, returns included", async () => {
    const { base } = await bookWithBatch("index-1", 100);
    const batch = await readBatch(api.journal, "index-1", "winter");
    expect(batch.via).toBe("index");
    expect(batch.payouts.map((event) => event.payload.line)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(new Set(batch.payouts.map((event) => event.payload.batchId))).toEqual(new Set(["winter"]));

    const returned = batch.payouts[42] as JournalEvent;
    const back = await api.send("POST", `${base}/payouts/${returned.seq}/return`, {
      token: finance,
      body: { returnedOn: "2010-12-22", reason: "账户已销户" },
    });
    expect(back.status).toBe(201);
    const after = await readBatch(api.journal, "index-1", "winter");
    expect(after.undone).toEqual(new Set([returned.seq]));

    // An index that has none of it: the whole book is read, and says the same.
    const scanned = await readBatch(
      withIndex(() => false),
      "index-1",
      "winter",
    );
    expect(scanned.via).toBe("book");
    expect(scanned.payouts).toEqual(after.payouts);
    expect(scanned.undone).toEqual(after.undone);
    // The index holds the batch's descriptions, not its payouts: one item per chunk here.
    const described: JournalEvent[] = [];
    for await (const page of api.journal.batchEvents("index-1", "winter")) described.push(...page);
    expect(described.map((event) => event.type)).toEqual(Array.from({ length: 3 }, () => "PayoutBatchChunkRecorded"));
  });

  it("trusts the index only when its chunks cover every line: a chunk missing (lag, or older than the index) reads the book", async () => {
    await bookWithBatch("index-2", 100);
    const whole = await readBatch(api.journal, "index-2", "winter");
    const lagging = await readBatch(
      withIndex((event) => event.payload.chunk !== 1),
      "index-2",
      "winter",
    );
    expect(lagging.via).toBe("book");
    expect(lagging.payouts).toEqual(whole.payouts);
    expect((await readBatch(api.journal, "index-2", "nothing")).found).toBe(false);
  });

  it("is verified like the other indexes, but may be absent from an event recorded before it existed", async () => {
    const itemOf = async (book: string) => {
      const found = await api.client.send(
        new QueryCommand({
          TableName: api.tables.journal,
          IndexName: "byBatch",
          KeyConditionExpression: "xBatch = :batch",
          ExpressionAttributeValues: { ":batch": { S: `${book}#b` } },
        }),
      );
      const item = found.Items?.[0];
      if (!item) throw new Error(`no item of batch b of ${book} in the index`);
      return item;
    };
    const since = Date.parse(INDEXED_SINCE.xBatch as string);
    for (const [book, at, ok] of [
      ["index-old", since - 86_400_000, true],
      ["index-new", since + 86_400_000, false],
    ] as const) {
      const journal = createLedgerJournal({ client: api.client, tables: api.tables, clock: () => new Date(at) });
      await recordBatch(journal, book);
      expect((await journal.verify(book)).ok).toBe(true);
      // The chunk's item as an older version wrote it: without the attribute (the table's owner may rewrite it).
      const { xBatch: _dropped, ...without } = await itemOf(book);
      await api.client.send(new PutItemCommand({ TableName: api.tables.journal, Item: without }));
      const report = await journal.verify(book);
      expect(report.ok, book).toBe(ok);
      if (!ok) expect(JSON.stringify(report)).toMatch(/xBatch/);
    }
  });

  it("is added to a journal table made before it, as ensureTables finds it", async () => {
    const client = createDynamoClient(api.endpoint);
    const names = { journal: `older-${Date.now()}-journal`, state: `older-${Date.now()}-state` };
    const older = { ...JOURNAL_TABLE, globalIndexes: JOURNAL_TABLE.globalIndexes.filter((i) => i.name !== "byBatch") };
    await client.send(new CreateTableCommand(createTableInput(older, names.journal)));
    await ensureTables(client, names);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: names.journal }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual(
      JOURNAL_TABLE.globalIndexes.map((index) => [index.name, "ACTIVE"]).sort(),
    );
    client.destroy();
  });
});

const finance_ = { sub: "clerk", role: "finance" } as const;

/** A book with one batch of one chunk, recorded straight through the journal (its clock says when). */
async function recordBatch(journal: ReturnType<typeof createLedgerJournal>, book: string) {
  const on = "2010-01-04";
  const commands: Command[] = [
    { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on },
    { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true, on },
    { type: "record-collection", fundId: "relief", source: "upper-subsidy", amount: "1000.00", receivedOn: on },
    { type: "open-program", programId: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false, on },
    { type: "register-beneficiary", beneficiaryId: "hh-1", kind: "household", name: "困难户", on },
    {
      type: "record-payout-chunk",
      batchId: "b",
      programId: "winter",
      paidOn: on,
      method: "bank",
      chunk: 0,
      firstLine: 0,
      totalLines: 1,
      lines: [{ beneficiaryId: "hh-1", amount: "100.00" }],
    },
  ];
  for (const [n, command] of commands.entries()) {
    const actor = command.type === "open-book" ? ({ sub: "admin", role: "admin" } as const) : finance_;
    const result = await journal.append(book, ledgerAppend(book, command, { idempotencyKey: `k${n}`, actor }));
    if (!result.ok) throw new Error(`${command.type}: ${result.error.message}`);
  }
}
