/**
 * Every column an export (CSV or XLSX) may have, in one table: its header in each language the
 * exports speak, and what its cells hold, which decides how a cell is written (csv.ts, xlsx.ts).
 * A column missing a language is a type error, never a blank header.
 */

/** The languages of export headers and sheet names (`?lang=`). */
export const LANGS = ["zh", "en"] as const;
export type Lang = (typeof LANGS)[number];

/**
 * What a column's cells hold:
 * - `text`: ids, names, codes, memos; written as text whatever they look like (never a formula);
 * - `amount`: a decimal string with the currency's two minor digits ("-800.00"): a number in
 *   XLSX with the format 0.00, never summed or rounded on the way;
 * - `decimal`: another two-decimal figure (a percentage), written like an amount;
 * - `integer`: seqs and counts;
 * - `date`: a business date, YYYY-MM-DD (a date cell in XLSX);
 * - `timestamp`: an ISO instant in UTC (a date and time cell in XLSX, in UTC);
 * - `boolean`: true or false.
 */
export type ColumnKind = "text" | "amount" | "decimal" | "integer" | "date" | "timestamp" | "boolean";

export type Column = { readonly zh: string; readonly en: string; readonly kind: ColumnKind };

export const COLUMNS = {
  // The journal (routes/journal.ts).
  seq: { zh: "序号", en: "Seq", kind: "integer" },
  type: { zh: "类型", en: "Type", kind: "text" },
  occurredOn: { zh: "业务日期", en: "Business date", kind: "date" },
  recordedAt: { zh: "记账时间（UTC）", en: "Recorded at (UTC)", kind: "timestamp" },
  actor: { zh: "记账人", en: "Recorded by", kind: "text" },
  role: { zh: "角色", en: "Role", kind: "text" },
  fundId: { zh: "资金编号", en: "Fund id", kind: "text" },
  programId: { zh: "项目编号", en: "Programme id", kind: "text" },
  beneficiaryId: { zh: "受助人编号", en: "Beneficiary id", kind: "text" },
  unitId: { zh: "单位编号", en: "Unit id", kind: "text" },
  amount: { zh: "金额", en: "Amount", kind: "amount" },
  reference: { zh: "凭证号", en: "Reference", kind: "text" },
  memo: { zh: "摘要", en: "Memo", kind: "text" },
  idempotencyKey: { zh: "幂等键", en: "Idempotency key", kind: "text" },
  prevHash: { zh: "前一哈希", en: "Previous hash", kind: "text" },
  hash: { zh: "哈希", en: "Hash", kind: "text" },
  // Programmes.
  programName: { zh: "项目名称", en: "Programme", kind: "text" },
  personTimes: { zh: "人次", en: "Person-times", kind: "integer" },
  distinctBeneficiaries: { zh: "受助人数（户）", en: "Distinct beneficiaries", kind: "integer" },
  averagePerPayout: { zh: "人次平均金额", en: "Average per payout", kind: "amount" },
  budget: { zh: "预算", en: "Budget", kind: "amount" },
  executionPercent: { zh: "预算执行率（%）", en: "Budget execution (%)", kind: "decimal" },
  reversedCount: { zh: "冲销笔数", en: "Reversals", kind: "integer" },
  reversedAmount: { zh: "冲销金额", en: "Amount reversed", kind: "amount" },
  returnedCount: { zh: "退回笔数", en: "Returns", kind: "integer" },
  returnedAmount: { zh: "退回金额", en: "Amount returned", kind: "amount" },
  // Funds.
  fundName: { zh: "资金名称", en: "Fund", kind: "text" },
  opening: { zh: "期初余额", en: "Opening balance", kind: "amount" },
  collected: { zh: "收入", en: "Collected", kind: "amount" },
  paidOut: { zh: "支出", en: "Paid out", kind: "amount" },
  transfersIn: { zh: "调入", en: "Transfers in", kind: "amount" },
  transfersOut: { zh: "调出", en: "Transfers out", kind: "amount" },
  returns: { zh: "退回", en: "Returns", kind: "amount" },
  reversals: { zh: "冲销", en: "Reversals", kind: "amount" },
  closing: { zh: "期末余额", en: "Closing balance", kind: "amount" },
  reservedAtClose: { zh: "期末待审批占用", en: "Reserved by proposals at close", kind: "amount" },
  availableAtClose: { zh: "期末可用余额", en: "Available at close", kind: "amount" },
  // Collections.
  source: { zh: "收入来源", en: "Source", kind: "text" },
  unitName: { zh: "单位名称", en: "Unit", kind: "text" },
  // Audit progress of a year.
  year: { zh: "年度", en: "Year", kind: "integer" },
  auditsTarget: { zh: "计划审计单位", en: "Audit target", kind: "integer" },
  auditsCompleted: { zh: "已完成审计", en: "Audits completed", kind: "integer" },
  auditsStarted: { zh: "已开始审计", en: "Audits started", kind: "integer" },
  findingsRecorded: { zh: "审计发现", en: "Findings recorded", kind: "integer" },
  findingsOpen: { zh: "未销号", en: "Open", kind: "integer" },
  findingsOverdue: { zh: "逾期", en: "Overdue", kind: "integer" },
  findingsResolved: { zh: "已销号", en: "Resolved", kind: "integer" },
  amountInQuestion: { zh: "涉及金额", en: "Amount in question", kind: "amount" },
  amountRecovered: { zh: "已追回金额", en: "Amount recovered", kind: "amount" },
  amountReclassified: { zh: "已调账金额", en: "Amount reclassified", kind: "amount" },
  // Audit findings (routes/audit-findings.ts).
  findingId: { zh: "发现编号", en: "Finding id", kind: "text" },
  auditId: { zh: "审计编号", en: "Audit id", kind: "text" },
  category: { zh: "类别", en: "Category", kind: "text" },
  severity: { zh: "严重程度", en: "Severity", kind: "text" },
  status: { zh: "状态", en: "Status", kind: "text" },
  overdue: { zh: "是否逾期", en: "Overdue", kind: "boolean" },
  dueBy: { zh: "整改期限", en: "Due by", kind: "date" },
  recordedOn: { zh: "记录日期", en: "Recorded on", kind: "date" },
  resolvedOn: { zh: "销号日期", en: "Resolved on", kind: "date" },
  outcome: { zh: "处理结果", en: "Outcome", kind: "text" },
  description: { zh: "问题描述", en: "Description", kind: "text" },
  // The bank reconciliation (银行存款余额调节表, routes/reconciliations.ts).
  period: { zh: "期间", en: "Period", kind: "text" },
  bankOpening: { zh: "对账单期初余额", en: "Bank opening balance", kind: "amount" },
  bankClosing: { zh: "银行对账单余额", en: "Bank statement balance", kind: "amount" },
  bookOpening: { zh: "日记账期初余额", en: "Book opening balance", kind: "amount" },
  bookClosing: { zh: "银行存款日记账余额", en: "Book balance", kind: "amount" },
  bookReceiptsNotInBank: {
    zh: "加：企收银未收",
    en: "Add: in the book, not yet in the bank (receipts)",
    kind: "amount",
  },
  bookPaymentsNotInBank: {
    zh: "减：企付银未付",
    en: "Less: in the book, not yet in the bank (payments)",
    kind: "amount",
  },
  bankReceiptsNotInBook: {
    zh: "加：银收企未收",
    en: "Add: in the bank, not yet in the book (receipts)",
    kind: "amount",
  },
  bankPaymentsNotInBook: {
    zh: "减：银付企未付",
    en: "Less: in the bank, not yet in the book (payments)",
    kind: "amount",
  },
  adjustedBank: { zh: "调节后银行余额", en: "Adjusted bank balance", kind: "amount" },
  adjustedBook: { zh: "调节后账面余额", en: "Adjusted book balance", kind: "amount" },
  difference: { zh: "差额", en: "Difference", kind: "amount" },
  balanced: { zh: "是否平衡", en: "Balanced", kind: "boolean" },
  side: { zh: "未达账项类别", en: "Side", kind: "text" },
  direction: { zh: "收付方向", en: "Direction", kind: "text" },
  date: { zh: "日期", en: "Date", kind: "date" },
  line: { zh: "对账单行号", en: "Statement line", kind: "integer" },
  entrySeq: { zh: "日记账序号", en: "Entry seq", kind: "integer" },
  entryDate: { zh: "记账日期", en: "Entry date", kind: "date" },
  counterparty: { zh: "对方户名", en: "Counterparty", kind: "text" },
  month: { zh: "所属月份", en: "Month", kind: "text" },
  rule: { zh: "匹配规则", en: "Rule", kind: "text" },
} as const satisfies Record<string, Column>;

export type ColumnId = keyof typeof COLUMNS;
