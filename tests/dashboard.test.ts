import { readFileSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";
import type { ServerType } from "@hono/node-server";
import type { FundLine, ProgrammeLine } from "@relief-ledger/core";
import { closeThrough, createLedgerJournal, memoryDataKey } from "@relief-ledger/store";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "../packages/api/src/auth/secret.ts";
import { formatCount, formatYuan, sumDecimals } from "../packages/api/src/dashboard/format.ts";
import { startServer } from "../packages/api/src/server.ts";
import { DEMO_BOOK } from "../packages/jobs/src/demo/generate.ts";
import { loadDemo } from "../packages/jobs/src/demo/load.ts";
import { ID_HASH_KEY, JWT_SECRET } from "./support/api.ts";
import {
  CHROMIUM_OVERRIDE,
  CHROMIUM_VERSION,
  childExecutables,
  NODE_MODULES,
  openBrowser,
  type Recorded,
  screenshot,
  UNPACKED,
} from "./support/browser.ts";
import { freshTables } from "./support/dynamo.ts";

/**
 * The dashboard as an auditor uses it: the real app on a port, over DynamoDB Local holding the
 * whole demo book (loaded as `npm start` loads it, months of 2010 closed), driven in the Chromium
 * that `npm ci` installs (`@sparticuz/chromium`, under node_modules).
 * The full demo rather than a small book: the figures checked are the summary's own, and the
 * load takes 15–40 s, within the run's budget.
 */
describe("the auditors' dashboard in a browser, over the demo book", () => {
  let server: ServerType | undefined;
  let base = "";
  let token = "";
  let browser: Browser | undefined;
  let page: Page;
  let requests: Recorded[] = [];
  let executable = "";
  const shots: string[] = [];
  let destroy = () => {};

  /** The API, as the same auditor. */
  // biome-ignore lint/suspicious/noExplicitAny: the test reads JSON reports of many shapes
  const api = async (path: string): Promise<any> => {
    const response = await fetch(`${base}/v1/books/${DEMO_BOOK}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status, path).toBe(200);
    return response.json();
  };
  const text = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? "").trim();
  const open = async (path: string, ready: string) => {
    await page.goto(`${base}${path}`);
    await page.waitForSelector(ready);
  };

  beforeAll(async () => {
    const { client, tables } = await freshTables();
    destroy = () => client.destroy();
    const journal = createLedgerJournal({ client, tables });
    await loadDemo(journal, { keys: { dataKey: memoryDataKey(), idHashKey: ID_HASH_KEY } });
    await closeThrough(journal, DEMO_BOOK, "2010-12");
    const started = await startServer({ journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY }, 0);
    server = started.server;
    base = started.url;
    token = await mintToken({
      secret: JWT_SECRET,
      sub: "demo-auditor",
      role: "auditor",
      books: [DEMO_BOOK],
      ttlSeconds: 3600,
    });
    ({ browser, page, requests, executable } = await openBrowser());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    destroy();
    console.log(`dashboard screenshots:\n  ${shots.join("\n  ")}`);
  });

  it("drives the Chromium that npm unpacked under node_modules (unless LEDGER_CHROMIUM names another), never Debian's", () => {
    const expected = CHROMIUM_OVERRIDE ?? join(UNPACKED, "chromium");
    expect(executable).toBe(expected);
    expect(UNPACKED.startsWith(`${NODE_MODULES}/`)).toBe(true);
    const launched = childExecutables();
    expect(launched).toContain(realpathSync(expected));
    if (CHROMIUM_OVERRIDE === undefined) {
      // Every browser this process started is the unpacked one: none comes from the system.
      const browsers = launched.filter((path) => /chrom/i.test(basename(path)));
      expect(browsers.length).toBeGreaterThan(0);
      expect(browsers.filter((path) => !path.startsWith(`${realpathSync(NODE_MODULES)}/`))).toEqual([]);
      expect(realpathSync(expected).startsWith(`${realpathSync(NODE_MODULES)}/`)).toBe(true);
      expect(browser?.version().split(".")[0]).toBe(CHROMIUM_VERSION.split(".")[0]);
    }
  });

  it("refuses a bad token, then signs in with the auditor's, kept in the tab's session and never in a URL", async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector("#token");
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
    await page.fill("#token", "not-a-token");
    await page.click("#sign-in button[type=submit]");
    await page.waitForSelector("[data-testid=sign-in-error]:not([hidden])");
    expect(await text("[data-testid=sign-in-error]")).toContain("令牌未被接受");
    shots.push(await screenshot(page, "dashboard-sign-in"));

    await page.fill("#token", token);
    await page.click("#sign-in button[type=submit]");
    await page.waitForSelector("[data-testid=overview]");
    expect(new URL(page.url()).pathname).toBe(`/dashboard/books/${DEMO_BOOK}`);
    expect(await text("[data-testid=who]")).toBe("当前用户：demo-auditor（审计人员）");
    expect(await page.evaluate("sessionStorage.getItem('relief-ledger.token')")).toBe(token);
    expect(requests.filter((request) => request.url.includes(token))).toEqual([]);
  });

  it("shows the fund balances, the monthly chart, the programmes and the audit progress as the API reports them", async () => {
    await open(`/dashboard/books/${DEMO_BOOK}`, "[data-testid=overview]");
    expect(await page.getAttribute("[data-testid=overview]", "data-year")).toBe("2010");
    // The demo's money moved in 2010 alone: no empty year since is offered.
    expect(await page.locator("nav.years a").allTextContents()).toEqual(["2010"]);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    const annual = await api("/reports/annual/2010");

    const { funds } = await api("/funds");
    expect(await text("[data-field=balance-now]")).toBe(
      formatYuan(sumDecimals(funds.map((fund: { balance: string }) => fund.balance))),
    );
    for (const fund of funds as { id: string; balance: string }[]) {
      const row = `[data-testid=funds] tr[data-fund="${fund.id}"]`;
      const line = (annual.funds as FundLine[]).find((candidate) => candidate.fundId === fund.id);
      expect(await text(`${row} [data-field=balance]`), fund.id).toBe(formatYuan(fund.balance));
      expect(await text(`${row} [data-field=collected]`), fund.id).toBe(formatYuan(line?.collected ?? "0.00"));
      expect(await text(`${row} [data-field=paid-out]`), fund.id).toBe(formatYuan(line?.paidOut ?? "0.00"));
      expect(await text(`${row} [data-field=closing]`), fund.id).toBe(formatYuan(line?.closing ?? "0.00"));
    }

    for (const line of annual.programmes as ProgrammeLine[]) {
      const row = `[data-testid=programmes] tr[data-program="${line.programId}"]`;
      expect(await text(`${row} [data-field=amount]`)).toBe(formatYuan(line.amount));
      expect(await text(`${row} [data-field=person-times]`)).toBe(formatCount(line.personTimes));
      expect(await text(`${row} [data-field=beneficiaries]`)).toBe(formatCount(line.distinctBeneficiaries));
      if (line.executionPercent) expect(await text(`${row} [data-field=execution]`)).toBe(`${line.executionPercent}%`);
    }
    // The summary's own figure, written as an auditor reads it.
    expect(await text('[data-testid=programmes] tr[data-program="winter-2010"] [data-field=amount]')).toBe(
      "¥1,051,100.00",
    );

    const audit = annual.audit;
    expect(await text("[data-testid=audit] [data-field=target]")).toBe(String(audit.target));
    expect(await text("[data-testid=audit] [data-field=completed]")).toBe(String(audit.completed));
    expect(await text("[data-testid=audit] [data-field=open]")).toBe(String(audit.findings.open));
    expect(await text("[data-testid=audit] [data-field=overdue]")).toBe(String(audit.findings.overdue));
    expect(await text("[data-field=audits]")).toBe(`${audit.completed} / ${audit.target}`);
    // 2010 is closed: its report is the one its December's close froze, and the page says so.
    expect(annual.frozen.annualReportHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await text("[data-field=year-frozen] code")).toBe(`${annual.frozen.annualReportHash.slice(0, 16)}…`);

    // Collections against payouts, month by month: the chart's table against each month's funds report.
    expect(await page.locator("svg.chart g.month").count()).toBe(12);
    expect(await page.locator("svg.chart rect.bar-collections").count()).toBe(12);
    const months = Array.from({ length: 12 }, (_, i) => `2010-${String(i + 1).padStart(2, "0")}`);
    for (const month of months) {
      const report = await api(`/reports/funds?from=${month}&to=${month}`);
      const lines = report.funds as FundLine[];
      const row = `[data-testid=months] tr[data-month="${month}"]`;
      expect(await text(`${row} [data-field=collections]`), month).toBe(
        formatYuan(sumDecimals(lines.map((line) => line.collected))),
      );
      expect(await text(`${row} [data-field=payouts]`), month).toBe(
        formatYuan(sumDecimals(lines.map((line) => line.paidOut))),
      );
    }
    shots.push(await screenshot(page, "dashboard-overview-zh"));

    // The annual report as XLSX, fetched with the tab's token and saved under its Chinese name.
    const [annualFile] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-testid=annual-downloads] [data-format=xlsx]"),
    ]);
    expect(annualFile.suggestedFilename()).toBe(`${DEMO_BOOK}-年度报告-2010.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await annualFile.path());
    const first = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(first.name).toBe("项目");
    expect((first.getRow(1).values as unknown[]).slice(1, 3)).toEqual(["项目编号", "项目名称"]);
  });

  it("switches to English labels and remembers the choice", async () => {
    await page.click("button[data-action=lang]");
    await page.getByRole("heading", { name: "Fund balances" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Fund balances" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await text("[data-testid=funds] th")).toBe("Fund");
    shots.push(await screenshot(page, "dashboard-overview-en"));
    await page.click("button[data-action=lang]");
    await page.getByRole("heading", { name: "资金余额" }).waitFor();
  });

  it("filters the journal by programme and type, newest first with the list's totals, pages on, and shows each entry's hash", async () => {
    await open(`/dashboard/books/${DEMO_BOOK}/journal`, "[data-testid=journal-filters]");
    await page.selectOption("select[name=programId]", "winter-2010");
    await page.selectOption("select[name=type]", "PayoutRecorded");
    await page.selectOption("select[name=limit]", "25");
    await Promise.all([page.waitForURL(/programId=winter-2010/), page.click("[data-testid=journal-filters] button")]);
    await page.waitForSelector("[data-testid=entries]");
    const expected = await api("/entries?programId=winter-2010&type=PayoutRecorded&limit=25&order=desc");
    const rows = page.locator("[data-testid=entries] tbody tr");
    expect(await rows.count()).toBe(25);
    for (const [index, entry] of (expected.entries as { seq: number; hash: string; type: string }[]).entries()) {
      const row = rows.nth(index);
      expect(await row.getAttribute("data-seq")).toBe(String(entry.seq));
      expect(await row.getAttribute("data-type")).toBe("PayoutRecorded");
      expect(await row.locator("[data-field=hash]").getAttribute("title")).toBe(entry.hash);
    }
    const totals = await api("/entries/totals?programId=winter-2010&type=PayoutRecorded");
    expect(await text("[data-testid=journal-totals] [data-field=count]")).toBe(formatCount(totals.count));
    expect(await text("[data-testid=journal-totals] [data-field=out]")).toBe(formatYuan(totals.amounts.out));
    shots.push(await screenshot(page, "dashboard-journal"));

    // The filtered list as CSV: the same filters, headed in Chinese, newest first.
    const [journalFile] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-testid=journal-downloads] [data-format=csv]"),
    ]);
    expect(journalFile.suggestedFilename()).toBe(`${DEMO_BOOK}-日记账.csv`);
    const csv = readFileSync(await journalFile.path(), "utf8").split("\r\n");
    expect(csv[0]?.startsWith("\uFEFF序号,类型,业务日期,")).toBe(true);
    expect(csv.filter((line) => line !== "")).toHaveLength(1 + totals.count);
    expect(csv[1]?.split(",")[0]).toBe(String(expected.entries[0].seq));

    const lastSeq = Number(await rows.nth(24).getAttribute("data-seq"));
    await Promise.all([page.waitForURL(/before=/), page.click("[data-testid=next-page]")]);
    await page.waitForSelector("[data-testid=entries]");
    expect(Number(await rows.first().getAttribute("data-seq"))).toBeLessThan(lastSeq);
    expect(await page.inputValue("select[name=programId]")).toBe("winter-2010");
  });

  it("links a reversal to the entry it reverses, and that entry back to its reversal", async () => {
    await open(`/dashboard/books/${DEMO_BOOK}/journal?type=EntryReversed`, "[data-testid=journal]");
    shots.push(await screenshot(page, "dashboard-journal-reversals"));
    const reversal = page.locator("[data-testid=entries] tbody tr").first();
    const reversalSeq = await reversal.getAttribute("data-seq");
    const link = reversal.locator("[data-field=undoes] a");
    const original = ((await link.textContent()) ?? "").replace("#", "");
    await Promise.all([page.waitForURL(new RegExp(`/entries/${original}$`)), link.click()]);
    await page.waitForSelector("[data-testid=entry]");
    expect(await text("[data-field=undone-by] a")).toBe(`#${reversalSeq}`);
    const entry = await api(`/entries/${original}`);
    expect(await text("[data-testid=entry] [data-field=hash]")).toBe(entry.hash);
    shots.push(await screenshot(page, "dashboard-entry"));
  });

  it("shows an entry, the journal and a problem in Chinese and in English, no raw key left on the Chinese screens", async () => {
    // The journal lists newest first: its first row is the newest payout.
    const [payout] = (await api("/entries?programId=winter-2010&type=PayoutRecorded&limit=1&order=desc")).entries;
    const who = await api(`/beneficiaries/${payout.payload.beneficiaryId}`);
    const missing = (await api("")).headSeq + 1000;
    /** The page's visible text outside code and the language switch (the rule of tests/dashboard-i18n.test.ts). */
    const words = async () =>
      String(
        await page.evaluate(`(() => {
          const main = document.querySelector("main").cloneNode(true);
          main.querySelectorAll("code, [lang]:not([lang^=zh])").forEach((element) => element.remove());
          return main.innerText;
        })()`),
      );
    const english = (shown: string) =>
      shown.match(/[A-Za-z]+/g)?.filter((word) => !["SHA", "CSV", "XLSX"].includes(word)) ?? [];
    const pages = {
      entry: `/dashboard/books/${DEMO_BOOK}/entries/${payout.seq}`,
      journal: `/dashboard/books/${DEMO_BOOK}/journal?programId=winter-2010&type=PayoutRecorded&limit=25`,
      problem: `/dashboard/books/${DEMO_BOOK}/entries/${missing}`,
    };
    const expected = {
      "zh-CN": {
        type: "资金发放",
        accounts: ["资金：", `受助人：${who.name}`],
        time: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d（中国标准时间）$/,
        problem: `未找到记录：账簿中没有第 ${missing} 条记录。`,
      },
      en: {
        type: "Payout",
        accounts: ["Fund: ", `Beneficiary: ${who.name}`],
        time: /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(China Standard Time\)$/,
        problem: `No such entry: The book has no entry ${missing}.`,
      },
    };
    for (const lang of ["zh-CN", "en"] as const) {
      await page.evaluate((chosen) => localStorage.setItem("relief-ledger.lang", chosen), lang);
      const want = expected[lang];

      await open(pages.entry, "[data-testid=entry]");
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await text("[data-testid=entry] [data-field=type]")).toBe(want.type);
      expect(await page.getAttribute("[data-testid=entry] [data-field=type]", "title")).toBe("PayoutRecorded");
      expect(await text("[data-field=recorded-at]")).toMatch(want.time);
      const accounts = await page.locator("[data-testid=postings] [data-account]").allTextContents();
      expect(accounts.map((account) => account.replace(/\s+/g, " ").trim())).toEqual([
        expect.stringContaining(want.accounts[0] as string),
        want.accounts[1],
      ]);
      if (lang === "zh-CN") expect(english(await words())).toEqual([]);
      shots.push(await screenshot(page, `dashboard-entry-${lang}`));

      await open(pages.journal, "[data-testid=entries]");
      const row = page.locator("[data-testid=entries] tbody tr").first();
      expect(await row.locator("[data-field=type]").textContent()).toBe(want.type);
      expect(await row.locator("[data-field=beneficiary]").textContent()).toBe(who.name);
      if (lang === "zh-CN") expect(english(await words())).toEqual([]);
      shots.push(await screenshot(page, `dashboard-journal-${lang}`));

      await open(pages.problem, "[data-testid=problem]");
      expect(await page.getAttribute("[data-testid=problem]", "data-code")).toBe("entry-not-found");
      expect((await text("[data-testid=problem]")).replace(/\s+/g, " ")).toContain(want.problem);
      if (lang === "zh-CN") expect(english(await words())).toEqual([]);
      shots.push(await screenshot(page, `dashboard-problem-${lang}`));
    }
    await page.evaluate(() => localStorage.setItem("relief-ledger.lang", "zh-CN"));
  });

  it("shows a beneficiary's history as the API gives it", async () => {
    const history = await api("/beneficiaries/hh-0001/history");
    await open(`/dashboard/books/${DEMO_BOOK}/beneficiaries?id=hh-0001`, "[data-testid=beneficiary]");
    expect(await page.locator("[data-testid=history] tbody tr").count()).toBe(history.payments.length);
    expect(history.payments.length).toBeGreaterThan(0);
    shots.push(await screenshot(page, "dashboard-beneficiary"));
  });

  it("verifies the chain on request and says plainly that it is intact", async () => {
    await open(`/dashboard/books/${DEMO_BOOK}/verify`, "[data-testid=run-verify]");
    await Promise.all([page.waitForURL(/run=1/), page.click("[data-testid=run-verify]")]);
    await page.waitForSelector("[data-testid=verify-result]");
    const book = await api("");
    expect(await page.getAttribute("[data-testid=verify-result]", "data-ok")).toBe("true");
    expect(await text("[data-testid=verify-result] .sentence")).toBe("✓ 哈希链完整");
    expect(await text("[data-testid=verify-result] [data-field=checked]")).toBe(formatCount(book.headSeq));
    shots.push(await screenshot(page, "dashboard-verify"));
  });

  it("only ever reads: every request the page made was a GET to this app, none of them to change the ledger", () => {
    expect(requests.length).toBeGreaterThan(20);
    const elsewhere = requests.filter((request) => !request.url.startsWith(`${base}/`));
    expect(elsewhere).toEqual([]);
    const writes = requests.filter((request) => request.method !== "GET");
    expect(writes).toEqual([]);
    expect(requests.filter((request) => request.url.includes(token))).toEqual([]);
  });
});
