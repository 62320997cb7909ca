import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";

/**
 * The fund-audit committee's work over HTTP, against the real app and DynamoDB Local: plans,
 * audits, findings and their rectification, who may do which, and the findings list.
 */

// 2010-12-31 at noon in Shanghai: "today" for the book, after every business date used here.
const NOW = new Date("2010-12-31T04:00:00Z");

let api: Api;
let committee: string;
let finance: string;
let auditor: string;
let admin: string;
let bookCount = 0;

type Reply = Awaited<ReturnType<Api["send"]>>;

beforeAll(async () => {
  api = await startApi({ clock: () => NOW });
  committee = await api.token("audit-committee", "*", "jingshenhui-chair");
  finance = await api.token("finance", "*", "cashier-wang");
  auditor = await api.token("auditor");
  admin = await api.token("admin");
});

const expectCreated = (reply: Reply, what: string) => {
  expect(reply.status, `${what}: ${reply.text}`).toBe(201);
  return reply.json;
};

const expectProblem = (reply: Reply, status: number, code: string) => {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(reply.json.type).toBe(`/problems/${code}`);
  return reply.json;
};

/** A fresh book with two units, a fund and one collection (seq `collectionSeq`). */
async function auditedBook() {
  const book = `audit-${++bookCount}`;
  const base = `/v1/books/${book}`;
  const as = (token: string) => async (path: string, body: unknown) =>
    expectCreated(await api.send("POST", `${base}${path}`, { token, body }), path);
  expectCreated(
    await api.send("POST", "/v1/books", {
      token: admin,
      body: { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" },
    }),
    "book",
  );
  const byFinance = as(finance);
  await byFinance("/funds", { id: "general", name: "工会经费", restricted: false });
  await byFinance("/units", { id: "textile-union", name: "中兴纺织厂工会", kind: "grassroots-union" });
  await byFinance("/units", { id: "machinery-union", name: "机械厂工会", kind: "grassroots-union" });
  const collection = await byFinance("/collections", {
    fundId: "general",
    source: "dues",
    unitId: "textile-union",
    amount: "5000.00",
    receivedOn: "2010-02-01",
  });
  return { book, base, byCommittee: as(committee), byFinance, collectionSeq: collection.seq as number };
}

const anAudit = {
  id: "audit-textile",
  unitId: "textile-union",
  period: { from: "2009-01-01", to: "2009-12-31" },
  scope: "2009年度工会经费收支审计",
  startedOn: "2010-03-01",
};

const aFinding = (extra: Record<string, unknown> = {}) => ({
  id: "f-1",
  auditId: "audit-textile",
  unitId: "textile-union",
  category: "incomplete-vouchers",
  severity: "medium",
  amountInQuestion: "1200",
  description: '慰问品发放无签收单, "补签" 待办',
  dueBy: "2010-06-30",
  recordedOn: "2010-04-10",
  ...extra,
});

const head = async (book: string) => {
  const { seq, hash } = await api.journal.head(book);
  return { seq, hash };
};

describe("a finding's lifecycle over HTTP", () => {
  it("goes plan → audit → finding → rectification plan → evidence → closed, each step recorded by its role", async () => {
    const { base, byCommittee, byFinance, collectionSeq } = await auditedBook();
    const plan = await byCommittee("/audit-plans", { year: 2010, targetCount: 5 });
    expect(plan).toMatchObject({ type: "AuditPlanSet", actor: { sub: "jingshenhui-chair", role: "audit-committee" } });
    await byCommittee("/audits", anAudit);
    const found = await byCommittee("/audit-findings", aFinding({ relatedEntries: [collectionSeq] }));
    expect(found).toMatchObject({
      type: "FindingRecorded",
      occurredOn: "2010-04-10",
      payload: { findingId: "f-1", amountInQuestion: "1200.00", relatedEntries: [collectionSeq] },
    });
    const planned = await byFinance("/audit-findings/f-1/rectification-plan", {
      note: "补齐签收单",
      submittedOn: "2010-04-20",
      dueBy: "2010-07-31",
    });
    expect(planned.actor).toEqual({ sub: "cashier-wang", role: "finance" });
    await byFinance("/audit-findings/f-1/evidence", { note: "已补签收单", submittedOn: "2010-05-10" });
    await byFinance("/audit-findings/f-1/evidence", {
      note: "追回超发款",
      submittedOn: "2010-05-20",
      amountRecovered: "1200",
    });
    await byCommittee("/audit-findings/f-1/resolution", {
      outcome: "closed",
      note: "同意销号",
      resolvedOn: "2010-06-01",
    });
    await byCommittee("/audits/audit-textile/completion", {
      completedOn: "2010-06-15",
      summary: "发现问题一项，已整改",
    });

    const list = await api.send("GET", `${base}/audit-findings`, { token: auditor });
    expect(list.status, list.text).toBe(200);
    expect(list.json.findings).toHaveLength(1);
    expect(list.json.findings[0]).toMatchObject({
      id: "f-1",
      status: "resolved",
      overdue: false,
      dueBy: "2010-06-30",
      currentDueBy: "2010-07-31",
      amountRecovered: "1200.00",
      amountReclassified: "0.00",
      relatedEntries: [collectionSeq],
      resolution: { outcome: "closed", note: "同意销号", resolvedOn: "2010-06-01" },
    });
    expect(list.json.findings[0].history.map((step: { type: string }) => step.type)).toEqual([
      "FindingRecorded",
      "RectificationPlanSubmitted",
      "RectificationEvidenceSubmitted",
      "RectificationEvidenceSubmitted",
      "FindingResolved",
    ]);

    const audits = await api.send("GET", `${base}/audits`, { token: auditor });
    expect(audits.status, audits.text).toBe(200);
    expect(audits.json.audits).toEqual([
      { ...anAudit, completedOn: "2010-06-15", summary: "发现问题一项，已整改", findings: ["f-1"] },
    ]);
    const progress = await api.send("GET", `${base}/audit-plans`, { token: auditor });
    expect(progress.json.plans).toEqual([{ year: "2010", targetCount: 5, started: 1, completed: 1 }]);
  });

  it("refuses steps out of order with 409, naming the status, and resolves a finding once", async () => {
    const { book, base, byCommittee } = await auditedBook();
    await byCommittee("/audits", anAudit);
    await byCommittee("/audit-findings", aFinding());
    const before = await head(book);
    const evidence = await api.send("POST", `${base}/audit-findings/f-1/evidence`, {
      token: finance,
      body: { note: "提前提交", submittedOn: "2010-04-11" },
    });
    expect(expectProblem(evidence, 409, "finding-step-out-of-order")).toMatchObject({ status: 409, findingId: "f-1" });
    expect(evidence.json.detail).toMatch(/open/);
    const closed = await api.send("POST", `${base}/audit-findings/f-1/resolution`, {
      token: committee,
      body: { outcome: "closed", note: "直接销号", resolvedOn: "2010-04-11" },
    });
    expectProblem(closed, 409, "finding-step-out-of-order");
    expect(await head(book)).toEqual(before);

    await byCommittee("/audit-findings/f-1/resolution", {
      outcome: "waived",
      note: "金额轻微",
      resolvedOn: "2010-04-12",
    });
    const again = await api.send("POST", `${base}/audit-findings/f-1/resolution`, {
      token: committee,
      body: { outcome: "escalated", note: "再议", resolvedOn: "2010-04-13" },
    });
    expect(expectProblem(again, 409, "finding-resolved")).toMatchObject({
      outcome: "waived",
      resolvedOn: "2010-04-12",
    });
    const late = await api.send("POST", `${base}/audit-findings/f-1/rectification-plan`, {
      token: finance,
      body: { note: "补交方案", submittedOn: "2010-04-13" },
    });
    expectProblem(late, 409, "finding-resolved");
  });

  it("refuses a finding that names an entry the journal does not have, and writes nothing", async () => {
    const { book, base } = await auditedBook();
    const before = await head(book);
    const reply = await api.send("POST", `${base}/audit-findings`, {
      token: committee,
      body: aFinding({ auditId: undefined, relatedEntries: [before.seq + 1] }),
    });
    expect(expectProblem(reply, 422, "related-entry-not-found")).toMatchObject({
      seq: before.seq + 1,
      headSeq: before.seq,
    });
    expect(await head(book)).toEqual(before);
  });

  it("refuses a duplicate audit or finding id, an unknown audit, and a completion twice", async () => {
    const { base, byCommittee } = await auditedBook();
    await byCommittee("/audits", anAudit);
    await byCommittee("/audit-findings", aFinding());
    const post = (path: string, body: unknown) => api.send("POST", `${base}${path}`, { token: committee, body });
    expectProblem(await post("/audits", anAudit), 409, "audit-exists");
    expectProblem(await post("/audit-findings", aFinding()), 409, "finding-exists");
    expectProblem(await post("/audit-findings", aFinding({ id: "f-2", auditId: "nope" })), 422, "audit-not-found");
    expectProblem(
      await post("/audit-findings", aFinding({ id: "f-2", unitId: "machinery-union" })),
      422,
      "audit-unit-mismatch",
    );
    const completion = { completedOn: "2010-04-30", summary: "完成" };
    expectCreated(await post("/audits/audit-textile/completion", completion), "completion");
    expectProblem(await post("/audits/audit-textile/completion", completion), 409, "audit-completed");
    expectProblem(await post("/audits/nope/completion", completion), 422, "audit-not-found");
  });

  it("chooses a finding id when none is given, the same one on a retry with the same key", async () => {
    const { base } = await auditedBook();
    const body = aFinding({ id: undefined, auditId: undefined });
    const first = await api.send("POST", `${base}/audit-findings`, { token: committee, body, key: "finding-0001" });
    const retry = await api.send("POST", `${base}/audit-findings`, { token: committee, body, key: "finding-0001" });
    expectCreated(first, "first");
    expectCreated(retry, "retry");
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.json.seq).toBe(first.json.seq);
    expect(first.json.payload.findingId).toMatch(/^f-[0-9a-f]{12}$/);
  });

  it("validates bodies: a year of four digits, a known category, amounts as decimal strings", async () => {
    const { base } = await auditedBook();
    const post = (path: string, body: unknown) => api.send("POST", `${base}${path}`, { token: committee, body });
    expectProblem(await post("/audit-plans", { year: 10, targetCount: 5 }), 400, "validation-failed");
    expectProblem(await post("/audit-plans", { year: 2010, targetCount: -1 }), 400, "validation-failed");
    expectProblem(await post("/audit-findings", aFinding({ category: "bribery" })), 400, "validation-failed");
    const amount = expectProblem(
      await post("/audit-findings", aFinding({ amountInQuestion: "1.234" })),
      400,
      "invalid-amount",
    );
    expect(amount.errors).toEqual([{ path: "amountInQuestion", message: expect.any(String) }]);
    expectProblem(
      await post("/audits", { ...anAudit, period: { from: "2010-01-01", to: "2009-01-01" } }),
      400,
      "invalid-date-range",
    );
  });
});

