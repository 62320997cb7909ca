import type {
  AccountKind,
  BankMatchRule,
  BeneficiaryKind,
  ChainBreakReason,
  ClosePolicy,
  CollectionSource,
  EventType,
  FindingCategory,
  FindingOutcome,
  FindingSeverity,
  HardshipTier,
  PaymentMethod,
  ProposalKind,
  ProposedRequest,
  Role,
  UnitKind,
  VoidReason,
} from "@relief-ledger/core";
import type { Lang } from "./labels.ts";

/**
 * The ledger's own words (event types, vocabulary values, roles, account kinds, chain breaks) in
 * Chinese and English. Each table is keyed by the core's type, so a value added to the core
 * without its words here is a type error; terms.test.ts checks the same at run time against the
 * core's schemas. A value the dashboard does not know (from a newer API) is shown as it came.
 */
type Words = readonly [zh: string, en: string];

const pick = (words: Words | undefined, lang: Lang, fallback: string) => words?.[lang === "en" ? 1 : 0] ?? fallback;

export const EVENT_TYPES: Record<EventType, Words> = {
  BookOpened: ["开设账簿", "Book opened"],
  FundOpened: ["设立资金", "Fund opened"],
  UnitAdded: ["登记单位", "Unit added"],
  ProgramOpened: ["设立项目", "Programme opened"],
  ProgramClosed: ["关闭项目", "Programme closed"],
  BeneficiaryRegistered: ["登记受助人", "Beneficiary registered"],
  HardshipFileOpened: ["困难建档", "Hardship file opened"],
  HardshipFileReviewed: ["档案复核", "Hardship file reviewed"],
  HardshipFileClosed: ["档案注销", "Hardship file closed"],
  OpeningBalancesRecorded: ["期初余额", "Opening balances"],
  ClosePolicySet: ["结账方式变更", "Close policy set"],
  CollectionRecorded: ["资金收入", "Collection"],
  PayoutRecorded: ["资金发放", "Payout"],
  PayoutBatchChunkRecorded: ["批量发放", "Payout batch"],
  TransferRecorded: ["资金调拨", "Transfer"],
  EntryReversed: ["冲销", "Reversal"],
  PayoutReturned: ["退回", "Return"],
  PeriodClosed: ["月结", "Month closed"],
  AuditPlanSet: ["审计计划", "Audit plan"],
  AuditStarted: ["审计开始", "Audit started"],
  AuditCompleted: ["审计完成", "Audit completed"],
  FindingRecorded: ["审计发现", "Finding"],
  RectificationPlanSubmitted: ["整改方案", "Rectification plan"],
  RectificationEvidenceSubmitted: ["整改证据", "Rectification evidence"],
  FindingResolved: ["发现销号", "Finding resolved"],
  ApprovalPolicySet: ["设定审批规则", "Approval policy set"],
  ProposalMade: ["提出支出申请", "Proposal made"],
  ProposalApproved: ["审批通过", "Proposal approved"],
  ProposalVoided: ["申请作废（驳回、撤回或过期）", "Proposal voided"],
  BeneficiaryImportChunkRecorded: ["批量导入档案", "Roster import"],
  BankStatementRecorded: ["银行对账单", "Bank statement"],
  BankLinesMatched: ["对账匹配", "Bank lines matched"],
  BankMatchConfirmed: ["对账确认", "Bank match confirmed"],
  BankMatchUndone: ["撤销对账匹配", "Bank match undone"],
  BankAccountSet: ["登记银行账户", "Bank account set"],
  FundBankAccountSet: ["登记基金银行账户", "Fund's bank account set"],
  BankAccountErased: ["删除银行账户", "Bank account erased"],
  BankFileIssued: ["导出代发文件", "Disbursement file issued"],
  BankResultsRecorded: ["登记银行回盘", "Bank results recorded"],
};

/** Every event type, in the order the filter offers them. */
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

const has = <K extends string>(table: Record<K, Words>, key: string): key is K => Object.hasOwn(table, key);

export const eventLabel = (lang: Lang, type: string): string =>
  pick(has(EVENT_TYPES, type) ? EVENT_TYPES[type] : undefined, lang, type);

/** A finding's status as the API reports it (open, then plan and evidence submitted, then resolved). */
export type FindingStatus = "open" | "plan-submitted" | "evidence-submitted" | "resolved";

/** A proposal's state as the store keeps it (packages/core/src/ledger/proposal.ts, ProposalStatus). */
export type ProposalStatus = "pending" | "posted" | "voided";

export type Vocabulary =
  | CollectionSource
  | UnitKind
  | BeneficiaryKind
  | PaymentMethod
  | HardshipTier
  | FindingCategory
  | FindingSeverity
  | FindingOutcome
  | FindingStatus
  | ProposalStatus
  | ProposalKind
  | ProposedRequest["type"]
  | VoidReason
  | ClosePolicy["mode"]
  | BankMatchRule;

