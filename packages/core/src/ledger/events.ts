import { z } from "zod";
import { BusinessDate, FundId, Period, Slug, TimeZone } from "../ids.ts";
import { StoredPosting } from "../postings.ts";
import { CommandSchemas } from "./commands.ts";
import {
  AccountHash,
  AccountLast4,
  BankMatchRule,
  BeneficiaryKind,
  BookCurrency,
  ClosePolicy,
  CollectionSource,
  FindingCategory,
  FindingOutcome,
  FindingSeverity,
  HardshipTier,
  IdNumberHash,
  PaymentMethod,
  StoredAmount,
  Text,
  UnitKind,
} from "./vocabulary.ts";

/**
 * An approval policy (审批规则): each rule says how many approvals an amount above `over` needs;
 * the strictest rule an amount passes applies. An empty list needs none: money moves at once.
 */
export const ApprovalPolicy = z.array(z.strictObject({ over: StoredAmount, levels: z.int().min(1).max(5) })).max(10);
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

/** How many days a proposal may wait for approval before it expires. */
export const ApprovalTtlDays = z.int().min(1).max(366);

export const BookOpened = z.strictObject({
  name: Text(200),
  currency: BookCurrency,
  timeZone: TimeZone,
  approvals: ApprovalPolicy.optional(),
  approvalTtlDays: ApprovalTtlDays.optional(),
  close: ClosePolicy.optional(),
});
export type BookOpened = z.infer<typeof BookOpened>;

export const FundOpened = z.strictObject({
  fundId: FundId,
  name: Text(200),
  restricted: z.boolean(),
  purpose: Text(500).optional(),
});
export type FundOpened = z.infer<typeof FundOpened>;

export const UnitAdded = z.strictObject({ unitId: Slug, name: Text(200), kind: UnitKind });
export type UnitAdded = z.infer<typeof UnitAdded>;

export const ProgramCap = z.strictObject({
  perPayment: StoredAmount.optional(),
  perBeneficiaryPerYear: z
    .strictObject({ count: z.int().positive().optional(), amount: StoredAmount.optional() })
    .optional(),
});
export type ProgramCap = z.infer<typeof ProgramCap>;

export const ProgramOpened = z.strictObject({
  programId: Slug,
  name: Text(200),
  fundId: FundId,
  budget: StoredAmount.optional(),
  requiresHardshipFile: z.boolean(),
  methods: z.array(PaymentMethod).min(1).optional(),
  cap: ProgramCap.optional(),
  approvals: ApprovalPolicy.optional(),
});
export type ProgramOpened = z.infer<typeof ProgramOpened>;

export const ProgramClosed = z.strictObject({ programId: Slug, reason: Text(500) });

export const BeneficiaryRegistered = z.strictObject({
  beneficiaryId: Slug,
  kind: BeneficiaryKind,
  name: Text(200),
  idNumberHash: IdNumberHash.optional(),
  unitId: Slug.optional(),
  householdId: Slug.optional(),
  tags: z.array(Text(50)).max(20).optional(),
});
export type BeneficiaryRegistered = z.infer<typeof BeneficiaryRegistered>;

export const HardshipFileOpened = z.strictObject({
  beneficiaryId: Slug,
  tier: HardshipTier,
  cause: Text(500),
  openedOn: BusinessDate,
  validUntil: BusinessDate,
});
export const HardshipFileReviewed = z.strictObject({
  beneficiaryId: Slug,
  reviewedOn: BusinessDate,
  validUntil: BusinessDate,
  tier: HardshipTier.optional(),
  note: Text(1000).optional(),
});
export const HardshipFileClosed = z.strictObject({ beneficiaryId: Slug, closedOn: BusinessDate, reason: Text(500) });

/** Why one row of a roster import was not recorded: its row in the caller's file and its error's code. */
export const RowRefusal = z.strictObject({
  row: z.int().positive(),
  beneficiaryId: Slug,
  code: z.string(),
  message: z.string(),
});
export type RowRefusal = z.infer<typeof RowRefusal>;

/**
 * What one chunk of a roster import did, beside the BeneficiaryRegistered and HardshipFileOpened
 * events it recorded: counts and the rows it refused, by row number and id (no names, no hashes).
 */
export const BeneficiaryImportChunkRecorded = z.strictObject({
  importId: Slug,
  chunk: z.int().nonnegative(),
  rowCount: z.int().positive(),
  registered: z.int().nonnegative(),
  filesOpened: z.int().nonnegative(),
  skipped: z.int().nonnegative(),
  refused: z.array(RowRefusal),
});
export type BeneficiaryImportChunkRecorded = z.infer<typeof BeneficiaryImportChunkRecorded>;

