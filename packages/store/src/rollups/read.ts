import {
  type BookState,
  checkPeriodRange,
  comparePeriods,
  emptyStart,
  type MonthStart,
  monthIndex,
  nextToClose,
  periodAt,
  periodsThrough,
  previousPeriod,
  type Rollup,
  rollupRef,
  startAfter,
} from "@relief-ledger/core";
import type { LedgerJournal } from "../ledger-journal.ts";
import { foldMonth } from "./month-fold.ts";

/**
 * The rollups of a range of months, oldest first, which the reports are computed from: closed
 * months as stored (one batch read for all of them), open months folded live from their events,
 * each opening where the month before closed.
 * The range must lie within PERIOD_BOUNDS (callers refuse others as bad input; here it is a bug),
 * and an aborted `signal` (the request's deadline) stops it between months.
 */
export async function rollupsFor(
  journal: LedgerJournal,
  book: string,
  from: string,
  to: string,
  /** The book's state, if the caller has just read the head: one snapshot, one read fewer. */
  known?: BookState,
  signal?: AbortSignal,
): Promise<Rollup[]> {
  const outOfBounds = checkPeriodRange(from, to);
  if (outOfBounds) throw new RangeError(`rollups of ${from} to ${to}: ${outOfBounds.field} ${outOfBounds.message}`);
  const state = known ?? (await journal.head(book)).state;
  const info = state.book;
  if (!info) return [];
  const first = state.firstMonth ?? info.openedOn?.slice(0, 7) ?? from;
  const months = periodsThrough(comparePeriods(from, first) < 0 ? first : from, to);
  const closedThrough = state.closedThrough;
  const closed = months.filter((month) => closedThrough !== null && comparePeriods(month, closedThrough) <= 0);
  const stored = await journal.entities(book, closed.map(rollupRef));
  const rollups: Rollup[] = closed.map((month) => {
    const rollup = stored.get(rollupRef(month));
    if (!rollup) throw new Error(`closed month ${month} of ${book} has no stored rollup`);
    return rollup as unknown as Rollup;
  });
  const open = months.filter((month) => !closed.includes(month));
  if (open.length > 0) {
    // Open months follow the last closed one: fold them all in order up to the range's end.
    const start = nextToClose(state, info) ?? (open[0] as string);
    let begin = await startOf(journal, book, state, start);
    for (let index = monthIndex(start); index <= monthIndex(to); index++) {
      signal?.throwIfAborted();
      const month = periodAt(index);
      const rollup = await foldMonth(journal, book, state, month, state.openMonths?.[month], begin, signal);
      if (open.includes(month)) rollups.push(rollup);
      begin = startAfter(rollup);
    }
  }
  return rollups;
}

/**
 * Where a month starts: the fund balances and pending proposals the stored rollup before it ended
 * with, or nothing (the book's first month).
 */
export async function startOf(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  period: string,
): Promise<MonthStart> {
  if (!state.closedThrough || comparePeriods(previousPeriod(period), state.closedThrough) > 0) return emptyStart();
  const stored = await journal.entity(book, rollupRef(previousPeriod(period)));
  return stored ? startAfter(stored as unknown as Rollup) : emptyStart();
}
