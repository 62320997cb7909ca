import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { entityKey, runMonthlyRollup } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * Month-end and year-end as a finance office runs them, over HTTP on DynamoDB Local: a book whose
 * months the finance office closes itself (manual), months without entries closing with the next,
 * open months served as provisional, and the year's close freezing its annual report, whose
 * closing balances open the next year.
 */

/** Noon in Shanghai on a day: the books' "today", moved as the test goes. */
const noon = (day: string) => new Date(`${day}T04:00:00Z`);
let now = noon("2010-06-15");
let api: Api;
let admin: string;
let finance: string;
let auditor: string;
let committee: string;

type FundLine = { fundId: string; opening: string; closing: string };
const fundsOf = (report: { funds: FundLine[] }) =>
  Object.fromEntries(report.funds.map((fund) => [fund.fundId, { opening: fund.opening, closing: fund.closing }]));

/** A book opened on 2010-01-01 with a relief fund brought forward at 1,000.00 and a unit. */
async function openBook(book: string, extra: Record<string, unknown> = {}) {
  const ok = poster(api, { admin, finance });
  const base = `/v1/books/${book}`;
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01", ...extra });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
  await ok(`${base}/opening-balances`, { asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "1000.00" }] });
  const collect = (amount: string, receivedOn: string) =>
    ok(`${base}/collections`, { fundId: "relief", source: "dues", unitId: "textile", amount, receivedOn });
  return { base, ok, collect };
}

beforeAll(async () => {
  api = await startApi({ clock: () => now });
  [admin, finance, auditor, committee] = await Promise.all([
    api.token("admin"),
    api.token("finance"),
    api.token("auditor"),
    api.token("audit-committee"),
  ]);
});

describe("a book whose months the finance office closes (manual)", () => {
  const book = "manual-close";
  let base: string;

  beforeAll(async () => {
    now = noon("2010-06-15");
    const opened = await openBook(book, { close: { mode: "manual" } });
    base = opened.base;
    await opened.collect("100.00", "2010-01-20");
    await opened.collect("50.00", "2010-03-08");
  });

  it("is closed by nobody else: the nightly job only folds its months as provisional figures", async () => {
    const view = await api.send("GET", base, { token: auditor });
    expect(view.json).toMatchObject({ close: { mode: "manual" }, closedThrough: null });
    const report = await runMonthlyRollup(api.journal, { clock: () => now });
    expect(report[book]?.map((result) => `${result.period}:${result.status}`)).toEqual([
      "2010-01:provisional",
      "2010-03:provisional",
    ]);
    expect((await api.journal.head(book)).state.closedThrough).toBeNull();
    const january = await api.send("GET", `${base}/rollups/2010-01`, { token: auditor });
    expect(january.json).toMatchObject({ status: "provisional", rollup: { period: "2010-01", events: 3 } });
    const funds = await api.send("GET", `${base}/reports/funds?from=2010-01&to=2010-03`, { token: auditor });
    expect(funds.json.provisional).toEqual(["2010-01", "2010-02", "2010-03"]);
  });

  it("closes in order when finance says so, empty months with the next, and refuses others", async () => {
    const close = (period: string, token = finance) =>
      api.send("POST", `${base}/periods/${period}/close`, { token, key: null });
    expect((await close("2010-01", auditor)).status).toBe(403);
    expect((await close("2010-01", admin)).status).toBe(403);
    const early = await close("2010-03");
    expect(early.json).toMatchObject({ status: 409, type: "/problems/period-out-of-order", next: "2010-01" });
    const notOver = await close("2010-06");
    expect(notOver.status).toBe(409);

    const january = await close("2010-01");
    expect(january.status, january.text).toBe(201);
    expect(january.json).toMatchObject({ period: "2010-01", status: "closed" });
    expect((await close("2010-01")).json).toMatchObject({ status: "already-closed", matches: true });
    // February had no entries: it closes with March, under one PeriodClosed.
    const march = await close("2010-03");
    expect(march.json).toMatchObject({ period: "2010-03", status: "closed", from: "2010-02" });
    const closings = (await journalEvents(api, book)).filter((event) => event.type === "PeriodClosed");
    expect(closings.map((event) => event.payload)).toMatchObject([
      { period: "2010-01" },
      { period: "2010-03", from: "2010-02" },
    ]);
    expect(closings.map((event) => event.actor.role)).toEqual(["finance", "finance"]);
    const february = await api.send("GET", `${base}/rollups/2010-02?verify=true`, { token: auditor });
    expect(february.json).toMatchObject({ status: "closed", rollup: { events: 0 }, verification: { ok: true } });

    // Closed is closed: a late invoice for March is refused; the reports mark only open months.
    const late = await api.send("POST", `${base}/collections`, {
      token: finance,
      body: { fundId: "relief", source: "dues", amount: "1.00", receivedOn: "2010-03-30" },
    });
    expect(late.status).toBe(409);
    const funds = await api.send("GET", `${base}/reports/funds?from=2010-01&to=2010-06`, { token: auditor });
    expect(funds.json.provisional).toEqual(["2010-04", "2010-05", "2010-06"]);
  });

  it("changes its policy by an admin's entry, which the nightly job follows", async () => {
    const byFinance = await api.send("PUT", `${base}/close-policy`, {
      token: finance,
      body: { close: { mode: "auto", afterDays: 10 } },
    });
    expect(byFinance.status).toBe(403);
    const bad = await api.send("PUT", `${base}/close-policy`, { token: admin, body: { close: { mode: "weekly" } } });
    expect(bad.status).toBe(400);
    const set = await api.send("PUT", `${base}/close-policy`, {
      token: admin,
      body: { close: { mode: "auto", afterDays: 5 } },
    });
    expect(set.status, set.text).toBe(201);
    expect(set.json).toMatchObject({ type: "ClosePolicySet", payload: { close: { mode: "auto", afterDays: 5 } } });
    // An entry in May, due on 5 June under the new policy: the empty April closes with it.
    await api.send("POST", `${base}/collections`, {
      token: finance,
      body: { fundId: "relief", source: "dues", amount: "7.00", receivedOn: "2010-05-02" },
    });
    const report = await runMonthlyRollup(api.journal, { clock: () => now });
    expect(report[book]).toMatchObject([{ period: "2010-05", status: "closed", from: "2010-04" }]);
  });
});

