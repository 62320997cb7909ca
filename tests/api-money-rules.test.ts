import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";

let api: Api;
let finance: string;
let admin: string;
let bookCount = 0;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  admin = await api.token("admin");
});

/** A fresh book with a fund holding `balance`, and a programme paying from it. */
const bookWith = (balance: string, program: Record<string, unknown> = {}) =>
  reliefBook(api, { admin, finance }, `rules-${++bookCount}`, {
    balance,
    program: { id: "aid", name: "2010年金秋助学", ...program },
  });

const register = (
  ok: (path: string, body: unknown) => Promise<unknown>,
  base: string,
  ids: string[],
  kind = "student",
) => Promise.all(ids.map((id) => ok(`${base}/beneficiaries`, { id, kind, name: `学生${id}` })));

describe("no fund goes below zero", () => {
  it("refuses the payout that would overdraw, naming the fund and its balance", async () => {
    const { base, ok } = await bookWith("500.00");
    await register(ok, base, ["s-1"]);
    const refused = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: { programId: "aid", beneficiaryId: "s-1", amount: "500.01", paidOn: "2010-09-01" },
    });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      type: "/problems/fund-overdrawn",
      fundId: "relief",
      balance: "500.00",
      requested: "500.01",
    });
  });

  it("lets exactly ten of 32 racing payouts of one yuan through a fund of ten, across two instances", async () => {
    const { book, base, ok } = await bookWith("10.00");
    const students = Array.from({ length: 32 }, (_, n) => `s-${n}`);
    await register(ok, base, students);
    const other = api.sibling();
    const before = (await api.journal.head(book)).seq;
    const results = await Promise.all(
      students.map((id, n) =>
        api.send("POST", `${base}/payouts`, {
          token: finance,
          body: { programId: "aid", beneficiaryId: id, amount: "1.00", paidOn: "2010-09-01" },
          ...(n % 2 ? { via: other } : {}),
        }),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(22);
    for (const result of results.filter((r) => r.status === 409))
      expect(result.json.type).toBe("/problems/fund-overdrawn");
    const head = await api.journal.head(book);
    expect(head.seq).toBe(before + 10);
    expect(head.state.funds.relief?.balance).toBe(0n);
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
  });

  it("refuses a transfer that would overdraw, and moves money between funds otherwise", async () => {
    const { base, ok } = await bookWith("100.00");
    await ok(`${base}/funds`, { id: "general", name: "经费", restricted: false });
    const over = await api.send("POST", `${base}/transfers`, {
      token: finance,
      body: { fromFundId: "relief", toFundId: "general", amount: "100.01", on: "2010-03-01" },
    });
    expect(over.status).toBe(409);
    const moved = await api.send("POST", `${base}/transfers`, {
      token: finance,
      body: { fromFundId: "relief", toFundId: "general", amount: "40.00", on: "2010-03-01", memo: "调剂" },
    });
    expect(moved.status).toBe(201);
    const funds = await api.send("GET", `${base}/funds`, { token: finance });
    expect(
      Object.fromEntries(funds.json.funds.map((fund: { id: string; balance: string }) => [fund.id, fund.balance])),
    ).toEqual({
      relief: "60.00",
      general: "40.00",
    });
  });
});

