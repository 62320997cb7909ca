import { type BookState, createRollupFold, type MonthStart, type Rollup } from "@relief-ledger/core";
import type { LedgerJournal } from "../ledger-journal.ts";

/**
 * Folds one month from its events, streamed from the journal a page at a time (memory stays flat
 * however large the month): the seqs between the first and the last event dated in the month,
 * skipping the other months' events interleaved with them. The monthly job folds a month this way
 * to close it, and verify to check the rollup it stored. `start` is where the month before ended:
 * its closing balances and the proposals it left pending. An aborted `signal` (a request's
 * deadline) stops it between pages.
 */
export async function foldMonth(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  period: string,
  range: { firstSeq: number; lastSeq: number } | undefined,
  start: MonthStart,
  signal?: AbortSignal,
): Promise<Rollup> {
  const currency = state.book?.currency ?? "CNY";
  const fold = createRollupFold(book, period, currency, start.opening, start.pending);
  if (range) {
    for await (const page of journal.read(book, { fromSeq: range.firstSeq, toSeq: range.lastSeq, pageSize: 1000 })) {
      signal?.throwIfAborted();
      for (const event of page)
        if (event.occurredOn.startsWith(period) && event.type !== "PeriodClosed") fold.add(event);
    }
  }
  return fold.result();
}