describe("the year's close (年终结账)", () => {
  const book = "year-end";
  let base: string;
  let frozenHash: string;

  beforeAll(async () => {
    now = noon("2010-11-20");
    const opened = await openBook(book);
    base = opened.base;
    await opened.collect("200.00", "2010-02-10");
    await opened.collect("300.00", "2010-11-05");
    const finding = await api.send("POST", `${base}/audit-findings`, {
      token: committee,
      body: {
        id: "f-2010",
        unitId: "textile",
        category: "incomplete-vouchers",
        severity: "low",
        description: "缺签收单",
        recordedOn: "2010-11-10",
      },
    });
    expect(finding.status, finding.text).toBe(201);
  });

  it("closes December on the 10th of January, freezing the annual report with its digest in PeriodClosed", async () => {
    now = noon("2011-01-09");
    const before = await runMonthlyRollup(api.journal, { clock: () => now });
    expect(before[book]?.map((result) => `${result.period}:${result.status}`)).toEqual([
      "2010-01:closed",
      "2010-02:closed",
      "2010-11:closed",
    ]);
    now = noon("2011-01-10");
    const closed = await runMonthlyRollup(api.journal, { clock: () => now });
    expect(closed[book]).toMatchObject([{ period: "2010-12", status: "closed", annualReportHash: expect.any(String) }]);
    const december = (await journalEvents(api, book)).filter((event) => event.type === "PeriodClosed").at(-1);
    frozenHash = String(december?.payload.annualReportHash);
    expect(frozenHash).toMatch(/^[0-9a-f]{64}$/);

    const annual = await api.send("GET", `${base}/reports/annual/2010`, { token: auditor });
    expect(annual.status, annual.text).toBe(200);
    expect(annual.json).toMatchObject({
      year: "2010",
      closedThrough: "2010-12",
      frozen: { annualReportHash: frozenHash },
      audit: { findings: { recorded: 1, open: 1, resolved: 0 } },
    });
    expect(fundsOf(annual.json)).toEqual({ relief: { opening: "1000.00", closing: "1500.00" } });
  });

  it("serves the closed year as frozen, though what it was computed from moved on", async () => {
    const resolved = await api.send("POST", `${base}/audit-findings/f-2010/resolution`, {
      token: committee,
      body: { outcome: "waived", note: "情节轻微", resolvedOn: "2011-01-10" },
    });
    expect(resolved.status, resolved.text).toBe(201);
    const annual = await api.send("GET", `${base}/reports/annual/2010`, { token: auditor });
    expect(annual.json).toMatchObject({
      frozen: { annualReportHash: frozenHash },
      audit: { findings: { open: 1, resolved: 0 } },
    });
  });

  it("has verify find a frozen report or an empty month's rollup changed in the table", async () => {
    const verify = async () => (await api.send("GET", `${base}/verify`, { token: auditor })).json;
    expect(await verify()).toMatchObject({ ok: true, rollups: { differences: [] } });
    const put = (kind: string, id: string, value: unknown) =>
      api.client.send(
        new PutItemCommand({
          TableName: api.tables.state,
          Item: {
            ...Object.fromEntries(Object.entries(entityKey(book, kind, id)).map(([k, v]) => [k, { S: v }])),
            value: { S: JSON.stringify(value) },
          },
        }),
      );
    const annual = (await api.send("GET", `${base}/reports/annual/2010`, { token: auditor })).json;
    const { frozen: _frozen, ...stored } = annual;
    await put("annual", "2010", { ...stored, audit: { ...stored.audit, target: 99 } });
    expect(await verify()).toMatchObject({
      ok: false,
      rollups: { differences: [{ period: "2010-12", path: "(annual report)", recorded: frozenHash }] },
    });
    await put("annual", "2010", stored);
    // November closed with the empty months before it; their stored rollups are checked too.
    const march = (await api.send("GET", `${base}/rollups/2010-03`, { token: auditor })).json.rollup;
    await put("rollup", "2010-03", { ...march, funds: { relief: { ...march.funds.relief, closing: "1.00" } } });
    const broken = await verify();
    expect(broken.ok).toBe(false);
    expect(broken.rollups.differences.map((difference: { period: string }) => difference.period)).toContain("2010-03");
    await put("rollup", "2010-03", march);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("opens the next year with this year's closing balances", async () => {
    const [closedYear, nextYear, january] = await Promise.all([
      api.send("GET", `${base}/reports/annual/2010`, { token: auditor }),
      api.send("GET", `${base}/reports/annual/2011`, { token: auditor }),
      api.send("GET", `${base}/rollups/2011-01`, { token: auditor }),
    ]);
    const closing = fundsOf(closedYear.json);
    expect(nextYear.json.frozen).toBeUndefined();
    expect(nextYear.json.provisional).toHaveLength(12);
    for (const [fundId, { closing: balance }] of Object.entries(closing)) {
      expect(fundsOf(nextYear.json)[fundId]?.opening, fundId).toBe(balance);
      expect(january.json.rollup.funds[fundId].opening, fundId).toBe(balance);
    }
    expect(january.json.status).toBe("provisional");
  });
});
