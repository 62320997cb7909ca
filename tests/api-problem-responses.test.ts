import type { Role } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";
import { type OpenApiDocument, type Operation, operationsOf, undocumented } from "./support/openapi.ts";

/**
 * What the document says an operation answers, held to what the server answers: the
 * Idempotency-Key it marks required, and the problems it lists for requests that fail.
 */

let api: Api;
let document: OpenApiDocument;
/** Two books alike: one the header tests write in (closing its programme, say), one for the refusals. */
const [KEYS_BOOK, PROBLEMS_BOOK] = ["keys", "problems"];
const base = `/v1/books/${PROBLEMS_BOOK}`;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  api = await startApi();
  for (const role of ["admin", "finance", "approver", "audit-committee", "auditor", "system"] as const) {
    tokens[role] = await api.token(role);
  }
  document = (await api.send("GET", "/openapi.json")).json as OpenApiDocument;
  for (const book of [KEYS_BOOK, PROBLEMS_BOOK]) {
    await reliefBook(api, tokens, book, {
      balance: "1000.00",
      program: { id: "relief", name: "送温暖" },
      households: 1,
    });
    const unit = { id: "mill", name: "纺织厂", kind: "enterprise" };
    expect((await api.send("POST", `/v1/books/${book}/units`, { token: tokens.finance, body: unit })).status).toBe(201);
  }
});

/** The role whose token holds each permission the document names (x-permission). */
const ROLE_FOR: Record<string, Role> = {
  "book:create": "admin",
  policy: "admin",
  approve: "approver",
  read: "auditor",
  registry: "finance",
  money: "finance",
  rectify: "finance",
  audit: "audit-committee",
  rollup: "system",
};

const operation = (id: string): Operation => {
  const found = operationsOf(document).find(({ operation }) => operation.operationId === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found.operation;
};

/** The path params every POST is sent with: names in the book set up above, or ones it does not have. */
const PATH_PARAMS: Record<string, string> = {
  book: KEYS_BOOK,
  seq: "3",
  id: "hh-0000",
  program: "relief",
  period: "2010-01",
  proposalId: "1",
  fund: "relief",
  line: "1",
};

/** A body each POST validates, so that what it is answered is about the header, not the body. */
const BODIES: Record<string, unknown> = {
  openBook: { id: "another-book", name: "另一工会", currency: "CNY", openedOn: "2010-01-01" },
  openFund: { id: "general", name: "工会经费", restricted: false },
  addUnit: { id: "bureau", name: "财政局", kind: "government-agency" },
  openProgram: { id: "aid", name: "金秋助学", fundId: "relief" },
  closeProgram: { reason: "年度结束" },
  registerBeneficiary: { id: "hh-0001", kind: "household", name: "李德明" },
  // A roster is a CSV or XLSX file: sent as JSON it is refused 415, after the key is checked.
  importBeneficiaries: {},
  openHardshipFile: { tier: "deep", cause: "因病致困", openedOn: "2010-02-01", validUntil: "2010-12-31" },
  reviewHardshipFile: { reviewedOn: "2010-03-01", validUntil: "2011-03-01" },
  closeHardshipFile: { closedOn: "2010-04-01", reason: "已再就业" },
  recordCollection: { fundId: "relief", source: "dues", amount: "10.00", receivedOn: "2010-02-01" },
  recordPayout: { programId: "relief", beneficiaryId: "hh-0000", amount: "10.00", paidOn: "2010-02-01" },
  recordTransfer: { fromFundId: "relief", toFundId: "general", amount: "1.00", on: "2010-02-01" },
  reverseEntry: { reason: "录入错误" },
  returnPayout: { returnedOn: "2010-02-02", reason: "账户已销户" },
  recordPayoutBatch: {
    programId: "relief",
    paidOn: "2010-02-01",
    lines: [{ beneficiaryId: "hh-0000", amount: "5.00" }],
  },
  setAuditPlan: { year: 2010, targetCount: 5 },
  startAudit: {
    id: "audit-1",
    unitId: "mill",
    period: { from: "2009-01-01", to: "2009-12-31" },
    scope: "经费审计",
    startedOn: "2010-03-01",
  },
  completeAudit: { completedOn: "2010-04-01", summary: "基本规范" },
  recordFinding: { unitId: "mill", category: "missing-receipt", severity: "low", description: "缺签收单" },
  submitRectificationPlan: { note: "补齐签收单", submittedOn: "2010-05-01" },
  submitRectificationEvidence: { note: "已补齐", submittedOn: "2010-05-02" },
  resolveFinding: { outcome: "waived", note: "情节轻微", resolvedOn: "2010-05-03" },
  recordOpeningBalances: { asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "1.00" }] },
  approveProposal: {},
  rejectProposal: { reason: "材料不全" },
  withdrawProposal: {},
  setBookApprovalPolicy: { approvals: [] },
  setProgramApprovalPolicy: { approvals: [] },
  setClosePolicy: { close: { mode: "auto", afterDays: 10 } },
  recordBankStatement: {
    fundId: "relief",
    period: "2010-01",
    openingBalance: "0.00",
    closingBalance: "0.00",
    lines: [],
  },
  confirmBankMatch: {},
  undoBankMatch: { reason: "匹配有误" },
  setBankAccount: { bank: "中国农业银行巴中分行", accountName: "李德明", accountNumber: "6228480000000001234" },
  setFundBankAccount: {
    bank: "中国工商银行巴中分行",
    accountName: "巴州区总工会",
    accountNumber: "2314030109024778866",
  },
  // A bank's result file is a CSV or XLSX file: sent as JSON it is refused 415, after the key is checked.
  recordBankResults: {},
};

