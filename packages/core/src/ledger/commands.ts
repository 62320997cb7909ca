import { z } from "zod";
import { BusinessDate, FundId, Period, Slug, TimeZone } from "../ids.ts";
import { Rollup } from "../rollup/rollup.ts";
import {
  AccountHash,
  AccountLast4,
  BankDirection,
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
  SealedFields,
  Text,
  UnitKind,
} from "./vocabulary.ts";

/*
 * What callers ask the ledger to do, as schemas: the API builds its request bodies from these, and
 * a command handed to another instance (store, ledger-journal.ts) is parsed with them before it is
 * decided. They hold what a command must look like; what it may do in its book is decide's to say.
 * Their lists are read-only: a command is a value, which nothing on its way changes.
 */

/**
 * An amount as the caller sent it: a decimal string, read in decide, where the book's currency is
 * known, so that a bad one is refused there naming its field (invalid-amount). Bounded here, so
 * that no string of any length reaches the parser.
 */
const AmountText = z.string().max(32);

/** A money request may name its currency; decide refuses any but the book's (currency-mismatch). */
const CurrencyCodeText = z.string().length(3);

/** The date a registry change is filed under: today in the book's time zone when absent. */
const FiledOn = BusinessDate.optional();

/**
 * An approval policy as the caller sends it, e.g. `[{ over: "0.00", levels: 1 }, { over:
 * "10000.00", levels: 2 }]`: every payout needs one approval, one above 10,000.00 two. Thresholds
 * are read in decide like any amount, zero allowed.
 */
const ApprovalRules = z
  .array(z.strictObject({ over: AmountText, levels: z.int().min(1).max(5) }))
  .max(10)
  .readonly();

/** How many days a proposal may wait for approval; the book's default is 30. */
const ApprovalTtl = z.int().min(1).max(366);

/** A proposal, by the seq of the entry that made it. */
const ProposalId = z.int().positive();

const OpenBook = z.strictObject({
  type: z.literal("open-book"),
  name: Text(200),
  currency: BookCurrency,
  timeZone: TimeZone,
  /** The approvals the book's transfers and reversals need, and its programmes' payouts unless they have their own; absent, none. */
  approvals: ApprovalRules.optional(),
  approvalTtlDays: ApprovalTtl.optional(),
  /** When its months close: auto, 10 days after each ends, when absent. */
  close: ClosePolicy.optional(),
  /** The book's first business date: a year's records may be brought in, never a future one. */
  on: FiledOn,
});

const OpenFund = z.strictObject({
  type: z.literal("open-fund"),
  fundId: FundId,
  name: Text(200),
  restricted: z.boolean(),
  purpose: Text(500).optional(),
  on: FiledOn,
});

const AddUnit = z.strictObject({
  type: z.literal("add-unit"),
  unitId: Slug,
  name: Text(200),
  kind: UnitKind,
  on: FiledOn,
});

const OpenProgram = z.strictObject({
  type: z.literal("open-program"),
  programId: Slug,
  name: Text(200),
  fundId: FundId,
  budget: AmountText.optional(),
  requiresHardshipFile: z.boolean(),
  methods: z.array(PaymentMethod).min(1).max(3).readonly().optional(),
  cap: z
    .strictObject({
      perPayment: AmountText.optional(),
      perBeneficiaryPerYear: z
        .strictObject({ count: z.int().positive().max(1000).optional(), amount: AmountText.optional() })
        .optional(),
    })
    .optional(),
  /** The approvals its payouts need; absent, it follows the book's policy (an empty list: none). */
  approvals: ApprovalRules.optional(),
  on: FiledOn,
});

const CloseProgram = z.strictObject({
  type: z.literal("close-program"),
  programId: Slug,
  reason: Text(500),
  on: FiledOn,
});

const RegisterBeneficiary = z.strictObject({
  type: z.literal("register-beneficiary"),
  beneficiaryId: Slug,
  kind: BeneficiaryKind,
  name: Text(200),
  idNumberHash: IdNumberHash.optional(),
  unitId: Slug.optional(),
  householdId: Slug.optional(),
  tags: z.array(Text(50)).max(20).readonly().optional(),
  on: FiledOn,
});

const OpenHardshipFile = z.strictObject({
  type: z.literal("open-hardship-file"),
  beneficiaryId: Slug,
  tier: HardshipTier,
  cause: Text(500),
  openedOn: BusinessDate,
  validUntil: BusinessDate,
});