export const TERMS: Record<Vocabulary, Words> = {
  auto: ["自动结账", "automatic"],
  manual: ["手工结账", "by the finance office"],
  dues: ["会费", "dues"],
  allocation: ["拨缴经费", "allocation"],
  "upper-subsidy": ["上级补助", "upper-level subsidy"],
  government: ["行政补助", "government"],
  donation: ["捐赠", "donation"],
  other: ["其他", "other"],
  "member-unit": ["会员单位", "member unit"],
  "grassroots-union": ["基层工会", "grassroots union"],
  enterprise: ["企业", "enterprise"],
  "government-agency": ["机关单位", "government agency"],
  low: ["轻微", "low"],
  medium: ["一般", "medium"],
  high: ["严重", "high"],
  open: ["待整改", "open"],
  "plan-submitted": ["已交整改方案", "plan submitted"],
  "evidence-submitted": ["已交整改证据", "evidence submitted"],
  resolved: ["已处理", "resolved"],
  household: ["家庭", "household"],
  student: ["学生", "student"],
  worker: ["职工", "worker"],
  "model-worker": ["劳模", "model worker"],
  bank: ["银行转账", "bank transfer"],
  cash: ["现金", "cash"],
  "in-kind": ["实物", "in kind"],
  closed: ["已销号", "closed"],
  waived: ["免于整改", "waived"],
  escalated: ["提交上级", "escalated"],
  deep: ["深度困难", "deep hardship"],
  relative: ["相对困难", "relative hardship"],
  accidental: ["意外致困", "accidental hardship"],
  "banned-payment-form": ["违规支付方式", "banned payment form"],
  "over-standard": ["超标准发放", "over the standard"],
  "no-budget": ["无预算支出", "spent without budget"],
  "incomplete-vouchers": ["凭证不全", "incomplete vouchers"],
  "unregistered-asset": ["资产未登记", "unregistered asset"],
  "diverted-funds": ["挪用资金", "diverted funds"],
  "non-union-spending": ["非工会支出", "non-union spending"],
  "missing-receipt": ["缺少签收单", "missing receipt"],
  payout: ["资金发放", "payout"],
  transfer: ["资金调拨", "transfer"],
  reversal: ["冲销", "reversal"],
  batch: ["批量发放", "payout batch"],
  "record-payout": ["资金发放", "payout"],
  "record-payout-chunk": ["批量发放", "payout batch"],
  "record-transfer": ["资金调拨", "transfer"],
  "reverse-entry": ["冲销", "reversal"],
  rejected: ["驳回", "rejected"],
  withdrawn: ["撤回", "withdrawn"],
  expired: ["过期作废", "expired"],
  "recheck-failed": ["复核未通过", "failed its re-check"],
  pending: ["待审批", "awaiting approval"],
  posted: ["已审批入账", "approved and posted"],
  voided: ["已作废", "voided"],
  reference: ["凭证号相同", "same reference"],
  "amount-date": ["金额相同、日期相近", "same amount, dates close"],
};

/** A value of the ledger's vocabulary (a collection source, a severity, …) in words. */
export const term = (lang: Lang, value: string): string =>
  pick(has(TERMS, value) ? TERMS[value] : undefined, lang, value);

export const ROLES: Record<Role, Words> = {
  admin: ["管理员", "administrator"],
  finance: ["财务", "finance office"],
  approver: ["审批人", "approver"],
  "audit-committee": ["经审会", "fund-audit committee"],
  auditor: ["审计人员", "auditor"],
  system: ["系统", "system"],
};

/** A token's or an actor's role in words. */
export const roleLabel = (lang: Lang, role: string): string =>
  pick(has(ROLES, role) ? ROLES[role] : undefined, lang, role);

/** What each kind of account in a posting is (see packages/core/src/postings.ts). */
export const ACCOUNT_KINDS: Record<AccountKind, Words> = {
  fund: ["资金", "Fund"],
  source: ["来源", "Source"],
  beneficiary: ["受助人", "Beneficiary"],
  unit: ["单位", "Unit"],
  equity: ["权益（上年结转）", "Equity (brought forward)"],
};

export const isAccountKind = (kind: string): kind is AccountKind => has(ACCOUNT_KINDS, kind);

export const accountKindLabel = (lang: Lang, kind: AccountKind): string => pick(ACCOUNT_KINDS[kind], lang, kind);

export const BREAK_REASONS: Record<ChainBreakReason, Words> = {
  missing: ["记录缺失", "entry missing"],
  "hash-mismatch": ["哈希与内容不符", "hash does not match the entry"],
  "prev-hash-mismatch": ["前一哈希不符", "previous hash does not match"],
  malformed: ["记录格式错误", "entry malformed"],
  "out-of-order": ["顺序错乱", "out of order"],
  "index-mismatch": ["索引与记录不符", "index does not match the entry"],
  "checkpoint-mismatch": ["与签名检查点不符", "differs from a signed checkpoint"],
  "checkpoint-beyond-head": ["检查点超出账簿末尾", "a checkpoint lies beyond the head"],
  "checkpoint-invalid": ["检查点签名无效", "a checkpoint's signature is not valid"],
};

/** Why the chain broke at an entry, in words. */
export const breakLabel = (lang: Lang, reason: string): string =>
  pick(has(BREAK_REASONS, reason) ? BREAK_REASONS[reason] : undefined, lang, reason);
