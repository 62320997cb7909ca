import type { JournalEvent } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { poster } from "./support/books.ts";

/**
 * 17:00 UTC on 10 April 2010 is 01:00 on the 11th in Shanghai: "today" for a book is the 11th,
 * a day the UTC calendar has not reached.
 */
const clock = () => new Date("2010-04-10T17:00:00Z");
const TODAY = "2010-04-11";
let api: Api;
let finance: string;
let system: string;
let auditor: string;
let books = 0;

beforeAll(async () => {
  api = await startApi({ clock });
  finance = await api.token("finance");
  system = await api.token("system");
  auditor = await api.token("auditor");
});

/**
 * A book brought in after the fact: opened on 1 January 2010, January closed, one winter relief
 * payout in each of January, February and March.
 */
async function bookOf2010() {
  const book = `reversal-dates-${++books}`;
  const base = `/v1/books/${book}`;
  const ok = poster(api, { admin: await api.token("admin"), finance });
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief" });
  await Promise.all(
    ["hh-1", "hh-2", "hh-3"].map((id) => ok(`${base}/beneficiaries`, { id, kind: "household", name: id })),
  );
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: "10000.00",
    receivedOn: "2010-01-05",
  });
  const pay = (beneficiaryId: string, amount: string, paidOn: string) =>
    ok(`${base}/payouts`, { programId: "winter", beneficiaryId, amount, paidOn });
  const january = await pay("hh-1", "800.00", "2010-01-20");
  const february = await pay("hh-2", "700.00", "2010-02-10");
  const march = await pay("hh-3", "600.00", "2010-03-03");
  await closeMonth(base, "2010-01");
  return { book, base, january, february, march };
}

async function closeMonth(base: string, month: string) {
  const closed = await api.send("POST", `${base}/rollups/${month}`, { token: system });
  if (closed.status !== 201) throw new Error(`closing ${month}: ${closed.status} ${closed.text}`);
}

const reverse = (base: string, entry: JournalEvent, body: Record<string, unknown>) =>
  api.send("POST", `${base}/entries/${entry.seq}/reversal`, { token: finance, body: { reason: "录入错误", ...body } });

const headSeq = async (book: string) => (await api.journal.head(book)).seq;

describe("a reversal's date", () => {
  it("is the open day it names, and the month's reports and rollup count the reversal in that month", async () => {
    const { base, february } = await bookOf2010();
    const reversal = await reverse(base, february, { on: "2010-03-15" });
    expect(reversal.status).toBe(201);
    expect(reversal.json).toMatchObject({
      type: "EntryReversed",
      occurredOn: "2010-03-15",
      payload: { entrySeq: february.seq, entryOccurredOn: "2010-02-10", amount: "700.00" },
    });

    const programmes = async (month: string) =>
      (await api.send("GET", `${base}/reports/programmes?from=${month}&to=${month}`, { token: auditor })).json
        .programmes[0];
    expect(await programmes("2010-02")).toMatchObject({ reversed: { count: 0, amount: "0.00" }, amount: "700.00" });
    expect(await programmes("2010-03")).toMatchObject({
      reversed: { count: 1, amount: "700.00" },
      // March paid 600 and took back February's 700.
      amount: "-100.00",
    });

    await closeMonth(base, "2010-02");
    await closeMonth(base, "2010-03");
    const stored = async (month: string) =>
      (await api.send("GET", `${base}/rollups/${month}?verify=true`, { token: auditor })).json;
    const [feb, mar] = [await stored("2010-02"), await stored("2010-03")];
    expect(feb.rollup.funds.relief).toMatchObject({ reversals: "0.00", closing: "8500.00" });
    expect(mar.rollup.funds.relief).toMatchObject({ reversals: "700.00", closing: "8600.00" });
    expect(mar.rollup.programs.winter.reversed).toEqual({ count: 1, amount: "700.00" });
    // An earlier month corrected inside the year: March names what it corrects.
    expect(mar.rollup.corrections).toEqual([
      expect.objectContaining({ seq: reversal.json.seq, entrySeq: february.seq, entryOccurredOn: "2010-02-10" }),
    ]);
    expect(mar.verification.ok).toBe(true);
  });

  it("refuses a day in a closed month with period-closed, writing nothing; an open day corrects that month", async () => {
    const { book, base, january } = await bookOf2010();
    const before = await headSeq(book);
    const closed = await reverse(base, january, { on: "2010-01-25" });
    expect(closed.status).toBe(409);
    expect(closed.headers.get("content-type")).toContain("application/problem+json");
    expect(closed.json).toMatchObject({ type: "/problems/period-closed", on: "2010-01-25", closedThrough: "2010-01" });
    expect(await headSeq(book)).toBe(before);
    const corrected = await reverse(base, january, { on: "2010-02-01" });
    expect(corrected.json).toMatchObject({ occurredOn: "2010-02-01", payload: { entryOccurredOn: "2010-01-20" } });
  });

  it("refuses a day before the entry it reverses with reversal-before-entry, writing nothing", async () => {
    const { book, base, march } = await bookOf2010();
    const before = await headSeq(book);
    const early = await reverse(base, march, { on: "2010-03-02" });
    expect(early.status).toBe(422);
    expect(early.json).toMatchObject({
      type: "/problems/reversal-before-entry",
      title: "A reversal cannot be dated before the entry it reverses",
      seq: march.seq,
      on: "2010-03-02",
      entryOccurredOn: "2010-03-03",
    });
    expect(await headSeq(book)).toBe(before);
    // The entry's own day is allowed.
    expect((await reverse(base, march, { on: "2010-03-03" })).json).toMatchObject({ occurredOn: "2010-03-03" });
  });

  it("refuses a day after today in the book's time zone, and one before the book opened, writing nothing", async () => {
    const { book, base, march } = await bookOf2010();
    const before = await headSeq(book);
    const future = await reverse(base, march, { on: "2010-04-12" });
    expect(future.status).toBe(422);
    expect(future.json).toMatchObject({ type: "/problems/future-date", on: "2010-04-12", today: TODAY });
    const beforeOpening = await reverse(base, march, { on: "2009-12-31" });
    expect(beforeOpening.json).toMatchObject({
      status: 422,
      type: "/problems/before-book-opened",
      openedOn: "2010-01-01",
    });
    const malformed = await reverse(base, march, { on: "2010-4-1" });
    expect(malformed.json).toMatchObject({ status: 400, type: "/problems/validation-failed" });
    expect(malformed.json.errors).toEqual([expect.objectContaining({ path: "on" })]);
    expect(await headSeq(book)).toBe(before);
    // Today in Shanghai, though not yet in UTC.
    expect((await reverse(base, march, { on: TODAY })).json).toMatchObject({ occurredOn: TODAY });
  });

  it("is today in the book's time zone when the request names no day, as before", async () => {
    const { base, january } = await bookOf2010();
    const reversal = await reverse(base, january, {});
    expect(reversal.status).toBe(201);
    expect(reversal.json).toMatchObject({ occurredOn: TODAY, payload: { entrySeq: january.seq } });
  });
});
