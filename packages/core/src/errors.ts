import type { AmountError } from "./money.ts";
import type { UnbalancedPostings } from "./postings.ts";

/** Why one row of a roster import was not recorded (the event schema's RowRefusal, without zod here). */
type RowRefusal = {
  readonly row: number;
  readonly beneficiaryId: string;
  readonly code: string;
  readonly message: string;
};

/**
 * A refusal's fields become members of its problem (RFC 9457) beside `type`, `title`, `status` and
 * `detail`, which would overwrite a field of the same name: such a field does not compile.
 */
type E<Code extends string, Fields = unknown> = { readonly code: Code; readonly message: string } & Readonly<
  keyof Fields & ("type" | "title" | "status" | "detail") extends never ? Fields : never
>;

/**
 * Every way a command can be refused, each with a stable `code`. The API maps the code to an
 * HTTP status and an RFC 9457 problem type in one place; nothing else builds error responses.
 */
export type DomainError =
  | E<"book-not-found", { book: string }>
  | E<"book-exists", { book: string }>
  | E<"fund-not-found", { fundId: string }>
  | E<"fund-exists", { fundId: string }>
  | E<"fund-overdrawn", { fundId: string; balance: string; reserved: string; available: string; requested: string }>
  | E<"same-fund", { fundId: string }>
  | E<"unit-not-found", { unitId: string }>
  | E<"unit-exists", { unitId: string }>
  | E<"program-not-found", { programId: string }>
  | E<"program-exists", { programId: string }>
  | E<"program-closed", { programId: string }>
  | E<"beneficiary-not-found", { beneficiaryId: string }>
  | E<"beneficiary-exists", { beneficiaryId: string }>
  | E<"id-number-registered", { existingBeneficiaryId: string }>
  | E<"hardship-file-open", { beneficiaryId: string }>
  | E<"hardship-file-not-open", { beneficiaryId: string }>
  | E<"hardship-file-required", { beneficiaryId: string; programId: string; on: string }>
  | E<"method-not-allowed", { programId: string; method: string; allowed: readonly string[] }>
  | E<"cap-exceeded", { programId: string; cap: "per-payment" | "per-year-count" | "per-year-amount"; limit: string }>
  | E<"budget-exceeded", { programId: string; budget: string; paid: string; reserved: string; requested: string }>
  | E<"period-closed", { on: string; closedThrough: string }>
  | E<"future-date", { on: string; today: string }>
  | E<"before-book-opened", { on: string; openedOn: string }>
  | E<"invalid-date-range", { from: string; to: string }>
  | E<"currency-mismatch", { currency: string; bookCurrency: string }>
  | E<"entry-not-found", { seq: number }>
  | E<"entry-not-reversible", { seq: number; entryType: string }>
  | E<"entry-already-undone", { seq: number }>
  | E<"reversal-before-entry", { seq: number; on: string; entryOccurredOn: string }>
  | E<"batch-too-large", { lines: number; limit: number }>
  | E<"batch-refused", { batchId: string; refused: readonly LineRefusal[] }>
  | E<"import-refused", { importId: string; chunk: number; refused: readonly RowRefusal[] }>
  | E<"period-out-of-order", { period: string; next: string }>
  | E<"period-not-over", { period: string; today: string }>
  | E<"rollup-stale", { period: string; events: number; recorded: number }>
  | E<"related-entry-not-found", { seq: number; headSeq: number }>
  | E<"audit-not-found", { auditId: string }>
  | E<"audit-exists", { auditId: string }>
  | E<"audit-completed", { auditId: string; completedOn: string }>
  | E<"audit-unit-mismatch", { auditId: string; auditUnitId: string; unitId: string }>
  | E<"finding-not-found", { findingId: string }>
  | E<"finding-exists", { findingId: string }>
  | E<"finding-resolved", { findingId: string; outcome: string; resolvedOn: string }>
  | E<"finding-step-out-of-order", { findingId: string; findingStatus: string; step: string }>
  | E<"proposal-not-found", { proposalId: number }>
  | E<"proposal-not-pending", { proposalId: number; state: string }>
  | E<"self-approval", { proposalId: number; proposer: string }>
  | E<"already-approved", { proposalId: number; approver: string }>
  | E<"not-an-approver", { proposalId: number; role: string }>
  | E<"not-the-proposer", { proposalId: number; proposer: string }>
  | E<"annual-report-required", { period: string }>
  | E<"opening-balances-recorded", { seq: number | null }>
  | E<"opening-balances-too-late", { asOf: string }>
  | E<"duplicate-fund", { fundId: string }>
  | E<"proposals-pending", { period: string; proposalIds: readonly number[] }>
  | E<"bank-statement-exists", { fundId: string; period: string; statementHash: string }>
  | E<"bank-account-mismatch", { fundId: string; accountLast4: string; linkedLast4: string }>
  | E<"bank-statement-invalid", { errors: readonly { path: string; message: string }[] }>
  | E<"bank-statement-not-found", { fundId: string; period: string }>
  | E<"bank-match-not-found", { fundId: string; period: string; line: number }>
  | E<"bank-match-confirmed", { fundId: string; period: string; line: number; entrySeq: number }>
  | E<"bank-account-not-found", { beneficiaryId: string }>
  | (AmountError & { readonly field?: string })
  | UnbalancedPostings
  | E<"idempotency-key-reused", { idempotencyKey: string }>
  | E<"append-conflict", { attempts: number }>;

/** Why one line of a payout batch was not recorded: its number in the batch and its own error's code. */
export type LineRefusal = { readonly line: number; readonly code: string; readonly message: string };

export type DomainErrorCode = DomainError["code"];

/** Builds a domain error with its code's fields checked. */
export const domainError = <C extends DomainErrorCode>(
  code: C,
  message: string,
  fields: Omit<Extract<DomainError, { code: C }>, "code" | "message">,
): Extract<DomainError, { code: C }> => ({ code, message, ...fields }) as Extract<DomainError, { code: C }>;
