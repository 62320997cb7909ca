import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { poster } from "./support/books.ts";

/**
 * Nothing is dated before the book begins. The attack run recorded a payout dated 1900-01-01 in a
 * book opened that day, and closing then wanted to start at 1900-01.
 */

// 2026-03-10 at noon in Shanghai.
const NOW = new Date("2026-03-10T04:00:00Z");

let api: Api;
let finance: string;
let admin: string;
let auditor: string;

beforeAll(async () => {
  api = await startApi({ clock: () => NOW });
  finance = await api.token("finance");
  admin = await api.token("admin");
  auditor = await api.token("auditor");
});

/** A book opened today (no openedOn), with a funded programme and one household. */
async function openedToday(book: string) {
  const base = `/v1/books/${book}`;
  const ok = poster(api, { admin, finance });
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/funds`, { id: "general", name: "工会经费", restricted: false });
  await ok(`${base}/collections`, { fundId: "relief", source: "dues", amount: "5000.00", receivedOn: "2026-03-10" });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief" });
  await ok(`${base}/beneficiaries`, { id: "hh-1", kind: "household", name: "王桂兰" });
  return { book, base };
}

describe("a book's opening date", () => {
  it("refuses every money command dated before the book opened, writing nothing", async () => {
    const { book, base } = await openedToday("opened-today");
    const head = await api.journal.head(book);
    expect(head.state.book?.openedOn).toBe("2026-03-10");
    const early: [string, unknown][] = [
      ["/payouts", { programId: "winter", beneficiaryId: "hh-1", amount: "100.00", paidOn: "1900-01-01" }],
      ["/collections", { fundId: "relief", source: "dues", amount: "100.00", receivedOn: "2026-03-09" }],
      ["/transfers", { fromFundId: "relief", toFundId: "general", amount: "100.00", on: "2025-12-31" }],
      [
        "/payout-batches",
        { programId: "winter", paidOn: "1900-01-01", lines: [{ beneficiaryId: "hh-1", amount: "100.00" }] },
      ],
    ];
    for (const [path, body] of early) {
      const reply = await api.send("POST", `${base}${path}`, { token: finance, body });
      expect(reply.status, `${path}: ${reply.text}`).toBe(422);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reply.json).toMatchObject({ type: "/problems/before-book-opened", openedOn: "2026-03-10" });
    }
    const after = await api.journal.head(book);
    expect([after.seq, after.hash]).toEqual([head.seq, head.hash]);
    // Closing still starts at the book's first month, not in 1900.
    expect(after.state.firstMonth).toBe("2026-03");
  });

  it("opens a book as of a past date, and takes entries from that date on", async () => {
    const ok = poster(api, { admin, finance });
    await ok("/v1/books", { id: "opened-2010", name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
    const book = await api.send("GET", "/v1/books/opened-2010", { token: auditor });
    expect(book.json).toMatchObject({ openedOn: "2010-01-01" });
    await ok("/v1/books/opened-2010/funds", { id: "relief", name: "帮扶资金", restricted: true });
    const collection = await ok("/v1/books/opened-2010/collections", {
      fundId: "relief",
      source: "dues",
      amount: "100.00",
      receivedOn: "2010-01-01",
    });
    expect(collection.occurredOn).toBe("2010-01-01");
  });

  it("refuses to open a book in the future", async () => {
    const reply = await api.send("POST", "/v1/books", {
      token: admin,
      body: { id: "opened-later", name: "巴州区总工会", currency: "CNY", openedOn: "2026-03-11" },
    });
    expect(reply.status, reply.text).toBe(422);
    expect(reply.json).toMatchObject({ type: "/problems/future-date", on: "2026-03-11" });
    expect((await api.journal.head("opened-later")).seq).toBe(0);
  });

  it("documents the problem", async () => {
    const reply = await api.send("GET", "/problems/before-book-opened");
    expect(reply.json).toEqual({
      type: "/problems/before-book-opened",
      title: "The date is before the book was opened",
      status: 422,
    });
  });
});
