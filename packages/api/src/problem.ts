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
export type ApiErrorCode = "validation-failed" | "not-found" | "internal";

const STATUS: Record<DomainErrorCode | ApiErrorCode, ContentfulStatusCode> = {
  "validation-failed": 400,
  "invalid-amount": 400,
  "not-found": 404,
  "book-not-found": 404,
  "fund-not-found": 422,
  "unbalanced-postings": 422,
  "book-exists": 409,
  "fund-exists": 409,
  "fund-overdrawn": 409,
  "idempotency-key-reused": 409,
  "append-conflict": 503,
  internal: 500,
};

const TITLES: Record<DomainErrorCode | ApiErrorCode, string> = {
  "validation-failed": "The request is not valid",
  "invalid-amount": "The amount is not valid",
  "not-found": "Not found",
  "book-not-found": "No such book",
  "fund-not-found": "No such fund",
  "unbalanced-postings": "The postings do not balance",
  "book-exists": "The book already exists",
  "fund-exists": "The fund already exists",
  "fund-overdrawn": "The fund would be overdrawn",
  "idempotency-key-reused": "The idempotency key was used for another request",
  "append-conflict": "The book is busy; retry the request",
  internal: "Internal error",
};

export const problemFor = (
  code: DomainErrorCode | ApiErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem => ({
  type: `${PROBLEM_BASE}${code}`,
  title: TITLES[code],
  status: STATUS[code],
  detail,
  ...extensions,
});

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
  const response = c.json(problem, problem.status as ContentfulStatusCode, {
    "Content-Type": "application/problem+json",
  });
  if (problem.status === 503) response.headers.set("Retry-After", "1");
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