const ReviewHardshipFile = z.strictObject({
  type: z.literal("review-hardship-file"),
  beneficiaryId: Slug,
  reviewedOn: BusinessDate,
  validUntil: BusinessDate,
  tier: HardshipTier.optional(),
  note: Text(1000).optional(),
});

const CloseHardshipFile = z.strictObject({
  type: z.literal("close-hardship-file"),
  beneficiaryId: Slug,
  closedOn: BusinessDate,
  reason: Text(500),
});

/**
 * Rows per chunk of a roster import, so that a chunk is one DynamoDB transaction (at most 100
 * items): a new row writes two events (registered, file opened), its beneficiary record and its
 * ID-number claim; the chunk adds its summary event, its idempotency record and the book head:
 * 24 × 4 + 3 = 99.
 */
export const IMPORT_CHUNK_ROWS = 24;

/** One row of a roster import: a beneficiary, and the hardship file to open for them if any. */
export const ImportRow = z.strictObject({
  /** The row's number in the caller's spreadsheet (the header is row 1), to name it in a refusal. */
  row: z.int().positive(),
  beneficiaryId: Slug,
  kind: BeneficiaryKind,
  name: Text(200),
  idNumberHash: IdNumberHash.optional(),
  unitId: Slug.optional(),
  householdId: Slug.optional(),
  file: z
    .strictObject({ tier: HardshipTier, cause: Text(500), openedOn: BusinessDate, validUntil: BusinessDate })
    .optional(),
});
export type ImportRow = z.infer<typeof ImportRow>;

/** One chunk of a roster import; the caller orders the rows so that households come before their members. */
const ImportBeneficiariesChunk = z.strictObject({
  type: z.literal("import-beneficiaries-chunk"),
  importId: Slug,
  chunk: z.int().nonnegative(),
  rows: z.array(ImportRow).min(1).max(IMPORT_CHUNK_ROWS).readonly(),
  on: FiledOn,
});

const RecordCollection = z.strictObject({
  type: z.literal("record-collection"),
  fundId: FundId,
  source: CollectionSource,
  unitId: Slug.optional(),
  amount: AmountText,
  currency: CurrencyCodeText.optional(),
  receivedOn: BusinessDate,
  reference: Text(200).optional(),
  memo: Text(1000).optional(),
});

const RecordOpeningBalances = z.strictObject({
  type: z.literal("record-opening-balances"),
  asOf: BusinessDate,
  funds: z
    .array(z.strictObject({ fundId: FundId, amount: AmountText }))
    .min(1)
    .max(100)
    .readonly(),
  currency: CurrencyCodeText.optional(),
  memo: Text(1000).optional(),
});

const RecordPayout = z.strictObject({
  type: z.literal("record-payout"),
  programId: Slug,
  beneficiaryId: Slug,
  amount: AmountText,
  currency: CurrencyCodeText.optional(),
  paidOn: BusinessDate,
  method: PaymentMethod.optional(),
  reference: Text(200).optional(),
  memo: Text(1000).optional(),
});

/** One chunk of a payout batch; the API splits a batch so that each chunk fits one transaction. */
const RecordPayoutChunk = z.strictObject({
  type: z.literal("record-payout-chunk"),
  batchId: Slug,
  programId: Slug,
  paidOn: BusinessDate,
  method: PaymentMethod.optional(),
  chunk: z.int().nonnegative(),
  firstLine: z.int().nonnegative(),
  totalLines: z.int().positive(),
  lines: z
    .array(
      z.strictObject({
        beneficiaryId: Slug,
        amount: AmountText,
        reference: Text(200).optional(),
        /** Its number in the batch, when the chunk does not hold every line from firstLine on (a proposal's does not). */
        line: z.int().nonnegative().optional(),
      }),
    )
    .min(1)
    .readonly(),
  /**
   * What the whole batch asks for, every chunk's lines together: what a programme's approval
   * policy is applied to, so that every chunk of a batch needs the same approvals.
   */
  batchAmount: AmountText.optional(),
  /**
   * A chunk none of whose lines can be recorded writes nothing (batch-refused) unless this is
   * set: the batch recorded lines in another chunk, and this chunk's refusals are recorded so
   * that a retry answers them the same, never paying a line it first refused.
   */
  recordIfAllRefused: z.boolean().optional(),
});

