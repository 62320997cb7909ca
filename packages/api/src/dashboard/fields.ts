import { type EventPayload, EventPayloads, type EventType, StoredAmount } from "@relief-ledger/core";
import type { z } from "zod";
import type { Lang } from "./labels.ts";

/**
 * The names of every payload field of every event type, in Chinese and English, for the entry
 * page. The table's keys are derived from the core's event schemas (nested fields included), so a
 * field added to an event without its label here is a type error; fields.test.ts walks the same
 * schemas at run time.
 */
type Words = readonly [zh: string, en: string];

/** Every key of a payload at any depth: inside optional fields, arrays and nested objects. */
type DeepKeys<T> = T extends readonly (infer Item)[]
  ? DeepKeys<Item>
  : T extends object
    ? { [K in keyof T]-?: K | DeepKeys<NonNullable<T[K]>> }[keyof T]
    : never;

export type PayloadField = { [T in EventType]: DeepKeys<EventPayload<T>> }[EventType] & string;

export const FIELD_LABELS: Record<PayloadField, Words> = {
  name: ["名称", "Name"],
  currency: ["币种", "Currency"],
  timeZone: ["时区", "Time zone"],
  fundId: ["资金", "Fund"],
  restricted: ["专款专用", "Restricted"],
  purpose: ["用途", "Purpose"],
  unitId: ["单位", "Unit"],
  kind: ["类别", "Kind"],
  programId: ["项目", "Programme"],
  budget: ["预算", "Budget"],
  requiresHardshipFile: ["须有困难档案", "Requires a hardship file"],
  methods: ["发放方式", "Payment methods"],
  cap: ["发放上限", "Caps"],
  perPayment: ["每笔上限", "Per payment"],
  perBeneficiaryPerYear: ["每人每年上限", "Per beneficiary per year"],
  count: ["次数", "Count"],
  amount: ["金额", "Amount"],
  reason: ["原因", "Reason"],
  beneficiaryId: ["受助人", "Beneficiary"],
  idNumberHash: ["身份证号（密钥哈希）", "ID number (keyed hash)"],
  householdId: ["所在家庭", "Household"],
  tags: ["标签", "Tags"],
  tier: ["困难类型", "Hardship tier"],
  cause: ["致困原因", "Cause"],
  openedOn: ["建档日期", "Opened on"],
  validUntil: ["有效期至", "Valid until"],
  reviewedOn: ["复核日期", "Reviewed on"],
  note: ["说明", "Note"],
  closedOn: ["注销日期", "Closed on"],
  source: ["来源", "Source"],
  reference: ["凭证号", "Reference"],
  memo: ["摘要", "Memo"],
  postings: ["分录", "Postings"],
  account: ["账户", "Account"],
  method: ["发放方式", "Method"],
  batchId: ["批次", "Batch"],
  line: ["行号", "Line"],
  chunk: ["分段", "Chunk"],
  firstLine: ["起始行", "First line"],
  lineCount: ["行数", "Lines"],
  lines: ["发放明细", "Lines"],
  batchAmount: ["批次总金额", "Batch total"],
  recordIfAllRefused: ["全部拒绝时仍记录", "Recorded if every line is refused"],
  unpaid: ["复核未发放", "Not paid on re-check"],
  totalLines: ["总行数", "Total lines"],
  recorded: ["已记录", "Recorded"],
  refused: ["未记录", "Refused"],
  code: ["问题", "Problem"],
  message: ["说明", "Message"],
  fromFundId: ["调出资金", "From fund"],
  toFundId: ["调入资金", "To fund"],
  entrySeq: ["原记录", "Original entry"],
  entryType: ["原记录类型", "Original entry type"],
  entryOccurredOn: ["原业务日期", "Original date"],
  period: ["期间", "Period"],
  from: ["起", "From"],
  to: ["止", "To"],
  rollupHash: ["月度汇总哈希", "Rollup hash"],
  lastSeq: ["最后序号", "Last seq"],
  year: ["年度", "Year"],
  targetCount: ["计划审计单位数", "Units to audit"],
  auditId: ["审计", "Audit"],
  scope: ["审计范围", "Scope"],
  startedOn: ["开始日期", "Started on"],
  completedOn: ["完成日期", "Completed on"],
  summary: ["审计结论", "Summary"],
  findingId: ["审计发现", "Finding"],
  category: ["问题类别", "Category"],
  severity: ["严重程度", "Severity"],
  amountInQuestion: ["涉及金额", "Amount in question"],
  description: ["问题描述", "Description"],
  relatedEntries: ["相关记录", "Related entries"],
  dueBy: ["整改期限", "Due by"],
  submittedOn: ["提交日期", "Submitted on"],
  amountRecovered: ["追回金额", "Amount recovered"],
  amountReclassified: ["调账金额", "Amount reclassified"],
  outcome: ["处理结果", "Outcome"],
  resolvedOn: ["销号日期", "Resolved on"],
  approvals: ["审批规则", "Approval policy"],
  over: ["金额超过", "Over"],
  levels: ["审批级数", "Approvals needed"],
  approvalTtlDays: ["申请有效天数", "Days a proposal may wait"],
  proposal: ["审批申请", "Proposal"],
  proposalId: ["申请编号", "Proposal"],
  proposer: ["经办人", "Proposed by"],
  approver: ["审批人", "Approver"],
  approvers: ["审批人", "Approvers"],
  request: ["申请内容", "Request"],
  type: ["类型", "Type"],
  paidOn: ["发放日期", "Paid on"],
  on: ["业务日期", "Date"],
  seq: ["序号", "Seq"],
  needs: ["需审批人数", "Approvals needed"],
  level: ["审批级次", "Approval"],
  reserves: ["预留资金", "Reserves"],
  madeOn: ["申请日期", "Made on"],
  by: ["操作人", "By"],
  refusal: ["复核未通过原因", "Refused on re-check"],
  proposedOn: ["申请业务日期", "Proposed for"],
  approvedOn: ["审批日期", "Approved on"],
  asOf: ["期初日期", "As of"],
  funds: ["各项资金", "Funds"],
  close: ["结账方式", "Month-end close"],
  mode: ["方式", "Mode"],
  afterDays: ["月末后天数", "Days after month end"],
  annualReportHash: ["年度报表摘要", "Annual report digest"],
  importId: ["导入批次", "Import"],
  rowCount: ["行数", "Rows"],
  registered: ["新登记", "Registered"],
  filesOpened: ["新建档", "Files opened"],
  skipped: ["已在册（跳过）", "Already on file (skipped)"],
  row: ["行号", "Row"],
  statementHash: ["对账单摘要", "Statement digest"],
  openingBalance: ["期初余额", "Opening balance"],
  closingBalance: ["期末余额", "Closing balance"],
  totalIn: ["收入合计", "Total in"],
  totalOut: ["支出合计", "Total out"],
  toleranceDays: ["日期容差（天）", "Tolerance (days)"],
  accountLast4: ["账号后四位", "Account (last 4)"],
  matches: ["对账匹配", "Matches"],
  rule: ["匹配规则", "Rule"],
  last4: ["账号后四位", "Account number, last 4 digits"],
  accountHash: ["账号（密钥哈希）", "Account number (keyed hash)"],
  format: ["文件格式", "File format"],
  layout: ["文件版式", "File layout"],
  fileHash: ["文件哈希", "File hash"],
  paid: ["银行已付", "Paid by the bank"],
  returned: ["银行退回", "Returned by the bank"],
  skippedLines: ["未处理的行", "Lines left as they were"],
};