describe("duties are segregated", () => {
  it("does not let finance record or resolve a finding, but lets it submit the plan and evidence", async () => {
    const { book, base, byCommittee } = await auditedBook();
    await byCommittee("/audits", anAudit);
    const before = await head(book);
    const record = await api.send("POST", `${base}/audit-findings`, { token: finance, body: aFinding() });
    expect(expectProblem(record, 403, "forbidden").permission).toBe("audit");
    expect(await head(book)).toEqual(before);

    await byCommittee("/audit-findings", aFinding());
    const asFinance = (path: string, body: unknown) => api.send("POST", `${base}${path}`, { token: finance, body });
    expectCreated(
      await asFinance("/audit-findings/f-1/rectification-plan", { note: "方案", submittedOn: "2010-04-20" }),
      "plan",
    );
    expectCreated(
      await asFinance("/audit-findings/f-1/evidence", { note: "证据", submittedOn: "2010-04-25" }),
      "evidence",
    );
    const afterEvidence = await head(book);
    const resolve = await asFinance("/audit-findings/f-1/resolution", {
      outcome: "closed",
      note: "自行销号",
      resolvedOn: "2010-04-26",
    });
    expect(expectProblem(resolve, 403, "forbidden").permission).toBe("audit");
    for (const [path, body] of [
      ["/audit-plans", { year: 2010, targetCount: 5 }],
      ["/audits", { ...anAudit, id: "audit-2" }],
      ["/audits/audit-textile/completion", { completedOn: "2010-05-01", summary: "完成" }],
    ] as const) {
      expectProblem(await asFinance(path, body), 403, "forbidden");
    }
    expect(await head(book)).toEqual(afterEvidence);
  });

  it("refuses the audit committee every money route with 403, even with a valid body", async () => {
    const { book, base, byFinance, collectionSeq } = await auditedBook();
    await byFinance("/programs", { id: "aid", name: "金秋助学", fundId: "general" });
    await byFinance("/beneficiaries", { id: "s-1", kind: "student", name: "学生甲" });
    const payout = await byFinance("/payouts", {
      programId: "aid",
      beneficiaryId: "s-1",
      amount: "100.00",
      paidOn: "2010-09-01",
    });
    await byFinance("/funds", { id: "relief", name: "帮扶资金", restricted: true });
    const before = await head(book);
    const moneyRoutes: [string, unknown][] = [
      ["/collections", { fundId: "general", source: "dues", amount: "100.00", receivedOn: "2010-03-01" }],
      ["/payouts", { programId: "aid", beneficiaryId: "s-1", amount: "100.00", paidOn: "2010-09-02" }],
      [
        "/payout-batches",
        { programId: "aid", paidOn: "2010-09-02", lines: [{ beneficiaryId: "s-1", amount: "100.00" }] },
      ],
      ["/transfers", { fromFundId: "general", toFundId: "relief", amount: "100.00", on: "2010-03-01" }],
      [`/entries/${collectionSeq}/reversal`, { reason: "录入错误" }],
      [`/payouts/${payout.seq}/return`, { returnedOn: "2010-09-05", reason: "账号错误" }],
    ];
    for (const [path, body] of moneyRoutes) {
      const reply = await api.send("POST", `${base}${path}`, { token: committee, body });
      expect(expectProblem(reply, 403, "forbidden").permission, path).toBe("money");
    }
    expect(await head(book)).toEqual(before);
  });

  it("refuses an auditor every audit write with 403, and lets it read", async () => {
    const { book, base, byCommittee } = await auditedBook();
    await byCommittee("/audits", anAudit);
    await byCommittee("/audit-findings", aFinding());
    const before = await head(book);
    const writes: [string, unknown][] = [
      ["/audit-plans", { year: 2010, targetCount: 5 }],
      ["/audits", { ...anAudit, id: "audit-2" }],
      ["/audits/audit-textile/completion", { completedOn: "2010-05-01", summary: "完成" }],
      ["/audit-findings", aFinding({ id: "f-2" })],
      ["/audit-findings/f-1/rectification-plan", { note: "方案", submittedOn: "2010-04-20" }],
      ["/audit-findings/f-1/evidence", { note: "证据", submittedOn: "2010-04-25" }],
      ["/audit-findings/f-1/resolution", { outcome: "waived", note: "免", resolvedOn: "2010-04-26" }],
    ];
    for (const [path, body] of writes) {
      const reply = await api.send("POST", `${base}${path}`, { token: auditor, body });
      expectProblem(reply, 403, "forbidden");
    }
    expect(await head(book)).toEqual(before);
    for (const path of ["/audits", "/audit-findings", "/audit-plans"]) {
      expect((await api.send("GET", `${base}${path}`, { token: auditor })).status, path).toBe(200);
    }
  });
});