describe("programme rules hold under concurrency", () => {
  it("pays a student one grant a year however many requests race, across two instances", async () => {
    const { book, base, ok } = await bookWith("10000.00", { cap: { perBeneficiaryPerYear: { count: 1 } } });
    await register(ok, base, ["s-1"]);
    const other = api.sibling();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        api.send("POST", `${base}/payouts`, {
          token: finance,
          body: { programId: "aid", beneficiaryId: "s-1", amount: "1500.00", paidOn: "2010-09-01", memo: `try ${n}` },
          ...(n % 2 ? { via: other } : {}),
        }),
      ),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
    for (const result of results.filter((r) => r.status !== 201)) {
      expect(result.json).toMatchObject({ status: 409, type: "/problems/cap-exceeded", cap: "per-year-count" });
    }
    expect((await journalEvents(api, book)).filter((event) => event.type === "PayoutRecorded")).toHaveLength(1);
    // Still 2010 on New Year's Eve; 2011 is another year.
    const pay = (paidOn: string) =>
      api.send("POST", `${base}/payouts`, {
        token: finance,
        body: { programId: "aid", beneficiaryId: "s-1", amount: "1500.00", paidOn },
      });
    expect((await pay("2010-12-31")).status).toBe(409);
    expect((await pay("2011-09-01")).status).toBe(201);
  });

  it("keeps a budget whole when payouts race for its last yuan", async () => {
    const { book, base, ok } = await bookWith("10000.00", { budget: "300.00" });
    const ids = Array.from({ length: 10 }, (_, n) => `s-${n}`);
    await register(ok, base, ids);
    const other = api.sibling();
    const results = await Promise.all(
      ids.map((id, n) =>
        api.send("POST", `${base}/payouts`, {
          token: finance,
          body: { programId: "aid", beneficiaryId: id, amount: "100.00", paidOn: "2010-09-01" },
          ...(n % 2 ? { via: other } : {}),
        }),
      ),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(3);
    expect(results.filter((result) => result.json?.type === "/problems/budget-exceeded")).toHaveLength(7);
    expect((await api.journal.head(book)).state.programs.aid?.paid).toBe(30_000n);
  });

  it("enforces the per-payment cap, the per-year amount cap and the payment methods", async () => {
    const { base, ok } = await bookWith("10000.00", {
      methods: ["bank"],
      cap: { perPayment: "1000", perBeneficiaryPerYear: { amount: "1500" } },
    });
    await register(ok, base, ["s-1"]);
    const pay = (amount: string, method?: string) =>
      api.send("POST", `${base}/payouts`, {
        token: finance,
        body: { programId: "aid", beneficiaryId: "s-1", amount, paidOn: "2010-09-01", ...(method ? { method } : {}) },
      });
    expect((await pay("1000.01", "bank")).json).toMatchObject({
      type: "/problems/cap-exceeded",
      cap: "per-payment",
      limit: "1000.00",
    });
    expect((await pay("100.00", "cash")).json).toMatchObject({
      type: "/problems/method-not-allowed",
      allowed: ["bank"],
    });
    expect((await pay("1000.00", "bank")).status).toBe(201);
    expect((await pay("500.01", "bank")).json).toMatchObject({
      type: "/problems/cap-exceeded",
      cap: "per-year-amount",
    });
    expect((await pay("500.00", "bank")).status).toBe(201);
  });

  it("pays a hardship programme only on a file open on the payment date: file first, then aid", async () => {
    const { base, ok } = await bookWith("10000.00", { requiresHardshipFile: true });
    await register(ok, base, ["hh-1"], "household");
    await ok(`${base}/beneficiaries`, { id: "st-1", kind: "student", name: "李明", householdId: "hh-1" });
    const pay = (beneficiaryId: string, paidOn: string) =>
      api.send("POST", `${base}/payouts`, {
        token: finance,
        body: { programId: "aid", beneficiaryId, amount: "100.00", paidOn },
      });
    expect((await pay("hh-1", "2010-03-01")).json).toMatchObject({
      type: "/problems/hardship-file-required",
      on: "2010-03-01",
    });
    await ok(`${base}/beneficiaries/hh-1/hardship-file`, {
      tier: "relative",
      cause: "下岗失业",
      openedOn: "2010-04-01",
      validUntil: "2010-06-30",
    });
    expect((await pay("hh-1", "2010-03-31")).status).toBe(409);
    expect((await pay("hh-1", "2010-04-01")).status).toBe(201);
    // A student is paid on the household's file.
    expect((await pay("st-1", "2010-05-01")).status).toBe(201);
    expect((await pay("hh-1", "2010-07-01")).status).toBe(409);
    await ok(`${base}/beneficiaries/hh-1/hardship-file/review`, { reviewedOn: "2010-06-20", validUntil: "2010-12-31" });
    expect((await pay("hh-1", "2010-07-01")).status).toBe(201);
    await ok(`${base}/beneficiaries/hh-1/hardship-file/closure`, { closedOn: "2010-08-01", reason: "家庭收入已改善" });
    expect((await pay("hh-1", "2010-08-01")).status).toBe(409);
    // A payment dated while the file was open is still allowed after it closed.
    expect((await pay("hh-1", "2010-07-15")).status).toBe(201);
  });
});

describe("reversals and returns", () => {
  it("reverses an entry at most once, and restores the balance", async () => {
    const { base, ok } = await bookWith("1000.00");
    await register(ok, base, ["s-1"]);
    const paid = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: { programId: "aid", beneficiaryId: "s-1", amount: "300.00", paidOn: "2010-09-01" },
    });
    const reversal = { token: finance, body: { reason: "录入错误" } };
    const first = await api.send("POST", `${base}/entries/${paid.json.seq}/reversal`, reversal);
    expect(first.status).toBe(201);
    expect(first.json.payload).toMatchObject({
      entrySeq: paid.json.seq,
      entryType: "PayoutRecorded",
      amount: "300.00",
    });
    const second = await api.send("POST", `${base}/entries/${paid.json.seq}/reversal`, reversal);
    expect(second.json).toMatchObject({ status: 409, type: "/problems/entry-already-undone" });
    const fund = await api.send("GET", `${base}/funds/relief`, { token: finance });
    expect(fund.json.balance).toBe("1000.00");
    const notMoney = await api.send("POST", `${base}/entries/2/reversal`, reversal);
    expect(notMoney.json).toMatchObject({
      status: 422,
      type: "/problems/entry-not-reversible",
      entryType: "FundOpened",
    });
    const missing = await api.send("POST", `${base}/entries/9999/reversal`, reversal);
    expect(missing.json).toMatchObject({ status: 404, type: "/problems/entry-not-found" });
  });

  it("returns a payout to its fund once, keeping the payout in the journal", async () => {
    const { book, base, ok } = await bookWith("1000.00");
    await register(ok, base, ["s-1"]);
    const paid = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: { programId: "aid", beneficiaryId: "s-1", amount: "250.00", paidOn: "2010-09-01", method: "bank" },
    });
    const back = { token: finance, body: { returnedOn: "2010-09-05", reason: "账号错误" } };
    const returned = await api.send("POST", `${base}/payouts/${paid.json.seq}/return`, back);
    expect(returned.status).toBe(201);
    expect((await api.send("POST", `${base}/payouts/${paid.json.seq}/return`, back)).status).toBe(409);
    expect(
      (await api.send("POST", `${base}/entries/${paid.json.seq}/reversal`, { token: finance, body: { reason: "x" } }))
        .status,
    ).toBe(409);
    expect((await api.send("GET", `${base}/entries/${paid.json.seq}`, { token: finance })).json.type).toBe(
      "PayoutRecorded",
    );
    expect((await api.journal.head(book)).state.funds.relief?.balance).toBe(100_000n);
    const person = await api.send("GET", `${base}/beneficiaries/s-1`, { token: finance });
    expect(person.json.totals).toEqual([{ programId: "aid", year: "2010", count: 0, amount: "0.00" }]);
  });
});