/** The writes: POSTs, and the PUTs that set an approval policy. */
const posts = () => operationsOf(document).filter(({ method }) => method === "post" || method === "put");

const sendWithout = (method: string, path: string, operation: Operation, key: string | null) => {
  const id = operation.operationId ?? "";
  if (!(id in BODIES) && operation.requestBody) throw new Error(`${id}: add a body it validates to BODIES`);
  const filled = path.replace(/^\/v1/, "").replace(/\{(\w+)\}/g, (_, name: string) => PATH_PARAMS[name] ?? "");
  return api.send(method.toUpperCase(), `/v1${filled}`, {
    token: tokens[ROLE_FOR[operation["x-permission"] ?? ""] ?? "auditor"],
    key,
    ...(operation.requestBody ? { body: BODIES[id] } : {}),
  });
};

const keyHeader = (operation: Operation) =>
  operation.parameters?.find((parameter) => parameter.in === "header" && parameter.name === "idempotency-key");

describe("the Idempotency-Key header, as documented and as enforced", () => {
  it("is marked required on the money-moving routes and optional on the other writes", () => {
    const required = posts()
      .filter(({ operation }) => keyHeader(operation)?.required)
      .map(({ operation }) => operation.operationId);
    expect(required.sort()).toEqual(
      [
        "recordOpeningBalances",
        "recordCollection",
        "recordPayout",
        "recordPayoutBatch",
        "recordTransfer",
        "reverseEntry",
        "returnPayout",
        "approveProposal",
        "rejectProposal",
        "withdrawProposal",
        "setBookApprovalPolicy",
        "setProgramApprovalPolicy",
        "importBeneficiaries",
        "recordBankStatement",
        "setBankAccount",
        "setFundBankAccount",
        "recordBankResults",
      ].sort(),
    );
  });

  it("is refused missing exactly where the document says it is required, and listed there as a 400", async () => {
    const mismatches: string[] = [];
    for (const { label, path, method, operation } of posts()) {
      const required = keyHeader(operation)?.required === true;
      const reply = await sendWithout(method, path, operation, null);
      const refused = reply.status === 400 && reply.json?.type === "/problems/idempotency-key-required";
      if (refused !== required)
        mismatches.push(`${label}: documented required ${required}, answered ${reply.status} ${reply.text}`);
      const why = undocumented(operation, reply);
      if (why) mismatches.push(`${label} without a key: ${why}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("is accepted where it is required: sent, the same request is not refused for it", async () => {
    for (const { label, path, method, operation } of posts().filter(
      ({ operation }) => keyHeader(operation)?.required,
    )) {
      const reply = await sendWithout(method, path, operation, `key-${operation.operationId}`);
      expect(reply.json?.type, label).not.toBe("/problems/idempotency-key-required");
      expect(undocumented(operation, reply), label).toBeUndefined();
    }
  });
});

describe("the problems an operation lists, against what the server answers", () => {
  /** Sends a request that must fail, and checks the answer is the expected problem and is listed. */
  const refusedAs = async (
    id: string,
    expected: { status: number; type: string },
    send: () => Promise<{ status: number; json?: { type?: string }; text: string }>,
  ) => {
    const reply = await send();
    expect({ status: reply.status, type: reply.json?.type }, reply.text).toEqual({
      status: expected.status,
      type: `/problems/${expected.type}`,
    });
    expect(undocumented(operation(id), reply), id).toBeUndefined();
  };
  const finance = () => tokens.finance;

  it("lists a payout's overdraft, unknown beneficiary and reused key, and a money body's bad amount", async () => {
    const payout = { programId: "relief", beneficiaryId: "hh-0000", amount: "5000.00", paidOn: "2010-03-01" };
    await refusedAs("recordPayout", { status: 409, type: "fund-overdrawn" }, () =>
      api.send("POST", `${base}/payouts`, { token: finance(), body: payout }),
    );
    await refusedAs("recordPayout", { status: 422, type: "beneficiary-not-found" }, () =>
      api.send("POST", `${base}/payouts`, { token: finance(), body: { ...payout, beneficiaryId: "nobody" } }),
    );
    const key = "reused-key";
    const small = { ...payout, amount: "1.00" };
    expect((await api.send("POST", `${base}/payouts`, { token: finance(), body: small, key })).status).toBe(201);
    await refusedAs("recordPayout", { status: 409, type: "idempotency-key-reused" }, () =>
      api.send("POST", `${base}/payouts`, { token: finance(), body: { ...small, amount: "2.00" }, key }),
    );
    await refusedAs("recordCollection", { status: 400, type: "invalid-amount" }, () =>
      api.send("POST", `${base}/collections`, {
        token: finance(),
        body: { fundId: "relief", source: "dues", amount: "1.234", receivedOn: "2010-03-01" },
      }),
    );
    await refusedAs("recordTransfer", { status: 422, type: "same-fund" }, () =>
      api.send("POST", `${base}/transfers`, {
        token: finance(),
        body: { fromFundId: "relief", toFundId: "relief", amount: "1.00", on: "2010-03-01" },
      }),
    );
    await refusedAs("reverseEntry", { status: 404, type: "entry-not-found" }, () =>
      api.send("POST", `${base}/entries/999/reversal`, { token: finance(), body: { reason: "无此条" } }),
    );
    await refusedAs("recordPayoutBatch", { status: 422, type: "batch-refused" }, () =>
      api.send("POST", `${base}/payout-batches`, {
        token: finance(),
        body: { programId: "relief", paidOn: "2010-03-01", lines: [{ beneficiaryId: "nobody", amount: "1.00" }] },
      }),
    );
  });

  it("lists what the middleware answers: no token, the wrong role, a body it cannot read", async () => {
    const fund = { id: "f-1", name: "基金", restricted: false };
    await refusedAs("openFund", { status: 401, type: "unauthorized" }, () =>
      api.send("POST", `${base}/funds`, { body: fund }),
    );
    await refusedAs("openFund", { status: 403, type: "forbidden" }, () =>
      api.send("POST", `${base}/funds`, { token: tokens.auditor, body: fund }),
    );
    await refusedAs("openFund", { status: 415, type: "unsupported-media-type" }, () =>
      api.send("POST", `${base}/funds`, { token: finance(), raw: "id=f-1", headers: { "content-type": "text/plain" } }),
    );
    await refusedAs("openFund", { status: 400, type: "malformed-json" }, () =>
      api.send("POST", `${base}/funds`, { token: finance(), raw: "{" }),
    );
    await refusedAs("openFund", { status: 413, type: "payload-too-large" }, () =>
      api.send("POST", `${base}/funds`, {
        token: finance(),
        raw: JSON.stringify({ ...fund, name: "x".repeat(2 ** 21) }),
      }),
    );
  });

  it("lists what reads and the registry answer", async () => {
    await refusedAs("getBook", { status: 404, type: "book-not-found" }, () =>
      api.send("GET", "/v1/books/nowhere", { token: tokens.auditor }),
    );
    await refusedAs("getFund", { status: 404, type: "not-found" }, () =>
      api.send("GET", `${base}/funds/nowhere`, { token: tokens.auditor }),
    );
    await refusedAs("getProgrammesReport", { status: 400, type: "invalid-date-range" }, () =>
      api.send("GET", `${base}/reports/programmes?from=2010-05&to=2010-01`, { token: tokens.auditor }),
    );
    await refusedAs("closeMonth", { status: 409, type: "period-out-of-order" }, () =>
      api.send("POST", `${base}/rollups/2010-06`, { token: tokens.system }),
    );
    await refusedAs("recordFinding", { status: 422, type: "unit-not-found" }, () =>
      api.send("POST", `${base}/audit-findings`, {
        token: tokens["audit-committee"],
        body: { unitId: "nowhere", category: "other", severity: "low", description: "无此单位" },
      }),
    );
    await refusedAs("openFund", { status: 409, type: "fund-exists" }, () =>
      api.send("POST", `${base}/funds`, { token: finance(), body: { id: "relief", name: "重复", restricted: true } }),
    );
  });

  it("notices an answer the document does not list (the check can fail)", () => {
    const payout = operation("recordPayout");
    expect(undocumented(payout, { status: 409, json: { type: "/problems/audit-completed" } })).toMatch(/not among/);
    expect(undocumented(payout, { status: 418, json: { type: "/problems/teapot" } })).toMatch(/status 418/);
    expect(undocumented(operation("getBook"), { status: 409, json: { type: "/problems/fund-overdrawn" } })).toMatch(
      /status 409/,
    );
  });
});