describe("the findings list", () => {
  /**
   * Today is 2010-12-31. f-late was due 2010-06-30 and is open: overdue. f-extended was due then
   * too, but its plan moved the date to 2011-03-31: not overdue. f-today is due today: not yet.
   * f-done was due long ago but is resolved: never overdue. f-machinery has no due date.
   */
  async function findings() {
    const { base, byCommittee, byFinance } = await auditedBook();
    await byCommittee("/audits", anAudit);
    await byCommittee("/audit-findings", aFinding({ id: "f-late" }));
    await byCommittee("/audit-findings", aFinding({ id: "f-extended" }));
    await byFinance("/audit-findings/f-extended/rectification-plan", {
      note: "分期整改",
      submittedOn: "2010-05-01",
      dueBy: "2011-03-31",
    });
    await byCommittee("/audit-findings", aFinding({ id: "f-today", dueBy: "2010-12-31", recordedOn: "2010-11-01" }));
    await byCommittee("/audit-findings", aFinding({ id: "f-done", dueBy: "2010-05-01" }));
    await byCommittee("/audit-findings/f-done/resolution", {
      outcome: "escalated",
      note: "移交上级",
      resolvedOn: "2010-04-15",
    });
    await byCommittee("/audit-findings", {
      id: "f-machinery",
      unitId: "machinery-union",
      category: "banned-payment-form",
      severity: "high",
      description: "以现金发放购物卡",
      recordedOn: "2010-08-01",
    });
    const ids = async (query: string) => {
      const reply = await api.send("GET", `${base}/audit-findings${query}`, { token: auditor });
      expect(reply.status, reply.text).toBe(200);
      return reply.json.findings.map((finding: { id: string }) => finding.id);
    };
    return { base, ids };
  }

  it("filters by status, unit and overdue, judging overdue against today in the book's time zone", async () => {
    const { ids } = await findings();
    // Oldest first: by the date recorded, then id.
    expect(await ids("")).toEqual(["f-done", "f-extended", "f-late", "f-machinery", "f-today"]);
    expect(await ids("?status=open")).toEqual(["f-extended", "f-late", "f-machinery", "f-today"]);
    expect(await ids("?status=resolved")).toEqual(["f-done"]);
    expect(await ids("?unitId=machinery-union")).toEqual(["f-machinery"]);
    expect(await ids("?overdue=true")).toEqual(["f-late"]);
    expect(await ids("?overdue=false&status=open&unitId=textile-union")).toEqual(["f-extended", "f-today"]);
  });

  it("refuses a filter it does not know", async () => {
    const { base } = await findings();
    const reply = await api.send("GET", `${base}/audit-findings?status=pending`, { token: auditor });
    expectProblem(reply, 400, "validation-failed");
  });

  it("exports CSV: a BOM, one header row, amounts as decimal strings, values quoted per RFC 4180", async () => {
    const { base } = await findings();
    const reply = await api.send("GET", `${base}/audit-findings?format=csv&status=open&unitId=textile-union`, {
      token: auditor,
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(reply.text.startsWith("\uFEFF")).toBe(true);
    const lines = reply.text.slice(1).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "Finding id,Unit id,Audit id,Category,Severity,Status,Overdue,Amount in question,Amount recovered," +
        "Amount reclassified,Due by,Recorded on,Resolved on,Outcome,Description",
    );
    expect(lines.filter((line) => line.startsWith("Finding id,"))).toHaveLength(1);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(
      'f-late,textile-union,audit-textile,incomplete-vouchers,medium,open,true,1200.00,0.00,0.00,2010-06-30,2010-04-10,,,"慰问品发放无签收单, ""补签"" 待办"',
    );
    expect(lines[1]).toContain(",plan-submitted,false,1200.00,0.00,0.00,2011-03-31,");
  });
});
