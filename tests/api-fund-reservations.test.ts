import type { Actor, Command } from "@relief-ledger/core";
import { ledgerAppend } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";

/**
 * Money reserved by proposals, over HTTP on DynamoDB Local: a fund shows its balance, what pending
 * proposals reserve of it and what is available; a refusal names all three; reports count only
 * posted money and show what was reserved at the range's end; closed months keep it and verify.
 */

const BOOK = "reserved-book";
const base = `/v1/books/${BOOK}`;
/** Noon in Shanghai on a day of 2010: the book's "today", moved forward as the test goes. */
const noon = (day: string) => new Date(`${day}T04:00:00Z`);
let now = noon("2010-03-10");

let api: Api;
let auditor: string;
let finance: string;
let reserving = 0;

/** A command appended to the journal straight, as its actor would send it, on the test's clock. */
async function direct(actor: Actor, command: Command, key: string) {
  const result = await api.journal.append(
    BOOK,
    ledgerAppend(BOOK, command, { idempotencyKey: key, actor, clock: () => now }),
  );
  if (!result.ok) throw new Error(`${command.type}: ${result.error.code} ${result.error.message}`);
  return result.value.events;
}

const payout = (beneficiaryId: string, amount: string, paidOn: string) =>
  api.send("POST", `${base}/payouts`, {
    token: finance,
    body: { programId: "illness", beneficiaryId, amount, paidOn, method: "cash" },
  });

const fund = async (query = "") => (await api.send("GET", `${base}/funds/relief${query}`, { token: auditor })).json;

beforeAll(async () => {
  api = await startApi({ clock: () => now });
  auditor = await api.token("auditor");
  finance = await api.token("finance");
  await reliefBook(api, { admin: await api.token("admin"), finance }, BOOK, {
    balance: "1000.00",
    program: { id: "illness", name: "大病救助" },
    households: 3,
  });
  await direct(
    { sub: "finance-user", role: "finance" },
    { type: "set-approval-policy", programId: "illness", approvals: [{ over: "0.00", levels: 1 }] },
    "policy",
  );
  const proposed = await payout("hh-0000", "800", "2010-02-20");
  expect(proposed.status, proposed.text).toBe(202);
  expect(proposed.json.state).toBe("pending");
  reserving = proposed.json.id;
  // One proposal approved and so posted: money, unlike the other.
  const posted = await payout("hh-0001", "100", "2010-03-05");
  expect(posted.status, posted.text).toBe(202);
  await direct(
    { sub: "chair-zhang", role: "approver" },
    { type: "approve-proposal", proposalId: posted.json.id },
    "approve-1",
  );
}, 120_000);