export const CollectionRecorded = z.strictObject({
  fundId: FundId,
  source: CollectionSource,
  unitId: Slug.optional(),
  amount: StoredAmount,
  reference: Text(200).optional(),
  memo: Text(1000).optional(),
  postings: z.array(StoredPosting).min(2),
});
export type CollectionRecorded = z.infer<typeof CollectionRecorded>;

/**
 * What a money entry posted by approval names: the proposal it posts, who proposed it and everyone
 * who approved it, the last approver included.
 */
export const ProposalSignature = z.strictObject({
  proposalId: z.int().positive(),
  proposer: z.string().min(1).max(200),
  approvers: z.array(z.string().min(1).max(200)).min(1).max(5),
  /** The day (the book's) of the approval that posted it; the entry's own date is the business date. */
  approvedOn: BusinessDate.optional(),
});
export type ProposalSignature = z.infer<typeof ProposalSignature>;

export const PayoutRecorded = z.strictObject({
  programId: Slug,
  fundId: FundId,
  beneficiaryId: Slug,
  amount: StoredAmount,
  method: PaymentMethod.optional(),
  reference: Text(200).optional(),
  memo: Text(1000).optional(),
  batchId: Slug.optional(),
  line: z.int().nonnegative().optional(),
  proposal: ProposalSignature.optional(),
  postings: z.array(StoredPosting).min(2),
});
export type PayoutRecorded = z.infer<typeof PayoutRecorded>;

/** One chunk of a payout batch: which lines it covered and why any were refused. */
/** A line of a batch as a proposal holds it back: its number, payee and amount. */
export const BatchLine = z.strictObject({ line: z.int().nonnegative(), beneficiaryId: Slug, amount: StoredAmount });
export type BatchLine = z.infer<typeof BatchLine>;

export const PayoutBatchChunkRecorded = z.strictObject({
  batchId: Slug,
  programId: Slug,
  chunk: z.int().nonnegative(),
  firstLine: z.int().nonnegative(),
  lineCount: z.int().positive(),
  totalLines: z.int().positive(),
  recorded: z.int().nonnegative(),
  refused: z.array(z.strictObject({ line: z.int().nonnegative(), code: z.string(), message: z.string() })),
  /** Posted by approval: the proposal it posts. */
  proposal: ProposalSignature.optional(),
  /** Posted by approval: the proposed lines it did not pay (refused on re-check), whose reservations it releases. */
  unpaid: z.array(BatchLine).optional(),
});
export type PayoutBatchChunkRecorded = z.infer<typeof PayoutBatchChunkRecorded>;

export const TransferRecorded = z.strictObject({
  fromFundId: FundId,
  toFundId: FundId,
  amount: StoredAmount,
  memo: Text(1000).optional(),
  proposal: ProposalSignature.optional(),
  postings: z.array(StoredPosting).min(2),
});

/**
 * What each fund held when the book began (期初建账), brought forward from the books kept before
 * it, against the equity account `equity:brought-forward`. Recorded once, before any other money
 * entry; reports show it as the opening balance of its period, not as money collected.
 */
export const OpeningBalancesRecorded = z.strictObject({
  asOf: BusinessDate,
  funds: z
    .array(z.strictObject({ fundId: FundId, amount: StoredAmount }))
    .min(1)
    .max(100),
  memo: Text(1000).optional(),
  postings: z.array(StoredPosting).min(2),
});
export type OpeningBalancesRecorded = z.infer<typeof OpeningBalancesRecorded>;

/** Undoes a money entry: the postings are the original's, negated. */
export const EntryReversed = z.strictObject({
  entrySeq: z.int().positive(),
  entryType: z.string(),
  entryOccurredOn: BusinessDate,
  reason: Text(1000),
  programId: Slug.optional(),
  beneficiaryId: Slug.optional(),
  amount: StoredAmount,
  proposal: ProposalSignature.optional(),
  postings: z.array(StoredPosting).min(2),
});
export type EntryReversed = z.infer<typeof EntryReversed>;

/** The bank sent a payout back: the money returns to the fund; the payout stays in the journal. */
export const PayoutReturned = z.strictObject({
  entrySeq: z.int().positive(),
  entryOccurredOn: BusinessDate,
  reason: Text(1000),
  programId: Slug,
  beneficiaryId: Slug,
  amount: StoredAmount,
  postings: z.array(StoredPosting).min(2),
});
export type PayoutReturned = z.infer<typeof PayoutReturned>;