export const hasFieldLabel = (key: string): key is PayloadField => Object.hasOwn(FIELD_LABELS, key);

/** A payload field's name in words; a field the dashboard does not know is shown as it is named. */
export const fieldLabel = (lang: Lang, key: string): string =>
  hasFieldLabel(key) ? FIELD_LABELS[key][lang === "en" ? 1 : 0] : key;

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
};
const defOf = (schema: z.ZodType) => schema.def as unknown as Def;

/** Every field of a schema at any depth, in every option of a union, with its schema (optional and nullable wrappers removed). */
export function* fieldsOf(schema: z.ZodType): Generator<readonly [string, z.ZodType]> {
  const def = defOf(schema);
  if (def.innerType) yield* fieldsOf(def.innerType);
  else if (def.type === "array" && def.element) yield* fieldsOf(def.element);
  // A proposal's request is one of several commands: each one's fields are the payload's.
  else if (def.type === "union" && def.options) for (const option of def.options) yield* fieldsOf(option);
  else if (def.type === "object" && def.shape)
    for (const [key, field] of Object.entries(def.shape)) {
      yield [key, unwrap(field)];
      yield* fieldsOf(field);
    }
}

const unwrap = (schema: z.ZodType): z.ZodType => {
  const inner = defOf(schema).innerType;
  return inner ? unwrap(inner) : schema;
};

/**
 * A payload's fields in the order its event's schema declares them (the journal stores them in
 * canonical, alphabetical order), fields the schema does not name last.
 */
export function inSchemaOrder(type: string, keys: readonly string[]): string[] {
  const schema = Object.hasOwn(EventPayloads, type) ? EventPayloads[type as EventType] : undefined;
  const declared = Object.keys(schema ? (defOf(schema).shape ?? {}) : {});
  const rank = (key: string) => (declared.includes(key) ? declared.indexOf(key) : declared.length);
  return [...keys].sort((a, b) => rank(a) - rank(b));
}

/** Every field of every event's payload, at any depth. */
export const payloadFields = (): (readonly [string, z.ZodType])[] =>
  Object.values(EventPayloads).flatMap((schema) => [...fieldsOf(schema)]);

/** The fields that hold an amount of money as the ledger stores it (a decimal string), shown as yuan. */
export const MONEY_FIELDS: ReadonlySet<string> = new Set(
  payloadFields().flatMap(([key, schema]) => (schema === StoredAmount ? [key] : [])),
);
