import { checkpointBooks, checkpointsFromEnv, describeCheckpoint } from "@relief-ledger/store";
import { jobRuntime } from "./lambda-support.ts";

const { journal, log } = jobRuntime("relief-ledger-checkpoint");
const keeper = checkpointsFromEnv();

/**
 * The checkpoint job: hourly (EventBridge), and at once for a book whose months the rollup just
 * closed (an asynchronous invoke with `{books}`). Its role alone may call KMS Sign and put into
 * the Object Lock bucket. A refusal fails the run, so that its error metric raises the alarm:
 * the journal no longer continues what was attested, and someone must look.
 */
export async function handler(event: { books?: unknown } = {}): Promise<unknown> {
  if (!keeper) throw new Error("LEDGER_CHECKPOINT_BUCKET and LEDGER_CHECKPOINT_KEY_ID must be set");
  const books = Array.isArray(event.books) ? event.books.filter((book) => typeof book === "string") : undefined;
  const results = await checkpointBooks(journal, keeper, books ? { books } : {});
  for (const result of results) {
    const line = describeCheckpoint(result);
    if (!line) continue;
    if (result.status === "refused") log.error({ message: line, book: result.book, status: result.status });
    else log.info({ message: line, book: result.book, status: result.status });
  }
  const refused = results.filter((result) => result.status === "refused").map((result) => result.book);
  if (refused.length > 0) throw new Error(`checkpoint refused for ${refused.join(", ")}: the journal was altered`);
  return results;
}