const RecordTransfer = z.strictObject({
  type: z.literal("record-transfer"),
  fromFundId: FundId,
  toFundId: FundId,
  amount: AmountText,
  currency: CurrencyCodeText.optional(),
  on: BusinessDate,
  memo: Text(1000).optional(),
});

/** A journal seq, as a path names it: a whole number from 1. */
const EntrySeq = z.int().positive();

const ReverseEntry = z.strictObject({
  type: z.literal("reverse-entry"),
  seq: EntrySeq,
  reason: Text(1000),
  /** The reversal's business date: in an open period, not before the entry's own date; today when absent. */
  on: BusinessDate.optional(),
});

const ReturnPayout = z.strictObject({
  type: z.literal("return-payout"),
  seq: EntrySeq,
  returnedOn: BusinessDate,
  reason: Text(1000),
});

/**
 * Changes the approval policy of the book (no programId) or of a programme, and the book's expiry;
 * proposals already made keep the approvals they were made with. An empty list needs none.
 */
const SetApprovalPolicy = z.strictObject({
  type: z.literal("set-approval-policy"),
  programId: Slug.optional(),
  approvals: ApprovalRules,
  approvalTtlDays: ApprovalTtl.optional(),
  on: FiledOn,
});

/** How the book's months close from now on (the admin's, like its approval policy). */
const SetClosePolicy = z.strictObject({ type: z.literal("set-close-policy"), close: ClosePolicy, on: FiledOn });

/** An approver's yes (审批); the approval that completes the policy posts the entry. */
const ApproveProposal = z.strictObject({ type: z.literal("approve-proposal"), proposalId: ProposalId });

/** An approver's no (驳回): the proposal is voided and its reservation released. */
const RejectProposal = z.strictObject({
  type: z.literal("reject-proposal"),
  proposalId: ProposalId,
  reason: Text(1000),
});

/** The proposer takes a proposal back (撤回). */
const WithdrawProposal = z.strictObject({ type: z.literal("withdraw-proposal"), proposalId: ProposalId });

/** Voids the proposals older than the book's approvalTtlDays; run by the system, as the monthly close is. */
const ExpireProposals = z.strictObject({ type: z.literal("expire-proposals") });

/*
 * The fund-audit committee's work (经审会) and the audited body's rectification (整改). None of
 * these moves money; a finding may point at the journal entries it questions.
 */

const SetAuditPlan = z.strictObject({
  type: z.literal("set-audit-plan"),
  year: z.int().min(1000).max(9999),
  targetCount: z.int().min(0).max(100_000),
  on: FiledOn,
});

const StartAudit = z.strictObject({
  type: z.literal("start-audit"),
  auditId: Slug,
  unitId: Slug,
  period: z.strictObject({ from: BusinessDate, to: BusinessDate }),
  scope: Text(1000),
  startedOn: BusinessDate,
});

const CompleteAudit = z.strictObject({
  type: z.literal("complete-audit"),
  auditId: Slug,
  completedOn: BusinessDate,
  summary: Text(4000),
});

const RecordFinding = z.strictObject({
  type: z.literal("record-finding"),
  findingId: Slug,
  auditId: Slug.optional(),
  unitId: Slug,
  category: FindingCategory,
  severity: FindingSeverity,
  amountInQuestion: AmountText.optional(),
  description: Text(4000),
  relatedEntries: z.array(z.int().min(1).max(Number.MAX_SAFE_INTEGER)).max(100).readonly().optional(),
  dueBy: BusinessDate.optional(),
  /** Defaults to today in the book's time zone. */
  recordedOn: BusinessDate.optional(),
});

const SubmitRectificationPlan = z.strictObject({
  type: z.literal("submit-rectification-plan"),
  findingId: Slug,
  note: Text(4000),
  submittedOn: BusinessDate,
  dueBy: BusinessDate.optional(),
});

const SubmitRectificationEvidence = z.strictObject({
  type: z.literal("submit-rectification-evidence"),
  findingId: Slug,
  note: Text(4000),
  submittedOn: BusinessDate,
  amountRecovered: AmountText.optional(),
  amountReclassified: AmountText.optional(),
});

const ResolveFinding = z.strictObject({
  type: z.literal("resolve-finding"),
  findingId: Slug,
  outcome: FindingOutcome,
  note: Text(4000),
  resolvedOn: BusinessDate,
});