/** A book's or a programme's approval policy changed; it applies to proposals made after it. */
export const ApprovalPolicySet = z.strictObject({
  programId: Slug.optional(),
  approvals: ApprovalPolicy,
  approvalTtlDays: ApprovalTtlDays.optional(),
});
export type ApprovalPolicySet = z.infer<typeof ApprovalPolicySet>;

/** The money commands a policy may hold for approval, as proposed: a proposal is posted by deciding its request. */
export const ProposedRequest = z.discriminatedUnion("type", [
  CommandSchemas["record-payout"],
  CommandSchemas["record-payout-chunk"],
  CommandSchemas["record-transfer"],
  CommandSchemas["reverse-entry"],
]);
export type ProposedRequest = z.infer<typeof ProposedRequest>;

export const ProposalKind = z.enum(["payout", "batch", "transfer", "reversal"]);
export type ProposalKind = z.infer<typeof ProposalKind>;

/**
 * A money request held for approval (经办提出申请). It passed every rule the entry itself would,
 * and reserves what the entry would take from each fund until it is posted or voided. Its id is
 * its own seq, unique without a claim. It carries no postings: no balance or report moves until
 * it is posted.
 */
export const ProposalMade = z.strictObject({
  proposalId: z.int().positive(),
  kind: ProposalKind,
  request: ProposedRequest,
  proposer: z.string().min(1).max(200),
  needs: z.int().min(1).max(5),
  amount: StoredAmount,
  /** What it holds back of each fund the entry would take money from. */
  reserves: z.array(z.strictObject({ fundId: FundId, amount: StoredAmount })).max(2),
  /** The day it was made, in the book's time zone: its age for expiry counts from here. */
  madeOn: BusinessDate,
  programId: Slug.optional(),
  beneficiaryId: Slug.optional(),
  /** A batch's chunk: its batch, the lines it would pay (each payee's pending payment), and those refused already. */
  batchId: Slug.optional(),
  lines: z.array(BatchLine).max(100).optional(),
  refused: z.array(z.strictObject({ line: z.int().nonnegative(), code: z.string(), message: z.string() })).optional(),
});
export type ProposalMade = z.infer<typeof ProposalMade>;

/** An approval that does not yet complete the policy (审核/审批通过); the one that does posts the entry. */
export const ProposalApproved = z.strictObject({
  proposalId: z.int().positive(),
  approver: z.string().min(1).max(200),
  level: z.int().min(1).max(5),
  needs: z.int().min(1).max(5),
});
export type ProposalApproved = z.infer<typeof ProposalApproved>;

export const VoidReason = z.enum(["rejected", "withdrawn", "expired", "recheck-failed"]);
export type VoidReason = z.infer<typeof VoidReason>;

/**
 * A proposal that will not be posted (驳回, 撤回, 过期作废, or refused on re-check at its last
 * approval): its reservation is released. It repeats the amount, programme, payee and business
 * date of the proposal, so that a beneficiary's record releases its pending payment from this
 * event alone.
 */
export const ProposalVoided = z.strictObject({
  proposalId: z.int().positive(),
  reason: VoidReason,
  /** Who voided it; expiry is no one's act. */
  by: z.string().min(1).max(200).optional(),
  note: Text(1000).optional(),
  /** Why the re-check refused it: the refusal's code and message. */
  refusal: z.strictObject({ code: z.string(), message: z.string() }).optional(),
  amount: StoredAmount,
  proposedOn: BusinessDate,
  programId: Slug.optional(),
  beneficiaryId: Slug.optional(),
  /** A batch's chunk: its batch and the lines whose pending payments it releases. */
  batchId: Slug.optional(),
  lines: z.array(BatchLine).max(100).optional(),
});
export type ProposalVoided = z.infer<typeof ProposalVoided>;

/**
 * A month closed (月结), by the monthly job or the finance office, with the fingerprint of its
 * rollup. `from` is the first month of a run of months without events that closed with it (each
 * with its own stored rollup); a December's close is the year's (年终结账) and carries the
 * fingerprint of the annual report frozen with it.
 */
export const PeriodClosed = z.strictObject({
  period: Period,
  rollupHash: z.string(),
  lastSeq: z.int().nonnegative(),
  from: Period.optional(),
  annualReportHash: z.string().optional(),
});
export type PeriodClosed = z.infer<typeof PeriodClosed>;

