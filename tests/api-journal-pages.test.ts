import type { JournalEvent } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { ENTRY_FILTERS, journalEvents, type Post, payingBook } from "./support/books.ts";

let api: Api;
let finance: string;
let auditor: string;
let admin: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  [finance, auditor, admin] = await Promise.all([api.token("finance"), api.token("auditor"), api.token("admin")]);
});

/** A book ready to pay (support/books.ts payingBook), of its own. */
const newBook = (households: number) => payingBook(api, { admin, finance }, `pages-${++books}`, households);

type Page = { entries: JournalEvent[]; nextCursor?: string };

/** Every page of a query, as the API answers them. */
async function pages(base: string, query: string): Promise<Page[]> {
  const answered: Page[] = [];
  let cursor: string | undefined;
  do {
    const response = await api.send("GET", `${base}/entries?${query}${cursor ? `&cursor=${cursor}` : ""}`, {
      token: auditor,
    });
    expect(response.status, response.text).toBe(200);
    answered.push(response.json);
    cursor = response.json.nextCursor;
  } while (cursor && answered.length < 1000);
  return answered;
}

const seqs = (answered: Page[]) => answered.flatMap((page) => page.entries.map((entry) => entry.seq));
/** The pages that carry a cursor and hold nothing: what a client that stops at an empty page trips on. */
const emptyWithCursor = (answered: Page[]) =>
  answered.flatMap((page, index) => (page.entries.length === 0 && page.nextCursor ? [index] : []));

describe("the journal newest first", () => {
  let base = "";
  let all: JournalEvent[] = [];
  const cases: [string, (event: JournalEvent) => boolean][] = [["", () => true], ...ENTRY_FILTERS];

  beforeAll(async () => {
    const made = await newBook(6);
    base = made.base;
    const paid: JournalEvent[] = [];
    for (const [n, id] of made.ids.entries()) {
      paid[n] = await made.ok(`${base}/payouts`, {
        programId: n % 2 ? "winter" : "aid",
        beneficiaryId: id,
        amount: `${100 + n}.00`,
        paidOn: `2010-0${1 + (n % 3)}-15`,
      });
    }
    await made.ok(`${base}/transfers`, {
      fromFundId: "relief",
      toFundId: "general",
      amount: "50.00",
      on: "2010-02-01",
    });
    await made.ok(`${base}/entries/${paid[2]?.seq}/reversal`, { reason: "录入错误" });
    all = await journalEvents(api, made.book);
  });

  it("lists every filter's entries newest first, the cursor continuing downward", async () => {
    for (const [filter, expected] of cases) {
      const oracle = all.filter(expected).map((event) => event.seq);
      expect(oracle.length, filter).toBeGreaterThan(1);
      expect(seqs(await pages(base, `${filter}&order=desc&limit=2`)), filter).toEqual([...oracle].reverse());
      // Oldest first stays the default.
      expect(seqs(await pages(base, `${filter}&limit=2`)), filter).toEqual(oracle);
      expect(seqs(await pages(base, `${filter}&order=asc&limit=3`)), filter).toEqual(oracle);
    }
  });

  it("exports newest first too", async () => {
    const response = await api.send("GET", `${base}/entries?format=csv&order=desc&type=PayoutRecorded`, {
      token: auditor,
    });
    const rows = response.text.trim().split("\r\n").slice(1);
    const expected = all.filter((event) => event.type === "PayoutRecorded").map((event) => String(event.seq));
    expect(rows.map((row) => row.split(",")[0])).toEqual(expected.reverse());
  });

  it("refuses a cursor with the other order, or one it did not give out", async () => {
    const [desc] = await pages(base, "order=desc&limit=2");
    const [asc] = await pages(base, "limit=2");
    const refused = [
      `order=asc&cursor=${desc?.nextCursor}`,
      `cursor=${desc?.nextCursor}`,
      `order=desc&cursor=${asc?.nextCursor}`,
      `order=desc&cursor=${Buffer.from('{"after":2,"before":9}').toString("base64url")}`,
      "order=sideways",
    ];
    for (const query of refused) {
      const response = await api.send("GET", `${base}/entries?${query}`, { token: auditor });
      expect(response.status, query).toBe(400);
      expect(response.json.type, query).toBe("/problems/validation-failed");
    }
  });
});