describe("a fund with money reserved by a pending proposal", () => {
  it("shows balance, reserved and available in the list and alone", async () => {
    const figures = { balance: "900.00", reserved: "800.00", available: "100.00" };
    const list = await api.send("GET", `${base}/funds`, { token: auditor });
    expect(list.status).toBe(200);
    expect(list.json.funds).toEqual([expect.objectContaining({ id: "relief", ...figures })]);
    expect(await fund()).toMatchObject(figures);
  });

  it("shows them on the dashboard's overview, in Chinese and in English", async () => {
    const overview = async (lang: "zh-CN" | "en") => {
      const response = await api.app.request(`/dashboard/_/books/${BOOK}`, {
        headers: { authorization: `Bearer ${auditor}`, "x-dashboard-lang": lang },
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const row = (html: string) => html.slice(html.indexOf('data-fund="relief"'));
    const cell = (html: string, field: string) => row(html).match(new RegExp(`data-field="${field}">([^<]*)<`))?.[1];
    const zh = await overview("zh-CN");
    expect(zh).toContain("待审批占用");
    expect(zh).toContain("可用余额");
    expect([cell(zh, "balance"), cell(zh, "reserved"), cell(zh, "available")]).toEqual([
      "¥900.00",
      "¥800.00",
      "¥100.00",
    ]);
    expect(zh).toMatch(/其中待审批占用 <span data-field="reserved-now">¥800.00<\/span>/);
    const en = await overview("en");
    expect(en).toContain("Reserved by proposals");
    expect(en).toContain("Available now");
  });

  it("shows what was reserved at the end of a past date, as it shows the balance then", async () => {
    expect(await fund("?asOf=2010-02-19")).toMatchObject({
      balance: "1000.00",
      reserved: "0.00",
      available: "1000.00",
      asOf: "2010-02-19",
    });
    expect(await fund("?asOf=2010-02-20")).toMatchObject({
      balance: "1000.00",
      reserved: "800.00",
      available: "200.00",
    });
  });

  it("refuses a payout that would take reserved money, naming balance, reserved and available", async () => {
    const refused = await payout("hh-0002", "300", "2010-03-06");
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({
      type: "/problems/fund-overdrawn",
      fundId: "relief",
      balance: "900.00",
      reserved: "800.00",
      available: "100.00",
      requested: "300.00",
    });
    expect(refused.json.detail).toContain("800.00 is reserved by pending proposals (100.00 available)");
  });
});

describe("reports with a proposal pending", () => {
  it("count only posted money: amount, person-times and distinct beneficiaries", async () => {
    const reply = await api.send("GET", `${base}/reports/programmes?from=2010-01&to=2010-03`, { token: auditor });
    expect(reply.json.programmes).toEqual([
      expect.objectContaining({ programId: "illness", amount: "100.00", personTimes: 1, distinctBeneficiaries: 1 }),
    ]);
  });

  it("show per fund what was reserved at the range's end, in JSON and CSV", async () => {
    const at = async (from: string, to: string) =>
      (await api.send("GET", `${base}/reports/funds?from=${from}&to=${to}`, { token: auditor })).json.funds[0];
    expect(await at("2010-01", "2010-01")).toMatchObject({
      closing: "1000.00",
      reserved: "0.00",
      available: "1000.00",
    });
    expect(await at("2010-01", "2010-02")).toMatchObject({
      closing: "1000.00",
      reserved: "800.00",
      available: "200.00",
    });
    expect(await at("2010-01", "2010-03")).toMatchObject({
      closing: "900.00",
      reserved: "800.00",
      available: "100.00",
    });

    const csv = await api.send("GET", `${base}/reports/funds?from=2010-01&to=2010-03&format=csv&lang=en`, {
      token: auditor,
    });
    const [header, relief] = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/)
      .map((row) => row.split(","));
    const cell = (name: string) => relief?.[(header as string[]).indexOf(name)];
    expect(cell("Closing balance")).toBe("900.00");
    expect(cell("Reserved by proposals at close")).toBe("800.00");
    expect(cell("Available at close")).toBe("100.00");
  });
});

describe("closed months with a proposal voided after them", () => {
  it("keep what was reserved at each month's end, and fold again to the rollups they stored", async () => {
    now = noon("2010-04-02");
    await direct(
      { sub: "chair-zhang", role: "approver" },
      { type: "reject-proposal", proposalId: reserving, reason: "材料不全" },
      "reject",
    );
    const system = await api.token("system");
    for (const period of ["2010-01", "2010-02", "2010-03"]) {
      const closed = await api.send("POST", `${base}/rollups/${period}`, { token: system });
      expect(closed.status, closed.text).toBe(201);
    }
    const stored = async (period: string) =>
      (await api.send("GET", `${base}/rollups/${period}?verify=true`, { token: auditor })).json;
    const january = await stored("2010-01");
    expect(january.rollup).not.toHaveProperty("pending");
    expect(january.rollup.funds.relief).not.toHaveProperty("reserved");
    const march = await stored("2010-03");
    expect(march.rollup.pending).toEqual({ [reserving]: { on: "2010-02-20", reserves: { relief: "800.00" } } });
    expect(march.rollup.funds.relief).toMatchObject({ closing: "900.00", reserved: "800.00" });
    expect(march.verification.ok).toBe(true);

    // Voided in April: nothing is reserved at April's end, nor now.
    const april = await api.send("GET", `${base}/reports/funds?from=2010-04&to=2010-04`, { token: auditor });
    expect(april.json.funds[0]).toMatchObject({ closing: "900.00", reserved: "0.00", available: "900.00" });
    expect(await fund()).toMatchObject({ balance: "900.00", reserved: "0.00", available: "900.00" });

    const verified = await api.send("GET", `${base}/verify`, { token: auditor });
    expect(verified.json.rollups).toEqual({ compared: 3, differences: [] });
  });
});