/** Closes a month: its rollup (folded from its events by the monthly job) is stored with PeriodClosed. */
/**
 * Closes `period` with its rollup; `empty` are the rollups of the months without events before it
 * that close with it (one PeriodClosed covers the run), and `annual`, for a December, is the year's
 * annual report, frozen with the close (年终结账).
 */
const ClosePeriod = z.strictObject({
  type: z.literal("close-period"),
  period: Period,
  rollup: Rollup,
  empty: z.array(Rollup).max(11).optional(),
  annual: z.record(z.string(), z.json()).optional(),
});

/**
 * Lines a bank statement may hold: a fund's account sees tens to hundreds of movements a month.
 * The lines are kept beside the journal in one state item (400 KB at most): 500 lines of at most
 * ~550 bytes each (a 100-character counterparty in UTF-8, a reference, a date and an amount) stay
 * under 300 KB, and so does the command handed to another instance with them (handoff.ts's mail).
 */
export const MAX_STATEMENT_LINES = 500;

/**
 * The widest tolerance of days a match within the tolerance may take. An outstanding item of an
 * earlier month is matched across months on other terms (reconcile/match.ts, amountDateHolds).
 */
export const MAX_TOLERANCE_DAYS = 10;

/**
 * One line of a bank statement as the API hands it on. The counterparty's account number never
 * gets this far: the API keeps its last four characters only (counterpartyLast4).
 */
export const BankLineInput = z.strictObject({
  date: BusinessDate,
  amount: AmountText,
  direction: BankDirection,
  counterparty: Text(100).optional(),
  counterpartyLast4: z
    .string()
    .regex(/^[0-9A-Za-z]{1,4}$/)
    .optional(),
  reference: Text(100).optional(),
});
export type BankLineInput = z.infer<typeof BankLineInput>;

/**
 * A match the API's rules proposed: a statement line (1-based) and a journal entry; decide checks
 * it. `period` names an earlier statement of the fund whose outstanding line the book has since
 * recorded (reconcile/match.ts): absent, the line is the statement's own.
 */
export const ProposedBankMatch = z.strictObject({
  period: Period.optional(),
  line: z.int().positive(),
  entrySeq: z.int().positive(),
  rule: BankMatchRule,
});

/**
 * A month's statement of a fund's bank account (银行对账单). Balances may be zero or negative
 * (an overdraft), so they are read apart from entry amounts. `matches` are what the API's
 * matching (reconcile/match.ts) found among the book's entries; each is checked again in decide.
 */
const RecordBankStatement = z.strictObject({
  type: z.literal("record-bank-statement"),
  fundId: FundId,
  period: Period,
  openingBalance: AmountText,
  closingBalance: AmountText,
  accountLast4: z
    .string()
    .regex(/^[0-9]{4}$/)
    .optional(),
  toleranceDays: z.int().min(0).max(MAX_TOLERANCE_DAYS).optional(),
  lines: z.array(BankLineInput).max(MAX_STATEMENT_LINES).readonly(),
  matches: z.array(ProposedBankMatch).max(MAX_STATEMENT_LINES).readonly(),
});

/** Finance confirms a match the rules made (复核确认). */
const ConfirmBankMatch = z.strictObject({
  type: z.literal("confirm-bank-match"),
  fundId: FundId,
  period: Period,
  line: z.int().positive(),
  note: Text(1000).optional(),
});

/** Finance undoes a match the rules made, saying why: the line and the entry are unmatched again. */
const UndoBankMatch = z.strictObject({
  type: z.literal("undo-bank-match"),
  fundId: FundId,
  period: Period,
  line: z.int().positive(),
  reason: Text(1000),
});

/*
 * The bank loop (代发): a beneficiary's account on file, the disbursement file out, the bank's
 * result file in. The account travels sealed (the API seals it with the data key); the journal
 * gets its last four digits and keyed hash only.
 */

const SetBankAccount = z.strictObject({
  type: z.literal("set-bank-account"),
  beneficiaryId: Slug,
  last4: AccountLast4,
  accountHash: AccountHash,
  sealed: SealedFields,
  on: FiledOn,
});

const EraseBankAccount = z.strictObject({ type: z.literal("erase-bank-account"), beneficiaryId: Slug, on: FiledOn });

