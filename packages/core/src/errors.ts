import type { AmountError } from "./money.ts";
import type { UnbalancedPostings } from "./postings.ts";

/**
 * Every way a command can be refused, each with a stable `code`. The API maps the code to an
 * HTTP status and an RFC 9457 problem type in one place; nothing else builds error responses.
 */
export type DomainError =
  | { readonly code: "book-not-found"; readonly message: string; readonly book: string }
  | { readonly code: "book-exists"; readonly message: string; readonly book: string }
  | { readonly code: "fund-not-found"; readonly message: string; readonly fundId: string }
  | { readonly code: "fund-exists"; readonly message: string; readonly fundId: string }
  | {
      readonly code: "fund-overdrawn";
      readonly message: string;
      readonly fundId: string;
      readonly balance: string;
      readonly requested: string;
    }
  | (AmountError & { readonly field?: string })
  | UnbalancedPostings
  | {
      readonly code: "idempotency-key-reused";
      readonly message: string;
      readonly idempotencyKey: string;
    }
  | { readonly code: "append-conflict"; readonly message: string; readonly attempts: number };

export type DomainErrorCode = DomainError["code"];