/** How the book's months close from now on. */
export const ClosePolicySet = z.strictObject({ close: ClosePolicy });

/** A year's audit target (审计计划): how many units the committee means to audit. The latest wins. */
export const AuditPlanSet = z.strictObject({
  year: z.int().min(1000).max(9999),
  targetCount: z.int().nonnegative().max(100_000),
});
export type AuditPlanSet = z.infer<typeof AuditPlanSet>;

export const AuditPeriod = z.strictObject({ from: BusinessDate, to: BusinessDate });

/** The fund-audit committee (经审会) begins auditing a unit's books over a period. */
export const AuditStarted = z.strictObject({
  auditId: Slug,
  unitId: Slug,
  period: AuditPeriod,
  scope: Text(1000),
  startedOn: BusinessDate,
});
export type AuditStarted = z.infer<typeof AuditStarted>;

export const AuditCompleted = z.strictObject({ auditId: Slug, completedOn: BusinessDate, summary: Text(4000) });
export type AuditCompleted = z.infer<typeof AuditCompleted>;

/** What an audit (or the committee on its own) found wrong; relatedEntries are journal seqs. */
export const FindingRecorded = z.strictObject({
  findingId: Slug,
  auditId: Slug.optional(),
  unitId: Slug,
  category: FindingCategory,
  severity: FindingSeverity,
  amountInQuestion: StoredAmount.optional(),
  description: Text(4000),
  relatedEntries: z.array(z.int().positive()).max(100).optional(),
  dueBy: BusinessDate.optional(),
});
export type FindingRecorded = z.infer<typeof FindingRecorded>;

/** The audited body's rectification plan (整改方案). */
export const RectificationPlanSubmitted = z.strictObject({
  findingId: Slug,
  note: Text(4000),
  submittedOn: BusinessDate,
  dueBy: BusinessDate.optional(),
});
export type RectificationPlanSubmitted = z.infer<typeof RectificationPlanSubmitted>;

/** Evidence of rectification: money recovered to the fund or re-booked where it belongs. */
export const RectificationEvidenceSubmitted = z.strictObject({
  findingId: Slug,
  note: Text(4000),
  submittedOn: BusinessDate,
  amountRecovered: StoredAmount.optional(),
  amountReclassified: StoredAmount.optional(),
});
export type RectificationEvidenceSubmitted = z.infer<typeof RectificationEvidenceSubmitted>;

export const FindingResolved = z.strictObject({
  findingId: Slug,
  outcome: FindingOutcome,
  note: Text(4000),
  resolvedOn: BusinessDate,
});
export type FindingResolved = z.infer<typeof FindingResolved>;

/**
 * A month's bank statement of a fund's account came in (银行对账单). The journal keeps its figures
 * and its fingerprint, never its lines: counterparties' names and accounts are personal data, kept
 * beside the journal (the state item bank-lines/<fund>/<period>) where they can be erased.
 */
export const BankStatementRecorded = z.strictObject({
  fundId: FundId,
  period: Period,
  statementHash: z.string(),
  openingBalance: StoredAmount,
  closingBalance: StoredAmount,
  lineCount: z.int().nonnegative(),
  totalIn: StoredAmount,
  totalOut: StoredAmount,
  toleranceDays: z.int().nonnegative(),
  accountLast4: z
    .string()
    .regex(/^[0-9]{4}$/)
    .optional(),
});
export type BankStatementRecorded = z.infer<typeof BankStatementRecorded>;

/** A statement line (1-based) matched to a journal entry, and by which rule. */
export const BankLineMatch = z.strictObject({
  line: z.int().positive(),
  entrySeq: z.int().positive(),
  rule: BankMatchRule,
});
export type BankLineMatch = z.infer<typeof BankLineMatch>;

/**
 * The statement's lines that the rules matched to the book's entries (对账). One event holds them
 * all: a statement has at most MAX_STATEMENT_LINES lines, ~60 bytes a match, far below an item.
 */
export const BankLinesMatched = z.strictObject({
  fundId: FundId,
  period: Period,
  statementHash: z.string(),
  matches: z.array(BankLineMatch).min(1).max(500),
});
export type BankLinesMatched = z.infer<typeof BankLinesMatched>;

/** Finance confirmed a match. */
export const BankMatchConfirmed = z.strictObject({
  fundId: FundId,
  period: Period,
  statementHash: z.string(),
  line: z.int().positive(),
  entrySeq: z.int().positive(),
  note: Text(1000).optional(),
});

