import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * A fund linked to its own bank account, over HTTP on DynamoDB Local: journalled as a
 * beneficiary's account is (last four digits, keyed hash), sealed in the registry, shown on the
 * fund by bank and last four; its statements must then be of it.
 */

const BOOK = "fund-account";
const base = `/v1/books/${BOOK}`;
const NUMBER = "2314030109024778866";

let api: Api;
let admin: string;
let finance: string;
let auditor: string;

const statement = (accountLast4?: string) => ({
  fundId: "relief",
  period: "2010-03",
  openingBalance: "0.00",
  closingBalance: "0.00",
  ...(accountLast4 ? { accountLast4 } : {}),
  lines: [],
});

beforeAll(async () => {
  api = await startApi({ clock: () => new Date("2010-04-15T04:00:00Z") });
  [admin, finance, auditor] = await Promise.all([api.token("admin"), api.token("finance"), api.token("auditor")]);
  const ok = poster(api, { admin, finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
});

describe("a fund's own bank account", () => {
  const account = {
    bank: "中国工商银行巴中分行",
    accountName: "巴州区总工会",
    accountNumber: "2314 0301 0902 4778 866",
  };

  it("is linked by finance alone, journalled by last four digits and keyed hash, and sealed in the registry", async () => {
    for (const token of [admin, auditor]) {
      const refused = await api.send("PUT", `${base}/funds/relief/bank-account`, { token, body: account });
      expect(refused.status).toBe(403);
    }
    const missing = await api.send("PUT", `${base}/funds/nope/bank-account`, {
      token: finance,
      body: account,
      key: "link-nope",
    });
    expect(missing.json.type, missing.text).toBe("/problems/fund-not-found");
    const linked = await api.send("PUT", `${base}/funds/relief/bank-account`, {
      token: finance,
      body: account,
      key: "link-relief",
    });
    expect(linked.status, linked.text).toBe(201);
    expect(linked.json).toMatchObject({ type: "FundBankAccountSet", payload: { fundId: "relief", last4: "8866" } });
    expect(Object.keys(linked.json.payload).sort()).toEqual(["accountHash", "fundId", "last4"]);
    expect(JSON.stringify(await journalEvents(api, BOOK))).not.toContain("0109024778");
    const registry = JSON.stringify(await api.journal.entity(BOOK, "fund-bank-account/relief"));
    expect(registry).toContain("sealed");
    expect(registry).not.toContain(NUMBER);
  });

  it("shows on the fund by its bank and last four digits", async () => {
    const fund = await api.send("GET", `${base}/funds/relief`, { token: auditor });
    expect(fund.status, fund.text).toBe(200);
    expect(fund.json.bankAccount).toEqual({ bank: "中国工商银行巴中分行", last4: "8866" });
    const list = await api.send("GET", `${base}/funds`, { token: auditor });
    expect(list.json.funds[0].bankAccount).toEqual({ bank: "中国工商银行巴中分行", last4: "8866" });
    expect(fund.text).not.toContain("0109024778");
    // And on the dashboard's fund table, the same two facts and nothing more of the number.
    const dashboard = await api.app.request(`/dashboard/_/books/${BOOK}`, {
      headers: { authorization: `Bearer ${auditor}`, "x-dashboard-lang": "zh-CN" },
    });
    const html = await dashboard.text();
    expect(dashboard.status, html).toBe(200);
    expect(html).toMatch(/data-field="bank-account">中国工商银行巴中分行 · 账号尾号 8866</);
    expect(html).not.toContain("0109024778");
  });

  it("refuses a statement of another account, and takes one that names none as of it", async () => {
    const before = (await journalEvents(api, BOOK)).length;
    const other = await api.send("POST", `${base}/bank-statements`, { token: finance, body: statement("1234") });
    expect(other.status, other.text).toBe(422);
    expect(other.json).toMatchObject({
      type: "/problems/bank-account-mismatch",
      fundId: "relief",
      accountLast4: "1234",
      linkedLast4: "8866",
    });
    expect((await journalEvents(api, BOOK)).length).toBe(before);
    const unnamed = await api.send("POST", `${base}/bank-statements`, { token: finance, body: statement() });
    expect(unnamed.status, unnamed.text).toBe(201);
    const [recorded] = (await journalEvents(api, BOOK)).slice(before);
    expect(recorded?.payload).toMatchObject({ accountLast4: "8866" });
    // The same statement naming the account is the same statement.
    const named = await api.send("POST", `${base}/bank-statements`, { token: finance, body: statement("8866") });
    expect(named.status, named.text).toBe(200);
  });
});
