/**
 * The database could not be reached: DynamoDB Local is down or restarting, or the network to
 * DynamoDB failed. Not a fault of the request: the API answers 503 with Retry-After, and a write
 * may be retried with the same Idempotency-Key (it was recorded once, or not at all).
 */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(cause: unknown) {
    super(`the database cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Socket errors of a connection refused, reset or timed out: what the SDK throws after its own retries. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNABORTED",
]);

/** Whether an error (or its cause) says the database could not be reached, as opposed to refusing the request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let depth = 0; error instanceof Error && depth < 4; depth++) {
    if (error instanceof DatabaseUnavailableError) return true;
    const { code } = error as { code?: unknown };
    if (typeof code === "string" && UNREACHABLE.has(code)) return true;
    // The SDK's own names for a request that got no answer in time, or a socket closed mid-answer.
    if (error.name === "TimeoutError" || error.name === "RequestTimeout") return true;
    if (/socket hang up|other side closed/i.test(error.message)) return true;
    error = error.cause;
  }
  return false;
}
