import type { DomainError, DomainErrorCode } from "@relief-ledger/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** RFC 9457 problem details. `type` is a stable URI ending in the error's code. */
export type Problem = {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  readonly [extension: string]: unknown;
};

export type FieldError = { readonly path: string; readonly message: string };

/** Relative, so that it resolves against the API that answered; /problems/{code} documents each. */
export const PROBLEM_BASE = "/problems/";

/** Codes the API itself raises, beside the domain's. */
export type ApiErrorCode =
  | "validation-failed"
  | "malformed-json"
  | "unsupported-media-type"
  | "payload-too-large"
  | "read-only"
  | "export-too-large"
  | "import-invalid"
  | "import-too-large"
  | "batch-not-found"
  | "bank-file-incomplete"
  | "bank-results-invalid"
  | "bank-statement-rows-invalid"
  | "idempotency-key-required"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "database-unavailable"
  | "deadline-exceeded"
  | "internal";

export type ProblemCode = DomainErrorCode | ApiErrorCode;

/**
 * Every code's status and title, in one table. 400 is a request that can never succeed as sent;
 * 404 a path that names nothing; 409 a request that conflicts with what the ledger holds now;
 * 422 a well-formed request naming something that does not exist or cannot take it.
 */
const CODES: Record<ProblemCode, readonly [ContentfulStatusCode, string]> = {
  "validation-failed": [400, "The request is not valid"],
  "malformed-json": [400, "The body is not valid JSON"],
  "invalid-amount": [400, "The amount is not valid"],
  "invalid-date-range": [400, "The dates are out of order"],
  "idempotency-key-required": [400, "An Idempotency-Key header is required"],
  "batch-too-large": [400, "The batch has too many lines"],
  unauthorized: [401, "Authentication required"],
  forbidden: [403, "Not allowed"],
  "not-found": [404, "Not found"],
  "book-not-found": [404, "No such book"],
  "entry-not-found": [404, "No such entry"],
  "read-only": [405, "This endpoint only reads"],
  "export-too-large": [422, "The export is too large for this endpoint"],
  "payload-too-large": [413, "The body is too large"],
  "unsupported-media-type": [415, "The body must be application/json"],
  "fund-not-found": [422, "No such fund"],
  "unit-not-found": [422, "No such unit"],
  "program-not-found": [422, "No such programme"],
  "proposal-not-found": [404, "No such proposal"],
  "beneficiary-not-found": [422, "No such beneficiary"],
  "unbalanced-postings": [422, "The postings do not balance"],
  "currency-mismatch": [422, "The book keeps another currency"],
  "future-date": [422, "The date is in the future"],
  "before-book-opened": [422, "The date is before the book was opened"],
  // Well-formed, but no line passes its checks: each line's reason is in `refused`; nothing was written.
  "batch-refused": [422, "No line of the batch could be recorded"],
  // A roster with bad rows: each is listed in `rows` (row, column, code, message); nothing was written.
  "import-invalid": [422, "Rows of the roster are not valid"],
  "import-too-large": [413, "The roster has too many rows"],
  "import-refused": [422, "No row of the roster could be recorded"],
  "batch-not-found": [404, "No such payout batch"],
  // Lines whose payee has no bank account on file are listed in `lines`; no file was made.
  "bank-file-incomplete": [422, "Lines of the batch lack a bank account"],
  // A result file with bad rows: each is listed in `rows`; nothing was recorded.
  "bank-results-invalid": [422, "Rows of the result file are not valid"],
  // A statement file with bad rows: each is listed in `rows` (row, column, message); nothing was recorded.
  "bank-statement-rows-invalid": [422, "Rows of the bank statement are not valid"],
  "bank-account-not-found": [404, "No bank account is on file"],
  "same-fund": [422, "A transfer needs two different funds"],
  "duplicate-fund": [422, "A fund is listed twice"],
  "entry-not-reversible": [422, "The entry cannot be undone this way"],
  "reversal-before-entry": [422, "A reversal cannot be dated before the entry it reverses"],
  "method-not-allowed": [422, "The programme does not pay this way"],
  "related-entry-not-found": [422, "A related journal entry does not exist"],
  "audit-not-found": [422, "No such audit"],
  "audit-unit-mismatch": [422, "The audit is of another unit"],
  "finding-not-found": [422, "No such finding"],
  "book-exists": [409, "The book already exists"],
  "fund-exists": [409, "The fund already exists"],
  "unit-exists": [409, "The unit already exists"],
  "program-exists": [409, "The programme already exists"],
  "program-closed": [409, "The programme is closed"],
  "beneficiary-exists": [409, "The beneficiary already exists"],
  "id-number-registered": [409, "The ID number is already registered"],
  "hardship-file-open": [409, "A hardship file is already open"],
  "hardship-file-not-open": [409, "No hardship file is open"],
  "hardship-file-required": [409, "The programme pays only beneficiaries with an open hardship file"],
  "cap-exceeded": [409, "The payment exceeds the programme's cap"],
  "budget-exceeded": [409, "The payment exceeds the programme's budget"],
  "fund-overdrawn": [409, "The fund would be overdrawn"],
  "annual-report-required": [422, "A year's close freezes its annual report"],
  "opening-balances-recorded": [409, "The book's opening balances are already recorded"],
  "opening-balances-too-late": [409, "Money has already moved in this book: opening balances come first"],
  "proposal-not-pending": [409, "The proposal is no longer pending"],
  "proposals-pending": [409, "Proposals dated in the month await approval"],
  "already-approved": [409, "The approver already approved this proposal"],
  "self-approval": [403, "Nobody approves their own proposal"],
  "not-an-approver": [403, "Only an approver may approve or reject"],
  "not-the-proposer": [403, "Only the proposer may withdraw a proposal"],
  "period-closed": [409, "The period is closed"],
  "bank-statement-exists": [409, "Another statement of the fund for the month is recorded"],
  "bank-statement-invalid": [422, "The bank statement is not valid"],
  "bank-account-mismatch": [422, "The statement is of another account than the fund's"],
  "bank-statement-not-found": [404, "No bank statement of the fund for the month"],
  "bank-match-not-found": [404, "The statement line is not matched"],
  "bank-match-confirmed": [409, "The match is confirmed already"],
  "entry-already-undone": [409, "The entry was already reversed or returned"],
  "audit-exists": [409, "The audit already exists"],
  "audit-completed": [409, "The audit is already completed"],
  "finding-exists": [409, "The finding already exists"],
  "finding-resolved": [409, "The finding is already resolved"],
  "finding-step-out-of-order": [409, "The finding is not at a stage that allows this step"],
  "idempotency-key-reused": [409, "The idempotency key was used for another request"],
  "period-out-of-order": [409, "Months close in order"],
  "period-not-over": [409, "The month is not over"],
  "rollup-stale": [409, "The rollup no longer covers the month's entries; fold it again"],
  "append-conflict": [503, "The book is busy; retry the request"],
  "database-unavailable": [503, "The database cannot be reached; retry the request shortly"],
  "deadline-exceeded": [503, "The request took too long and was stopped"],
  internal: [500, "Internal error"],
};