/** Finance undid a match, with its reason: the line and the entry are reconciling items again. */
export const BankMatchUndone = z.strictObject({
  fundId: FundId,
  period: Period,
  statementHash: z.string(),
  line: z.int().positive(),
  entrySeq: z.int().positive(),
  reason: Text(1000),
});

/**
 * A beneficiary's bank account was put on file (or replaced). The account itself (bank, name,
 * number) is sealed in the registry (`bank-account/<id>`), never here: the journal keeps the last
 * four digits and a keyed hash, which tell accounts apart and survive the account's erasure.
 */
export const BankAccountSet = z.strictObject({ beneficiaryId: Slug, last4: AccountLast4, accountHash: AccountHash });
export type BankAccountSet = z.infer<typeof BankAccountSet>;

/** A fund's own bank account was linked (or replaced): as a beneficiary's, its last four digits and keyed hash. */
export const FundBankAccountSet = z.strictObject({ fundId: FundId, last4: AccountLast4, accountHash: AccountHash });
export type FundBankAccountSet = z.infer<typeof FundBankAccountSet>;

/** A beneficiary's bank account was erased from the registry; what the journal kept of it stays. */
export const BankAccountErased = z.strictObject({ beneficiaryId: Slug });
export type BankAccountErased = z.infer<typeof BankAccountErased>;

/** The disbursement file (代发文件) of a batch was taken: by whom (the actor), which file (its hash), for how much. */
export const BankFileIssued = z.strictObject({
  batchId: Slug,
  format: z.enum(["csv", "xlsx"]),
  layout: Slug,
  fileHash: z.string().regex(/^[0-9a-f]{64}$/),
  lines: z.int().positive(),
  amount: StoredAmount,
});
export type BankFileIssued = z.infer<typeof BankFileIssued>;

/** A line of a bank's result file, matched to the payout it answers. */
export const BankResultLine = z.strictObject({ line: z.int().nonnegative(), seq: z.int().positive() });

/**
 * One chunk of a bank's result file (回盘文件) for a batch, beside the PayoutReturned events of its
 * failed lines: the lines the bank paid (settled), those it returned, and those left as they were (skippedLines: a line
 * already returned, say) with why. The file's hash and the chunk make it idempotent.
 */
export const BankResultsRecorded = z.strictObject({
  batchId: Slug,
  fileHash: z.string().regex(/^[0-9a-f]{64}$/),
  chunk: z.int().nonnegative(),
  paid: z.array(BankResultLine),
  returned: z.array(BankResultLine),
  skippedLines: z.array(z.strictObject({ line: z.int().nonnegative(), seq: z.int().positive(), code: z.string() })),
});
export type BankResultsRecorded = z.infer<typeof BankResultsRecorded>;

/** The payload schema of every event type the ledger writes. */
export const EventPayloads = {
  BookOpened,
  FundOpened,
  UnitAdded,
  ProgramOpened,
  ProgramClosed,
  BeneficiaryRegistered,
  HardshipFileOpened,
  HardshipFileReviewed,
  HardshipFileClosed,
  OpeningBalancesRecorded,
  CollectionRecorded,
  PayoutRecorded,
  PayoutBatchChunkRecorded,
  TransferRecorded,
  EntryReversed,
  PayoutReturned,
  PeriodClosed,
  AuditPlanSet,
  AuditStarted,
  AuditCompleted,
  FindingRecorded,
  RectificationPlanSubmitted,
  RectificationEvidenceSubmitted,
  FindingResolved,
  ApprovalPolicySet,
  ProposalMade,
  ProposalApproved,
  ProposalVoided,
  ClosePolicySet,
  BeneficiaryImportChunkRecorded,
  BankStatementRecorded,
  BankLinesMatched,
  BankMatchConfirmed,
  BankMatchUndone,
  BankAccountSet,
  BankAccountErased,
  BankFileIssued,
  BankResultsRecorded,
  FundBankAccountSet,
} as const;

export type EventType = keyof typeof EventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof EventPayloads)[T]>;
export const isEventType = (type: string): type is EventType => Object.hasOwn(EventPayloads, type);

/** The event types that move money: they carry postings and may be reversed. */
export const MONEY_EVENTS = ["CollectionRecorded", "PayoutRecorded", "TransferRecorded"] as const;
export type MoneyEventType = (typeof MONEY_EVENTS)[number];
export const isMoneyEvent = (type: string): type is MoneyEventType =>
  (MONEY_EVENTS as readonly string[]).includes(type);