describe("a sparse filter", () => {
  let base = "";
  let all: JournalEvent[] = [];

  // Twenty payouts a month for two years; a reversal after the first month's and after the last
  // month's, a transfer at the end of each year: a few matches among hundreds of entries, in the
  // book's own partition and in a programme's 24 month partitions.
  beforeAll(async () => {
    const made = await newBook(20);
    base = made.base;
    const ok: Post = made.ok;
    for (let n = 0; n < 24; n++) {
      const month = `${2010 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
      const lines = made.ids.map((beneficiaryId) => ({ beneficiaryId, amount: "10.00" }));
      const batch = await api.send("POST", `${base}/payout-batches`, {
        token: finance,
        body: { programId: "winter", paidOn: `${month}-10`, lines },
      });
      expect(batch.status, batch.text).toBe(201);
      if (n === 0 || n === 23)
        await ok(`${base}/entries/${batch.json.results[0].seq}/reversal`, { reason: "录入错误", on: `${month}-25` });
      if (month.endsWith("-12"))
        await ok(`${base}/transfers`, { fromFundId: "relief", toFundId: "general", amount: "5.00", on: `${month}-20` });
    }
    all = await journalEvents(api, made.book);
    expect(all.length).toBeGreaterThan(500);
  }, 120_000);

  it("never answers an empty page with a cursor, and its pages hold every match, in either order", async () => {
    const sparse: [string, (event: JournalEvent) => boolean][] = [
      ["type=TransferRecorded", (e) => e.type === "TransferRecorded"],
      // 24 index partitions: their first reads alone reach the page's read bound.
      [
        "programId=winter&from=2010-01-01&to=2011-12-31&type=EntryReversed",
        (e) => e.type === "EntryReversed" && e.payload.programId === "winter",
      ],
      ["type=EntryReversed&from=2010-01-01", (e) => e.type === "EntryReversed"],
    ];
    for (const [filter, expected] of sparse) {
      const oracle = all.filter(expected).map((event) => event.seq);
      expect(oracle.length, filter).toBe(2);
      for (const order of ["asc", "desc"] as const) {
        const answered = await pages(base, `${filter}&order=${order}&limit=1`);
        expect(emptyWithCursor(answered), `${filter} ${order}`).toEqual([]);
        expect(seqs(answered), `${filter} ${order}`).toEqual(order === "asc" ? oracle : [...oracle].reverse());
      }
    }
  });
});

describe("the totals of a filtered list", () => {
  it("sums money in and out of the funds as decimal strings, a fund's net being its balance", async () => {
    const { book, base, ids, ok } = await newBook(3);
    const first = await ok(`${base}/payouts`, {
      programId: "winter",
      beneficiaryId: ids[0],
      amount: "800.00",
      paidOn: "2010-01-20",
    });
    const second = await ok(`${base}/payouts`, {
      programId: "aid",
      beneficiaryId: ids[1],
      amount: "1000.10",
      paidOn: "2010-09-01",
    });
    await ok(`${base}/payouts`, { programId: "aid", beneficiaryId: ids[2], amount: "0.15", paidOn: "2010-09-02" });
    await ok(`${base}/transfers`, { fromFundId: "general", toFundId: "relief", amount: "300.00", on: "2010-03-01" });
    await ok(`${base}/entries/${first.seq}/reversal`, { reason: "重复发放" });
    await ok(`${base}/payouts/${second.seq}/return`, { returnedOn: "2010-09-05", reason: "账户已销户" });
    const all = await journalEvents(api, book);

    const totals = async (query: string) => {
      const response = await api.send("GET", `${base}/entries/totals?${query}`, { token: auditor });
      expect(response.status, response.text).toBe(200);
      return response.json;
    };
    const balance = async (fund: string) =>
      (await api.send("GET", `${base}/funds/${fund}`, { token: auditor })).json.balance;

    // The book: collections in (9,000,000 + 12,000), the two undoings back in, payouts out; the transfer is neither.
    expect(await totals("")).toEqual({
      count: all.length,
      currency: "CNY",
      amounts: { in: "9013800.10", out: "1800.25", net: "9011999.85" },
    });
    for (const fund of ["relief", "general"]) {
      const ofFund = await totals(`fundId=${fund}`);
      expect(ofFund.amounts.net, fund).toBe(await balance(fund));
      expect(ofFund.count, fund).toBe(seqs(await pages(base, `fundId=${fund}&limit=1000`)).length);
    }
    expect((await totals("fundId=general")).amounts).toEqual({ in: "12000.00", out: "300.00", net: "11700.00" });
    expect(await totals("programId=aid&type=PayoutRecorded")).toMatchObject({
      count: 2,
      amounts: { in: "0.00", out: "1000.25", net: "-1000.25" },
    });
    expect(await totals("type=PayoutRecorded&from=2010-09-02&to=2010-09-30")).toMatchObject({
      count: 1,
      amounts: { out: "0.15" },
    });
    expect(await totals("type=AuditStarted")).toEqual({
      count: 0,
      currency: "CNY",
      amounts: { in: "0.00", out: "0.00", net: "0.00" },
    });

    const bad = await api.send("GET", `${base}/entries/totals?fromSeq=9&toSeq=3`, { token: auditor });
    expect(bad.status).toBe(400);
    const missing = await api.send("GET", "/v1/books/no-such-book/entries/totals", { token: auditor });
    expect(missing.status).toBe(404);
  });
});
