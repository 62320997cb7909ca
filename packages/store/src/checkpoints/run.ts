import type { LedgerJournal } from "../ledger-journal.ts";
import type { CheckpointKeeper } from "./keeper.ts";
import { type CheckpointResult, takeCheckpoint } from "./take.ts";

/**
 * Takes a checkpoint of each book (every book of the deployment by default) whose journal moved
 * since its last one. A refusal (the journal no longer continues what was attested) is returned,
 * never signed over; the caller makes it loud (a failed Lambda run, an error line locally).
 */
export async function checkpointBooks(
  journal: LedgerJournal,
  keeper: CheckpointKeeper,
  options: { books?: readonly string[]; clock?: () => Date } = {},
): Promise<CheckpointResult[]> {
  const books = options.books ?? (await journal.books()).map(({ id }) => id);
  const signer = await keeper.signer();
  const results: CheckpointResult[] = [];
  for (const book of books) {
    results.push(
      await takeCheckpoint(
        journal,
        book,
        { archive: keeper.archive, signer },
        options.clock ? { clock: options.clock } : {},
      ),
    );
  }
  return results;
}

/** One line per book that was checkpointed or refused, for a log. */
export const describeCheckpoint = (result: CheckpointResult): string | undefined =>
  result.status === "taken"
    ? `checkpoint: ${result.book}: signed through seq ${result.checkpoints.at(-1)?.seq}`
    : result.status === "refused"
      ? `checkpoint: ${result.book}: REFUSED, the journal no longer continues its last checkpoint: ${result.breaks
          .slice(0, 3)
          .map((item) => `seq ${item.seq} ${item.reason}`)
          .join("; ")}`
      : undefined;
