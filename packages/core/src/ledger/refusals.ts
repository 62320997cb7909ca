import type { DomainErrorCode } from "../errors.ts";
import type { CommandType } from "./commands.ts";

/** A business date lies in an open month, not before the book opened and not after today (checkBusinessDate). */
const DATED = ["before-book-opened", "period-closed", "future-date"] as const;
/** A money request's amount, in the book's currency (requestAmount). */
const AMOUNT = ["invalid-amount", "currency-mismatch"] as const;
/** What undoing an entry needs: it exists, is not undone yet, and is of a kind this undo applies to. */
const UNDO = ["entry-not-found", "entry-already-undone", "entry-not-reversible"] as const;
/** Finding a pending proposal to decide (pendingProposal). */
const PROPOSAL = ["proposal-not-found", "proposal-not-pending"] as const;
/** A request under a policy is refused as it would be without one; a proposal is not refused otherwise. */
const PAYOUT = [
  ...AMOUNT,
  ...DATED,
  "program-not-found",
  "program-closed",
  "method-not-allowed",
  "beneficiary-not-found",
  "hardship-file-required",
  "cap-exceeded",
  "budget-exceeded",
  "fund-overdrawn",
] as const;
const TRANSFER = [...AMOUNT, ...DATED, "same-fund", "fund-not-found", "fund-overdrawn"] as const;
// Reversing a collection takes its money back out of the fund, which may have paid it on.
const REVERSAL = [...UNDO, ...DATED, "fund-overdrawn", "reversal-before-entry"] as const;

/** Every step after a finding is recorded (nextStep). */
const FINDING_STEP = [
  ...DATED,
  "finding-not-found",
  "finding-resolved",
  "finding-step-out-of-order",
  "invalid-date-range",
] as const;

/**
 * Every refusal `decide` can give each command, claims included (a claim's `onTaken`), so that the
 * API can document what a route that sends the command may answer. Besides these, every command
 * but open-book is refused book-not-found in a book that does not exist, and whatever the journal
 * refuses on its own (a reused idempotency key, a busy book) applies to any command.
 *
 * A Record over every command type, so that a new command does not compile until it is listed.
 * The domain tests hold it to decide: each refusal a test sees must be listed for its command
 * (scenario.test-support.ts). Left out, because no request can produce them: unbalanced-postings
 * (every decider builds balanced pairs of positive amounts; the check guards the decider's own
 * arithmetic) and fund-not-found where the fund is a programme's (a programme opens only on a fund
 * that exists, and funds never close).
 */
export const COMMAND_REFUSALS = {
  "open-book": ["book-exists", "future-date", "invalid-amount"],
  "open-fund": ["before-book-opened", "fund-exists"],
  "add-unit": ["before-book-opened", "unit-exists"],
  "open-program": ["before-book-opened", "program-exists", "fund-not-found", "invalid-amount"],
  "close-program": ["before-book-opened", "program-not-found", "program-closed"],
  "register-beneficiary": [
    "before-book-opened",
    "beneficiary-exists",
    "unit-not-found",
    "beneficiary-not-found",
    "id-number-registered",
  ],
  "open-hardship-file": [...DATED, "beneficiary-not-found", "hardship-file-open", "invalid-date-range"],
  "review-hardship-file": [...DATED, "beneficiary-not-found", "hardship-file-not-open", "invalid-date-range"],
  "close-hardship-file": [...DATED, "beneficiary-not-found", "hardship-file-not-open", "invalid-date-range"],
  "record-opening-balances": [
    ...AMOUNT,
    ...DATED,
    "fund-not-found",
    "duplicate-fund",
    "opening-balances-recorded",
    "opening-balances-too-late",
  ],
  "record-collection": [...AMOUNT, ...DATED, "fund-not-found", "unit-not-found"],
  "record-payout": PAYOUT,
  // A line's own refusals (a cap, the fund's balance) are answered line by line; only a chunk none
  // of whose lines passes is refused as a whole.
  "record-payout-chunk": [
    "invalid-amount",
    ...DATED,
    "program-not-found",
    "program-closed",
    "method-not-allowed",
    "batch-refused",
  ],
  "record-transfer": TRANSFER,
  "reverse-entry": REVERSAL,
  "return-payout": [...UNDO, ...DATED, "invalid-date-range"],
  "set-audit-plan": ["before-book-opened"],
  "start-audit": [...DATED, "audit-exists", "unit-not-found", "invalid-date-range"],
  "complete-audit": [...DATED, "audit-not-found", "audit-completed", "invalid-date-range"],
  "record-finding": [
    ...DATED,
    "invalid-date-range",
    "invalid-amount",
    "finding-exists",
    "unit-not-found",
    "audit-not-found",
    "audit-unit-mismatch",
    "related-entry-not-found",
  ],
  "submit-rectification-plan": FINDING_STEP,
  "submit-rectification-evidence": [...FINDING_STEP, "invalid-amount"],
  "resolve-finding": FINDING_STEP,
  // A month's close is dated by its month, so the opening date does not hold it (checkEntryDates).
  "close-period": [
    "period-out-of-order",
    "period-not-over",
    "rollup-stale",
    "proposals-pending",
    "annual-report-required",
  ],
  "set-close-policy": ["before-book-opened"],
  "set-approval-policy": ["before-book-opened", "program-not-found", "invalid-amount"],
  // The approval that completes a policy re-checks the entry: one refused then is voided, and the
  // approver is answered with the refusal (Decided.answer), so those are listed too.
  "approve-proposal": [
    ...PROPOSAL,
    "not-an-approver",
    "self-approval",
    "already-approved",
    ...PAYOUT,
    "same-fund",
    "fund-not-found",
    ...UNDO,
    "reversal-before-entry",
  ],
  "reject-proposal": [...PROPOSAL, "not-an-approver"],
  "withdraw-proposal": [...PROPOSAL, "not-the-proposer"],
  "expire-proposals": [],
  // A row's own refusals (an ID number registered to another id, say) are listed row by row; only
  // a chunk none of whose rows can be recorded, and some refused, is refused as a whole.
  "import-beneficiaries-chunk": ["before-book-opened", "import-refused"],
  // Dated today: a statement's month may be closed, and its events move no money.
  "record-bank-statement": [
    "before-book-opened",
    "fund-not-found",
    "period-not-over",
    "bank-statement-invalid",
    "bank-statement-exists",
    "bank-account-mismatch",
  ],
  "confirm-bank-match": [
    "before-book-opened",
    "bank-statement-not-found",
    "bank-match-not-found",
    "bank-match-confirmed",
  ],
  "undo-bank-match": ["before-book-opened", "bank-statement-not-found", "bank-match-not-found"],
  "set-bank-account": ["before-book-opened", "beneficiary-not-found"],
  "erase-bank-account": ["before-book-opened", "bank-account-not-found"],
  "issue-bank-file": ["before-book-opened", "invalid-amount"],
  // A failed line's own refusals (its payout returned already, say) are listed line by line as skipped.
  "record-bank-results-chunk": DATED,
  "set-fund-bank-account": ["before-book-opened", "fund-not-found"],
} as const satisfies Record<CommandType, readonly DomainErrorCode[]>;

/** What decide may refuse the command with: its own refusals, and book-not-found for all but opening a book. */
export const refusalsOf = (type: CommandType): readonly DomainErrorCode[] =>
  type === "open-book" ? COMMAND_REFUSALS[type] : ["book-not-found", ...COMMAND_REFUSALS[type]];
