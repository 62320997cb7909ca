import { randomUUID } from "node:crypto";
import { EventPayloads } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, residentId, startApi } from "./support/api.ts";
import { journalEvents } from "./support/books.ts";
import { csvOf, HEADER_ZH, rosterRow } from "./support/roster.ts";

/**
 * The dashboard in Chinese shows no English: every label, event type, field, account, role and
 * problem is in words, read from a small book that holds every event type the core defines,
 * rendered server-side through `app.request` (the browser test checks a few of the same pages).
 *
 * The rule for "no English left", applied to each Chinese page's visible text:
 * 1. Removed first: the content of `<code>` elements (ids, hashes, idempotency keys, problem
 *    codes: what an auditor must be able to quote verbatim is shown as code, and only that), and
 *    elements that declare another language with a `lang` attribute (the switch to English, which
 *    names its language in that language).
 * 2. Then tags are stripped (attributes such as titles and data-* are not visible text) and
 *    entities decoded.
 * 3. What remains fails the page if it contains a camelCase identifier (a raw field name such as
 *    `fundId`), the name of an event type (`PayoutRecorded`), a raw account (`fund:…`), or any
 *    Latin word but SHA (in "SHA-256"), GMT / UTC (ICU's name for an offset without a name) and
 *    CSV / XLSX (the download buttons' file formats: names, like SHA-256, not English words).
 * The book's own data (names, memos, reasons) is Chinese here, as it is in the federation's books.
 * The English pages are held to the first three points (no raw key, type or account).
 */

// 2010-12-31 at noon in Shanghai: "today" for the book, after every business date used here.
const NOW = new Date("2010-12-31T04:00:00Z");
const BOOK = "i18n-book";
const base = `/v1/books/${BOOK}`;
const ALLOWED_LATIN = new Set(["SHA", "GMT", "UTC", "CSV", "XLSX"]);
const EVENT_TYPES = Object.keys(EventPayloads);

let api: Api;
let auditor: string;
/** The seqs of the book's entries of each type, in journal order. */
const seqsOf: Record<string, number[]> = {};
const first = (type: string) => seqsOf[type]?.[0] ?? 0;
/** The seq of the programme with a cap and two methods (its sibling is opened in the same round). */
let winterSeq = 0;

const visibleText = (page: string): string =>
  page
    .replace(/<code\b[^>]*>[\s\S]*?<\/code>/g, " ")
    .replace(/<(\w+)\b[^>]*\slang="(?!zh)[^"]*"[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) =>
      entity === "&amp;" ? "&" : entity === "&lt;" ? "<" : entity === "&gt;" ? ">" : entity === "&quot;" ? '"' : "'",
    )
    .replace(/\s+/g, " ");

/** The visible text without spaces, to look for Chinese words however the markup split them. */
const squashed = (html: string) => visibleText(html).replace(/\s+/g, "");

/** What a page shows that is a raw key rather than words: camelCase, event types, accounts. */
function untranslatedKeys(text: string): string[] {
  const found = [
    ...(text.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) ?? []),
    ...EVENT_TYPES.filter((type) => new RegExp(`\\b${type}\\b`).test(text)),
    ...(text.match(/\b(fund|source|beneficiary|unit):\S*/g) ?? []),
  ];
  return [...new Set(found)];
}

/** Everything on a Chinese page that is not Chinese by the rule above, each word with its context. */
function english(text: string): string[] {
  const latin = [...text.matchAll(/[A-Za-z]+/g)]
    .filter(([word]) => !ALLOWED_LATIN.has(word))
    .map((match) => `${match[0]} in "…${text.slice(Math.max(0, match.index - 20), match.index + 30)}…"`);
  return [...untranslatedKeys(text), ...latin];
}

const page = async (path: string, lang: "zh-CN" | "en", token = auditor) => {
  const response = await api.app.request(`/dashboard/_/books/${BOOK}${path}`, {
    headers: { authorization: `Bearer ${token}`, "x-dashboard-lang": lang },
  });
  return { status: response.status, html: await response.text() };
};

const expectChinese = async (path: string, status = 200) => {
  const { status: answered, html } = await page(path, "zh-CN");
  expect(answered, `${path}: ${html.slice(0, 300)}`).toBe(status);
  expect(english(visibleText(html)), path).toEqual([]);
  return html;
};