/**
 * A fund's own bank account (the federation's, not a person's), linked so that its statements are
 * known as its own. Journalled as a beneficiary's is (last four digits and a keyed hash), the
 * account sealed in the registry; the bank's name, which is no secret, is kept beside it in clear.
 */
const SetFundBankAccount = z.strictObject({
  type: z.literal("set-fund-bank-account"),
  fundId: FundId,
  bank: Text(200),
  last4: AccountLast4,
  accountHash: AccountHash,
  sealed: SealedFields,
  on: FiledOn,
});

/** Journals the download of a batch's disbursement file: the file's hash, lines and total. */
const IssueBankFile = z.strictObject({
  type: z.literal("issue-bank-file"),
  batchId: Slug,
  format: z.enum(["csv", "xlsx"]),
  layout: Slug,
  fileHash: z.string().regex(/^[0-9a-f]{64}$/),
  lines: z.int().positive().max(100_000),
  amount: AmountText,
  on: FiledOn,
});

/**
 * Failed lines per chunk of a bank result file, so that a chunk is one transaction (at most 100
 * items): a failed line writes its PayoutReturned, the payout's undo mark and its payee's record;
 * the chunk adds its summary, its idempotency record and the book head: 32 × 3 + 3 = 99.
 */
export const RESULT_CHUNK_FAILED = 32;
/** Paid lines per chunk: they write nothing but a line in the summary, kept well under 400 KB. */
export const RESULT_CHUNK_LINES = 500;

const RecordBankResultsChunk = z.strictObject({
  type: z.literal("record-bank-results-chunk"),
  batchId: Slug,
  fileHash: z.string().regex(/^[0-9a-f]{64}$/),
  chunk: z.int().nonnegative(),
  returnedOn: BusinessDate,
  paid: z
    .array(z.strictObject({ line: z.int().nonnegative(), seq: EntrySeq }))
    .max(RESULT_CHUNK_LINES)
    .readonly(),
  failed: z
    .array(z.strictObject({ line: z.int().nonnegative(), seq: EntrySeq, reason: Text(1000) }))
    .max(RESULT_CHUNK_FAILED)
    .readonly(),
});

/** The schema of every command type, by type. */
export const CommandSchemas = {
  "open-book": OpenBook,
  "open-fund": OpenFund,
  "add-unit": AddUnit,
  "open-program": OpenProgram,
  "close-program": CloseProgram,
  "register-beneficiary": RegisterBeneficiary,
  "open-hardship-file": OpenHardshipFile,
  "review-hardship-file": ReviewHardshipFile,
  "close-hardship-file": CloseHardshipFile,
  "record-opening-balances": RecordOpeningBalances,
  "record-collection": RecordCollection,
  "record-payout": RecordPayout,
  "record-payout-chunk": RecordPayoutChunk,
  "record-transfer": RecordTransfer,
  "reverse-entry": ReverseEntry,
  "return-payout": ReturnPayout,
  "set-audit-plan": SetAuditPlan,
  "start-audit": StartAudit,
  "complete-audit": CompleteAudit,
  "record-finding": RecordFinding,
  "submit-rectification-plan": SubmitRectificationPlan,
  "submit-rectification-evidence": SubmitRectificationEvidence,
  "resolve-finding": ResolveFinding,
  "close-period": ClosePeriod,
  "set-approval-policy": SetApprovalPolicy,
  "set-close-policy": SetClosePolicy,
  "approve-proposal": ApproveProposal,
  "reject-proposal": RejectProposal,
  "withdraw-proposal": WithdrawProposal,
  "expire-proposals": ExpireProposals,
  "import-beneficiaries-chunk": ImportBeneficiariesChunk,
  "record-bank-statement": RecordBankStatement,
  "confirm-bank-match": ConfirmBankMatch,
  "undo-bank-match": UndoBankMatch,
  "set-bank-account": SetBankAccount,
  "erase-bank-account": EraseBankAccount,
  "issue-bank-file": IssueBankFile,
  "record-bank-results-chunk": RecordBankResultsChunk,
  "set-fund-bank-account": SetFundBankAccount,
} as const;

type CommandSchema = (typeof CommandSchemas)[keyof typeof CommandSchemas];

/** Any command, told apart by its `type`. */
export const Command = z.discriminatedUnion(
  "type",
  Object.values(CommandSchemas) as [CommandSchema, ...CommandSchema[]],
);
export type Command = z.infer<typeof Command>;

export type CommandType = Command["type"];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
