import { describeExpiry, expireProposals } from "@relief-ledger/store";
import { jobRuntime } from "./lambda-support.ts";

const { journal, log } = jobRuntime("relief-ledger-expiry");

/**
 * The daily cron: voids every book's proposals older than its approvalTtlDays, releasing what they
 * reserved. EventBridge may deliver an event twice and Lambda retries a failed run; both are safe,
 * because each round's idempotency key names the book, the day and the round. A book left with an
 * error is thrown, so that the run counts as failed and its retry (and the alarm) see it.
 */
export async function handler(): Promise<unknown> {
  const results = await expireProposals(journal);
  for (const result of results) {
    const line = describeExpiry(result);
    if (!line) continue;
    if (result.error) log.error({ message: line, book: result.book });
    else log.info({ message: line, book: result.book });
  }
  const failed = results.filter((result) => result.error !== undefined).map((result) => result.book);
  if (failed.length > 0) throw new Error(`proposal expiry failed for ${failed.join(", ")}`);
  return results;
}
