import { dynamoCursors, verifyBooksNightly } from "@relief-ledger/store";
import { jobRuntime } from "./lambda-support.ts";

const { client, config, journal, log, metrics } = jobRuntime("relief-ledger-verify");
const cursors = dynamoCursors(client, config.tables);

/**
 * The nightly chain verification (infra/verify.ts): every book's new entries and a rotating slice
 * of its history (store verification/), so that every entry is re-read within a week. A broken
 * chain fails the run too, so that the function's error metric and the failure metric both raise
 * the alarm; its first bad seq is in the log.
 */
export async function handler(): Promise<unknown> {
  const results = await verifyBooksNightly(journal, cursors, { log, metrics });
  const broken = results.filter((result) => !result.ok);
  if (broken.length > 0) {
    const named = broken.map((result) => `${result.book} at seq ${result.firstBreak?.seq}`).join(", ");
    throw new Error(`chain verification failed for ${named}`);
  }
  return results.map(({ book, checked }) => ({ book, checked }));
}