beforeAll(async () => {
  api = await startApi({ clock: () => NOW });
  auditor = await api.token("auditor", [BOOK], "auditor-li");
  const tokens = {
    admin: await api.token("admin"),
    finance: await api.token("finance", "*", "cashier-wang"),
    committee: await api.token("audit-committee", "*", "jingshenhui-chair"),
    system: await api.token("system"),
    zhao: await api.token("approver", "*", "approver-zhao"),
    qian: await api.token("approver", "*", "approver-qian"),
  };
  /** A write that must be answered `status`: 201 recorded, 202 held for approval. */
  const send = async (as: keyof typeof tokens, method: string, path: string, body: unknown, status: number) => {
    const url = path === "/v1/books" ? path : `${base}${path}`;
    const reply = await api.send(method, url, { token: tokens[as], body, key: randomUUID() });
    if (reply.status !== status) throw new Error(`${path}: ${reply.status} ${reply.text}`);
    return reply.json;
  };
  const post = (as: keyof typeof tokens, path: string, body: unknown = {}) => send(as, "POST", path, body, 201);
  // Independent commands go together (the writer commits them in one transaction); each group
  // needs what the ones before it recorded.
  await post("admin", "/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await Promise.all([
    post("finance", "/funds", { id: "relief", name: "帮扶资金", restricted: true, purpose: "困难职工帮扶" }),
    post("finance", "/funds", { id: "model-worker", name: "劳模帮扶资金", restricted: true }),
    post("finance", "/units", { id: "textile-union", name: "中兴纺织厂工会", kind: "grassroots-union" }),
  ]);
  await post("finance", "/opening-balances", {
    asOf: "2010-01-01",
    funds: [{ fundId: "model-worker", amount: "500.00" }],
    memo: "2009年末余额结转",
  });
  await Promise.all([
    post("finance", "/programs", {
      id: "winter",
      name: "2010年送温暖",
      fundId: "relief",
      requiresHardshipFile: true,
      methods: ["bank", "cash"],
      budget: "10000",
      cap: { perPayment: "2000", perBeneficiaryPerYear: { count: 5, amount: "5000" } },
    }),
    post("finance", "/programs", { id: "temporary", name: "临时救助", fundId: "relief" }),
    post("finance", "/beneficiaries", {
      id: "hh-0001",
      kind: "household",
      name: "王秀英",
      idNumber: residentId(1),
      unitId: "textile-union",
      tags: ["因病致困"],
    }),
    post("finance", "/beneficiaries", { id: "hh-0002", kind: "household", name: "李桂兰" }),
    post("finance", "/collections", {
      fundId: "relief",
      source: "upper-subsidy",
      amount: "20000.00",
      receivedOn: "2010-01-05",
      reference: "SB-2010-001",
      memo: "上级补助",
    }),
  ]);
  await Promise.all([
    post("finance", "/collections", {
      fundId: "model-worker",
      source: "dues",
      unitId: "textile-union",
      amount: "3000.00",
      receivedOn: "2010-01-06",
    }),
    post("finance", "/programs/temporary/closure", { reason: "并入送温暖" }),
    // After its household: the two sent together may reach the writer in either order.
    post("finance", "/beneficiaries", { id: "s-0001", kind: "student", name: "张小明", householdId: "hh-0001" }),
    post("finance", "/beneficiaries/hh-0001/hardship-file", {
      tier: "deep",
      cause: "因病致困",
      openedOn: "2010-01-02",
      validUntil: "2010-12-31",
    }),
    post("finance", "/beneficiaries/hh-0002/hardship-file", {
      tier: "accidental",
      cause: "意外致困",
      openedOn: "2010-01-03",
      validUntil: "2010-12-31",
    }),
    post("committee", "/audit-plans", { year: 2010, targetCount: 5 }),
    post("committee", "/audits", {
      id: "audit-textile",
      unitId: "textile-union",
      period: { from: "2009-01-01", to: "2009-12-31" },
      scope: "2009年度工会经费收支审计",
      startedOn: "2010-03-01",
    }),
  ]);
  const [paid, transfer] = await Promise.all([
    post("finance", "/payouts", {
      programId: "winter",
      beneficiaryId: "hh-0001",
      amount: "800.00",
      paidOn: "2010-01-20",
      method: "cash",
      memo: "春节慰问",
    }),
    post("finance", "/transfers", {
      fromFundId: "relief",
      toFundId: "model-worker",
      amount: "1000.00",
      on: "2010-03-01",
      memo: "调剂",
    }),
    post("finance", "/beneficiaries/hh-0001/hardship-file/review", {
      reviewedOn: "2010-06-01",
      validUntil: "2011-06-30",
      tier: "relative",
      note: "年度复核",
    }),
    post("finance", "/beneficiaries/hh-0002/hardship-file/closure", { closedOn: "2010-02-01", reason: "已就业" }),
  ]);
  const [returned] = await Promise.all([
    post("finance", "/payouts", {
      programId: "winter",
      beneficiaryId: "hh-0001",
      amount: "900.00",
      paidOn: "2010-02-10",
      method: "bank",
    }),
    post("finance", `/entries/${transfer.seq}/reversal`, { reason: "调错资金" }),
    post("finance", "/payout-batches", {
      programId: "winter",
      paidOn: "2010-03-10",
      method: "cash",
      lines: [
        { beneficiaryId: "hh-0001", amount: "500.00" },
        { beneficiaryId: "nobody", amount: "500.00" },
      ],
    }),
    post("committee", "/audit-findings", {
      id: "f-1",
      auditId: "audit-textile",
      unitId: "textile-union",
      category: "missing-receipt",
      severity: "medium",
      amountInQuestion: "1200",
      description: "慰问品发放无签收单",
      relatedEntries: [paid.seq],
      dueBy: "2010-06-30",
      recordedOn: "2010-04-10",
    }),
  ]);
  await Promise.all([
    post("finance", `/payouts/${returned.seq}/return`, { returnedOn: "2010-02-20", reason: "账户已销户" }),
    post("committee", "/audits/audit-textile/completion", { completedOn: "2010-04-20", summary: "发现问题一项" }),
    post("finance", "/audit-findings/f-1/rectification-plan", {
      note: "补齐签收单",
      submittedOn: "2010-04-15",
      dueBy: "2010-07-31",
    }),
  ]);
  await post("finance", "/audit-findings/f-1/evidence", {
    note: "已补签",
    submittedOn: "2010-05-01",
    amountRecovered: "1200",
  });
  await post("committee", "/audit-findings/f-1/resolution", {
    outcome: "closed",
    note: "同意销号",
    resolvedOn: "2010-05-10",
  });
  await post("system", "/rollups/2010-01");
  await post("finance", "/programs", { id: "serious-illness", name: "大病救助", fundId: "relief" });
  await send(
    "admin",
    "PUT",
    "/programs/serious-illness/approval-policy",
    { approvals: [{ over: "0.00", levels: 2 }] },
    201,
  );
  const propose = (body: unknown) => send("finance", "POST", "/payouts", body, 202);
  const [held, rejected] = await Promise.all([
    propose({
      programId: "serious-illness",
      beneficiaryId: "hh-0001",
      amount: "300.00",
      paidOn: "2010-06-01",
      method: "cash",
    }),
    propose({
      programId: "serious-illness",
      beneficiaryId: "hh-0001",
      amount: "200.00",
      paidOn: "2010-06-02",
      method: "cash",
    }),
  ]);
  await post("zhao", `/approvals/${held.id}/approve`);
  await post("qian", `/approvals/${rejected.id}/reject`, { reason: "材料不全" });
  await send("admin", "PUT", "/close-policy", { close: { mode: "manual" } }, 201);
  // February's bank statement of the relief fund: its one line matches the payout of 900.00,
  // which finance confirms and then undoes.
  const statement = await api.send("POST", `${base}/bank-statements`, {
    token: tokens.finance,
    key: randomUUID(),
    body: {
      fundId: "relief",
      period: "2010-02",
      openingBalance: "5000.00",
      closingBalance: "4100.00",
      lines: [{ date: "2010-02-11", amount: "900.00", direction: "out", counterparty: "王秀英" }],
    },
  });
  if (statement.status !== 201) throw new Error(`statement: ${statement.status} ${statement.text}`);
  await post("finance", "/bank-statements/relief/2010-02/matches/1/confirm", { note: "回单已核" });
  await post("finance", "/bank-statements/relief/2010-02/matches/1/undo", { reason: "回单不符" });
  // Two households of a roster, brought in as a file.
  const roster = csvOf(HEADER_ZH, [rosterRow(4, "textile-union"), rosterRow(5, "textile-union")]);
  const imported = await api.send("POST", `${base}/beneficiary-imports`, {
    token: tokens.finance,
    raw: roster,
    key: randomUUID(),
    headers: { "content-type": "text/csv" },
  });
  if (imported.status !== 201) throw new Error(`roster: ${imported.status} ${imported.text}`);
  // The bank loop: an account on file for one household of the roster, a one-line batch paid by
  // bank, its disbursement file, the bank's answer (paid), and the account erased.
  const account = { bank: "中国农业银行巴中分行", accountName: "困难户4", accountNumber: "6228480000000004444" };
  await send("finance", "PUT", "/beneficiaries/r-4/bank-account", account, 201);
  await post("finance", "/payout-batches", {
    batchId: "winter-bank",
    programId: "winter",
    paidOn: "2010-07-01",
    method: "bank",
    lines: [{ beneficiaryId: "r-4", amount: "300.00", reference: "SNW-1" }],
  });
  const file = await api.send("GET", `${base}/payout-batches/winter-bank/bank-file?format=csv`, {
    token: tokens.finance,
  });
  if (file.status !== 200) throw new Error(`bank file: ${file.status} ${file.text}`);
  const [header, line] = file.text
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/);
  const results = await api.send("POST", `${base}/payout-batches/winter-bank/bank-results`, {
    token: tokens.finance,
    key: randomUUID(),
    headers: { "content-type": "text/csv" },
    raw: `\uFEFF${header},状态,原因\r\n${line},成功,\r\n`,
  });
  if (results.status !== 201) throw new Error(`bank results: ${results.status} ${results.text}`);
  await send("finance", "DELETE", "/beneficiaries/r-4/bank-account", undefined, 201);
  // The relief fund's own account, linked after its statement is in.
  const own = { bank: "中国工商银行巴中分行", accountName: "巴州区总工会", accountNumber: "2314030109024778866" };
  await send("finance", "PUT", "/funds/relief/bank-account", own, 201);
  for (const entry of await journalEvents(api, BOOK)) {
    seqsOf[entry.type] = [...(seqsOf[entry.type] ?? []), entry.seq];
    if (entry.type === "ProgramOpened" && entry.payload.programId === "winter") winterSeq = entry.seq;
  }
}, 120_000);