export const statusOf = (code: ProblemCode): ContentfulStatusCode => CODES[code][0];

/** Extension members come first, so that none of them can overwrite type, title, status or detail. */
export const problemFor = (code: ProblemCode, detail: string, extensions: Record<string, unknown> = {}): Problem => ({
  ...extensions,
  type: `${PROBLEM_BASE}${code}`,
  title: CODES[code][1],
  status: CODES[code][0],
  detail,
});

/** Every problem code with its status and title, for the OpenAPI document and /problems. */
export const problemCatalogue = () =>
  Object.entries(CODES).map(([code, [status, title]]) => ({ code: code as ProblemCode, status, title }));

/** A domain error as a problem: its own fields (fund, balance, …) become extension members. */
export function domainProblem(error: DomainError): Problem {
  const { code, message, ...fields } = error;
  if (code === "invalid-amount") {
    const { field, reason } = error;
    return problemFor(code, message, { reason, errors: [{ path: field ?? "amount", message }] });
  }
  return problemFor(code, message, fields);
}

export const sendProblem = (c: Context, problem: Problem): Response => {
  // The request's id (observe.ts), so that a caller quoting a problem names its log line; and its code, for that line.
  const requestId: unknown = c.get("requestId");
  c.set("problemCode", problem.type.startsWith(PROBLEM_BASE) ? problem.type.slice(PROBLEM_BASE.length) : problem.type);
  const body = typeof requestId === "string" ? { ...problem, requestId } : problem;
  const response = c.json(body, problem.status as ContentfulStatusCode, {
    "Content-Type": "application/problem+json",
  });
  // RFC 9110 §11.6.1: a 401 must name the scheme the client should authenticate with.
  if (problem.status === 401) response.headers.set("WWW-Authenticate", "Bearer");
  // A problem may say how long to wait (seconds); a busy book clears within a second.
  if (problem.status === 503) response.headers.set("Retry-After", String(problem.retryAfter ?? 1));
  return response;
};

/** Thrown by handlers and middleware; the app's onError turns it into a response. */
export class ProblemError extends Error {
  override name = "ProblemError";
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
  }
}

export const fail = (error: DomainError): never => {
  throw new ProblemError(domainProblem(error));
};
