import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { JournalEvent } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { ENTRY_FILTERS, journalEvents } from "./support/books.ts";
import { payingBookWithHouseholds } from "./support/households.ts";

let api: Api;
let finance: string;
let auditor: string;
let admin: string;
let books = 0;
/** DynamoDB requests the app made, by command, since the last reset. */
const requests = new Map<string, number>();
const totalRequests = () => [...requests.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  auditor = await api.token("auditor");
  admin = await api.token("admin");
  api.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? "unknown";
      requests.set(name, (requests.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );
});

/** A book ready to pay (support/books.ts payingBook), of its own, its households registered through the journal. */
const newBook = (households: number) =>
  payingBookWithHouseholds(api, { admin, finance }, `audit-q-${++books}`, households);

async function pagesOf(base: string, query: string, limit: number) {
  const seen: JournalEvent[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const response = await api.send(
      "GET",
      `${base}/entries?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      { token: auditor },
    );
    expect(response.status).toBe(200);
    seen.push(...response.json.entries);
    cursor = response.json.nextCursor;
    pages += 1;
  } while (cursor && pages < 1000);
  return seen;
}

describe("the auditors' journal queries", () => {
  // Writes 20,000 events first: room for a busy machine.
  it("answers a beneficiary's history from an index in a handful of reads, in a book of 20,000 events", {
    timeout: 180_000,
  }, async () => {
    const { book, base, ids } = await newBook(200);
    const months = ["2010-01-20", "2010-02-20", "2010-03-20", "2010-04-20"];
    for (const paidOn of months) {
      const lines = Array.from({ length: 5000 }, (_, n) => ({
        beneficiaryId: ids[n % 200] as string,
        amount: "100.00",
      }));
      const batch = await api.send("POST", `${base}/payout-batches`, {
        token: finance,
        body: { programId: "winter", paidOn, lines },
      });
      expect(batch.json.recorded).toBe(5000);
    }
    expect((await api.journal.head(book)).seq).toBeGreaterThan(20_000);

    requests.clear();
    const history = await api.send("GET", `${base}/beneficiaries/hh-7/history`, { token: auditor });
    expect(history.status).toBe(200);
    expect(history.json.payments).toHaveLength(100);
    expect(history.json.payments.at(-1)).toMatchObject({
      programId: "winter",
      year: "2010",
      yearCount: 100,
      yearTotal: "10000.00",
    });
    // The book head, and the beneficiary's index partition: not the 20,000 events.
    expect(totalRequests()).toBeLessThanOrEqual(4);

    requests.clear();
    const entries = await pagesOf(base, "beneficiaryId=hh-7", 1000);
    expect(entries.filter((entry) => entry.type === "PayoutRecorded")).toHaveLength(100);
    expect(totalRequests()).toBeLessThanOrEqual(4);

    requests.clear();
    const february = await pagesOf(base, "programId=winter&from=2010-02-01&to=2010-02-28", 1000);
    expect(february.filter((entry) => entry.type === "PayoutRecorded")).toHaveLength(5000);
    expect(february.every((entry) => entry.occurredOn.startsWith("2010-02"))).toBe(true);
    // A month of a programme is its own index partition: about 5,100 entries in pages of 1,000.
    expect(totalRequests()).toBeLessThanOrEqual(20);
  });

  it("filters like a fold of the whole journal would, in journal order", async () => {
    const { book, base, ids, ok } = await newBook(6);
    const paid: JournalEvent[] = [];
    for (const [n, id] of ids.entries()) {
      paid[n] = await ok(`${base}/payouts`, {
        programId: n % 2 ? "winter" : "aid",
        beneficiaryId: id,
        amount: `${100 + n}.00`,
        paidOn: `2010-0${1 + (n % 3)}-15`,
      });
    }
    await ok(`${base}/transfers`, { fromFundId: "relief", toFundId: "general", amount: "50.00", on: "2010-02-01" });
    await ok(`${base}/entries/${paid[2]?.seq}/reversal`, { reason: "录入错误" });
    const all = await journalEvents(api, book);
    const cases: [string, (event: JournalEvent) => boolean][] = [
      ...ENTRY_FILTERS,
      [
        "type=PayoutRecorded&programId=aid&beneficiaryId=hh-4",
        (e) => e.type === "PayoutRecorded" && e.payload.beneficiaryId === "hh-4",
      ],
    ];
    for (const [query, expected] of cases) {
      const oracle = all.filter(expected).map((event) => event.seq);
      expect(oracle.length, query).toBeGreaterThan(0);
      expect(
        (await pagesOf(base, query, 2)).map((event) => event.seq),
        query,
      ).toEqual(oracle);
    }
  });

  it("returns every entry exactly once across pages while new entries are appended", async () => {
    const { book, base, ok } = await newBook(1);
    let appended = 0;
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const response = await api.send("GET", `${base}/entries?limit=3${cursor ? `&cursor=${cursor}` : ""}`, {
        token: auditor,
      });
      seen.push(...response.json.entries.map((entry: JournalEvent) => entry.seq));
      cursor = response.json.nextCursor;
      if (cursor && appended < 8) {
        appended += 1;
        await ok(`${base}/collections`, {
          fundId: "general",
          source: "dues",
          amount: "1.00",
          receivedOn: "2010-03-01",
        });
      }
    } while (cursor);
    const all = (await journalEvents(api, book)).map((event) => event.seq);
    expect(seen).toEqual(all);
  });

  it("exports entries as CSV with a BOM and one header row, page after page", async () => {
    const { book, base, ids } = await newBook(3);
    const lines = Array.from({ length: 1200 }, (_, n) => ({ beneficiaryId: ids[n % 3] as string, amount: "1.00" }));
    await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "winter", paidOn: "2010-05-01", lines },
    });
    const response = await api.send("GET", `${base}/entries?format=csv`, { token: auditor });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.text.startsWith("\uFEFFSeq,Type,Business date,")).toBe(true);
    const rows = response.text.trim().split("\r\n");
    expect(rows).toHaveLength(1 + (await journalEvents(api, book)).length);
    expect(rows.filter((row) => row.startsWith("Seq,"))).toHaveLength(1);
    expect(rows.some((row) => row.includes(",PayoutRecorded,2010-05-01,") && row.includes(",1.00,"))).toBe(true);
    const filtered = await api.send("GET", `${base}/entries?format=csv&type=CollectionRecorded`, { token: auditor });
    expect(filtered.text.trim().split("\r\n")).toHaveLength(3);
  });

  it("verifies the chain over HTTP and names the seq that was tampered with", async () => {
    const { book, base } = await newBook(2);
    const intact = await api.send("GET", `${base}/verify`, { token: auditor });
    const head = await api.journal.head(book);
    expect(intact.json).toMatchObject({ ok: true, checked: head.seq, headSeq: head.seq, headHash: head.hash });
    await api.client.send(
      new UpdateItemCommand({
        TableName: api.tables.journal,
        Key: { book: { S: book }, seq: { N: "5" } },
        UpdateExpression: "SET payload.amount = :v",
        ExpressionAttributeValues: { ":v": { S: "90000000.00" } },
      }),
    );
    const broken = await api.send("GET", `${base}/verify`, { token: auditor });
    // Every entry is checked, and the one altered is the one break named.
    expect(broken.json).toMatchObject({
      ok: false,
      checked: head.seq,
      firstBreak: { seq: 5, reason: "hash-mismatch" },
      breaks: [{ seq: 5, reason: "hash-mismatch" }],
    });
    const before = await api.send("GET", `${base}/verify?toSeq=4`, { token: auditor });
    expect(before.json).toMatchObject({ ok: true, checked: 4 });
  });

  it("keeps running totals per programme and year in a beneficiary's history, net of reversals", async () => {
    const { base, ok } = await newBook(1);
    const first = await ok(`${base}/payouts`, {
      programId: "winter",
      beneficiaryId: "hh-0",
      amount: "800.00",
      paidOn: "2010-01-20",
    });
    await ok(`${base}/payouts`, { programId: "winter", beneficiaryId: "hh-0", amount: "200.00", paidOn: "2010-06-20" });
    await ok(`${base}/payouts`, { programId: "aid", beneficiaryId: "hh-0", amount: "1000.00", paidOn: "2010-09-01" });
    await ok(`${base}/entries/${first.seq}/reversal`, { reason: "重复发放" });
    const history = await api.send("GET", `${base}/beneficiaries/hh-0/history`, { token: auditor });
    expect(
      history.json.payments.map((p: { programId: string; amount: string; yearCount: number; yearTotal: string }) => [
        p.programId,
        p.amount,
        p.yearCount,
        p.yearTotal,
      ]),
    ).toEqual([
      ["winter", "800.00", 1, "800.00"],
      ["winter", "200.00", 2, "1000.00"],
      ["aid", "1000.00", 1, "1000.00"],
      ["winter", "-800.00", 1, "200.00"],
    ]);
    expect((await api.send("GET", `${base}/beneficiaries/nobody/history`, { token: auditor })).status).toBe(404);
  });
});