describe("the dashboard in Chinese, with no English left", () => {
  it("holds a book with every event type the core defines", () => {
    expect(Object.keys(seqsOf).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("shows every entry, of every type, with its type, fields, accounts, actor and time in Chinese", async () => {
    for (const [type, seqs] of Object.entries(seqsOf))
      for (const seq of seqs) expect(await expectChinese(`/entries/${seq}`), type).toContain(`data-type="${type}"`);
    const payout = await expectChinese(`/entries/${first("PayoutRecorded")}`);
    expect(payout).toContain("资金发放");
    expect(squashed(payout)).toContain("受助人：王秀英");
    expect(squashed(payout)).toContain("资金：帮扶资金");
    expect(squashed(payout)).toContain("发放方式现金");
    expect(visibleText(payout)).toMatch(/记账时间 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d（中国标准时间）/);
    expect(squashed(payout)).toContain("记账人（财务）");
    const [subsidy = 0, dues = 0] = seqsOf.CollectionRecorded ?? [];
    expect(squashed(await expectChinese(`/entries/${subsidy}`))).toContain("来源：上级补助");
    const collection = squashed(await expectChinese(`/entries/${dues}`));
    expect(collection).toContain("单位：中兴纺织厂工会");
    expect(collection).toContain("来源会费");
    const reversal = squashed(await expectChinese(`/entries/${first("EntryReversed")}`));
    expect(reversal).toContain("原记录类型资金调拨");
    const chunk = squashed(await expectChinese(`/entries/${first("PayoutBatchChunkRecorded")}`));
    expect(chunk).toContain("未找到受助人");
    const program = squashed(await expectChinese(`/entries/${winterSeq}`));
    expect(program).toContain("每笔上限¥2,000.00");
    expect(program).toContain("发放方式银行转账、现金");
  });

  it("shows the overview, the journal, beneficiaries, approvals and the chain's verification in Chinese", async () => {
    await expectChinese("");
    const journal = squashed(await expectChinese("/journal?limit=100"));
    expect(journal).toContain("王秀英");
    expect(journal).toContain("资金发放");
    await expectChinese(`/journal?type=PayoutRecorded&beneficiaryId=hh-0001`);
    const household = squashed(await expectChinese("/beneficiaries?id=hh-0001"));
    expect(household).toContain("相对困难");
    const student = squashed(await expectChinese("/beneficiaries?id=s-0001"));
    expect(student).toContain("所在家庭王秀英");
    await expectChinese("/beneficiaries");
    const verify = squashed(await expectChinese("/verify?run=1"));
    expect(verify).toContain("哈希链完整");
    const none = squashed(await expectChinese("/reconciliation?period=2010-01&fundId=relief"));
    expect(none).toContain("尚无银行对账单");
    const reconciliation = squashed(await expectChinese("/reconciliation?period=2010-02&fundId=relief"));
    expect(reconciliation).toContain("银行存款日记账余额");
    const approvals = squashed(await expectChinese("/approvals"));
    expect(approvals).toContain("待审批的申请");
    expect(approvals).toContain("已作废：驳回");
    expect(approvals).toContain("1/2");
    for (const [seq] of [seqsOf.ProposalMade ?? [], seqsOf.ProposalVoided ?? []]) {
      const made = (await page(`/entries/${seq}`, "zh-CN")).html;
      const id = /approvals\?proposal=(\d+)/.exec(made)?.[1];
      expect(id, `entry ${seq}`).toBeDefined();
      await expectChinese(`/approvals?proposal=${id}`);
    }
  });

  it("says every problem in Chinese by its code, never with the API's English detail", async () => {
    const cases: [path: string, status: number, code: string, words: string][] = [
      ["/entries/999", 404, "entry-not-found", "未找到记录：账簿中没有第999条记录。"],
      ["/beneficiaries?id=nobody", 404, "not-found", "未找到：账簿中没有受助人。"],
      ["/journal?from=2010-13-45", 400, "validation-failed", "请求无效：的取值无效。"],
      ["/nothing-here", 404, "not-found", "未找到：没有这个页面："],
    ];
    for (const [path, status, code, words] of cases) {
      const html = await expectChinese(path, status);
      expect(html, path).toContain(`data-code="${code}"`);
      expect(squashed(html), path).toContain(words);
    }
    const elsewhere = await page("", "zh-CN", await api.token("auditor", ["another-book"]));
    expect(elsewhere.status).toBe(403);
    expect(english(visibleText(elsewhere.html))).toEqual([]);
    expect(squashed(elsewhere.html)).toContain("无权访问：此令牌不能访问账簿");
  });

  it("answers a refused token in the reader's language, for the sign-in page to show", async () => {
    for (const [lang, title] of [
      ["zh-CN", "未通过身份验证"],
      ["en", "Authentication required"],
    ] as const) {
      const response = await api.app.request(`/dashboard/_/books/${BOOK}`, {
        headers: { authorization: "Bearer not-a-token", "x-dashboard-lang": lang },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      const problem = (await response.json()) as { detail: string };
      expect(problem).toMatchObject({ type: "/problems/unauthorized", title, status: 401 });
      if (lang === "zh-CN") {
        expect(problem.detail).toMatch(/\p{Script=Han}/u);
        expect(english(problem.detail)).toEqual([]);
      }
    }
  });
});

describe("the dashboard in English", () => {
  it("shows the same pages with words, never raw field names, event types or accounts", async () => {
    const paths = [
      ...Object.values(seqsOf).map(([seq]) => `/entries/${seq}`),
      "",
      "/journal?limit=100",
      "/beneficiaries?id=s-0001",
      "/verify?run=1",
      "/reconciliation?period=2010-01&fundId=relief",
      "/reconciliation?period=2010-02&fundId=relief",
      "/entries/999",
      "/approvals",
      `/approvals?proposal=${first("ProposalMade")}`,
    ];
    for (const path of paths) {
      const { html } = await page(path, "en");
      expect(untranslatedKeys(visibleText(html)), path).toEqual([]);
    }
    const payout = visibleText((await page(`/entries/${first("PayoutRecorded")}`, "en")).html);
    expect(payout).toMatch(/Entry #\d+ · Payout/);
    expect(payout).toMatch(/Fund: +帮扶资金/);
    expect(payout).toMatch(/Beneficiary: +王秀英/);
    expect(payout).toMatch(/Programme +2010年送温暖/);
    expect(payout).toMatch(/Method +cash/);
    expect(payout).toMatch(/Recorded at +20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \(China Standard Time\)/);
    expect(payout).toMatch(/Recorded by +\(finance office\)/);
    const missing = visibleText((await page("/entries/999", "en")).html);
    expect(missing).toMatch(/No such entry +: The book has no entry 999\./);
  });
});
