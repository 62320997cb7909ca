import {
  type Actor,
  type BookState,
  checkPeriodRange,
  closingBalances,
  comparePeriods,
  type DomainError,
  localDate,
  type Minor,
  monthIndex,
  nextToClose,
  openingBalances,
  periodAt,
  periodsThrough,
  previousPeriod,
  type Rollup,
  rollupHash,
  rollupRef,
} from "@relief-ledger/core";
import type { AfterClose } from "../checkpoints/after-close.ts";
import { type LedgerJournal, ledgerAppend } from "../ledger-journal.ts";
import { foldMonth } from "./month-fold.ts";

/** The monthly job acts as the system role. */
export const ROLLUP_ACTOR: Actor = { sub: "monthly-rollup", role: "system" };

/**
 * The rollups of a range of months, oldest first: closed months as stored (one batch read for all
 * of them), open months folded live from their events, each opening where the month before closed.
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
    let opening = await openingOf(journal, book, state, start);
    for (let index = monthIndex(start); index <= monthIndex(to); index++) {
      signal?.throwIfAborted();
      const month = periodAt(index);
      const rollup = await foldMonth(journal, book, state, month, state.openMonths?.[month], opening, signal);
      if (open.includes(month)) rollups.push(rollup);
      opening = closingBalances(rollup);
    }
  }
  return rollups;
}

/** Fund balances at the start of a month: the closing of the stored rollup before it, or nothing. */
async function openingOf(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  period: string,
): Promise<Record<string, Minor>> {
  if (!state.closedThrough || comparePeriods(previousPeriod(period), state.closedThrough) > 0) return {};
  const stored = await journal.entity(book, rollupRef(previousPeriod(period)));
  return stored ? closingBalances(stored as unknown as Rollup) : {};
}

export type CloseResult =
  | { readonly status: "closed"; readonly period: string; readonly rollupHash: string; readonly seq: number }
  | {
      readonly status: "already-closed";
      readonly period: string;
      readonly rollupHash: string;
      readonly matches: boolean;
    }
  | { readonly status: "refused"; readonly period: string; readonly error: DomainError };

/**
 * Closes one month: folds it, then appends PeriodClosed with the rollup, which the journal stores
 * in the same transaction. Running it again is harmless: a closed month is folded again and its
 * hash compared with the stored one, and nothing is written. A rollup made stale by an entry that
 * arrived while it was folded is folded again, a few times at most.
 */
export async function closeMonth(
  journal: LedgerJournal,
  book: string,
  period: string,
  options: { actor?: Actor; clock?: () => Date } = {},
): Promise<CloseResult> {
  for (let attempt = 0; ; attempt++) {
    const { state } = await journal.head(book);
    if (state.closedThrough && comparePeriods(period, state.closedThrough) <= 0) {
      const stored = (await journal.entity(book, rollupRef(period))) as unknown as Rollup | null;
      const recomputed = await recompute(journal, book, state, period, stored);
      const hash = stored ? rollupHash(stored) : "";
      return {
        status: "already-closed",
        period,
        rollupHash: hash,
        matches: recomputed !== undefined && rollupHash(recomputed) === hash,
      };
    }
    const opening = await openingOf(journal, book, state, period);
    const rollup = await foldMonth(journal, book, state, period, state.openMonths?.[period], opening);
    const result = await journal.append(
      book,
      ledgerAppend(
        book,
        { type: "close-period", period, rollup },
        {
          idempotencyKey: `close-${period}`,
          actor: options.actor ?? ROLLUP_ACTOR,
          ...(options.clock ? { clock: options.clock } : {}),
        },
      ),
    );
    if (result.ok) {
      const closed = result.value.events[0];
      return { status: "closed", period, rollupHash: String(closed?.payload.rollupHash), seq: closed?.seq ?? 0 };
    }
    if (result.error.code === "rollup-stale" && attempt < 4) continue;
    return { status: "refused", period, error: result.error };
  }
}

/** Folds a closed month again from its events (the range its stored rollup names). */
async function recompute(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  period: string,
  stored: Rollup | null,
  signal?: AbortSignal,
) {
  if (!stored) return undefined;
  const opening = openingBalances(stored);
  const range =
    stored.firstSeq !== null && stored.lastSeq !== null
      ? { firstSeq: stored.firstSeq, lastSeq: stored.lastSeq }
      : undefined;
  return foldMonth(journal, book, state, period, range, opening, signal);
}

/** Verifies a stored rollup against a fresh fold of the journal; an aborted `signal` stops it. */
export async function verifyRollup(journal: LedgerJournal, book: string, period: string, signal?: AbortSignal) {
  const { state } = await journal.head(book);
  const stored = (await journal.entity(book, rollupRef(period))) as unknown as Rollup | null;
  const recomputed = await recompute(journal, book, state, period, stored, signal);
  return {
    stored,
    storedHash: stored ? rollupHash(stored) : null,
    recomputedHash: recomputed ? rollupHash(recomputed) : null,
    ok: stored !== null && recomputed !== undefined && rollupHash(recomputed) === rollupHash(stored),
  };
}

/** Closes every month from the next open one through `through`, in order; stops at a refusal. */
export async function closeThrough(
  journal: LedgerJournal,
  book: string,
  through: string,
  options: { clock?: () => Date; afterClose?: AfterClose } = {},
) {
  const results: CloseResult[] = [];
  const { state } = await journal.head(book);
  if (!state.book) return results;
  const next = nextToClose(state, state.book);
  if (!next) return results;
  for (let index = monthIndex(next); index <= monthIndex(through); index++) {
    const result = await closeMonth(journal, book, periodAt(index), options);
    results.push(result);
    if (result.status === "refused") break;
  }
  // Every close is anchored outside the database at once, not an hour later.
  if (options.afterClose && results.some((result) => result.status === "closed")) await options.afterClose(book);
  return results;
}

/** The last month that is over in a time zone: the month before today's. */
export const lastCompleteMonth = (timeZone: string, now: Date): string =>
  previousPeriod(localDate(timeZone, now).slice(0, 7));

/**
 * The month the monthly job closes a book through: its last complete month, but no later than the
 * last open month with an entry. A book nobody uses gains no closing entries: the months after its
 * last entry stay open (their figures are folded live, and are all zero) until an entry lands
 * after them. Undefined when there is nothing to close.
 */
export function closeTarget(state: BookState, now: Date): string | undefined {
  if (!state.book) return undefined;
  const active = Object.keys(state.openMonths ?? {})
    .sort(comparePeriods)
    .at(-1);
  if (active === undefined) return undefined;
  const complete = lastCompleteMonth(state.book.timeZone, now);
  return comparePeriods(active, complete) < 0 ? active : complete;
}

/**
 * The monthly job, for the AWS cron and the CLI alike: every book's months up to its last
 * complete one (in the book's time zone) are closed, in order, through the last month with an
 * entry (closeTarget). Safe to run any number of times.
 */
export async function runMonthlyRollup(
  journal: LedgerJournal,
  options: { clock?: () => Date; afterClose?: AfterClose } = {},
) {
  const now = (options.clock ?? (() => new Date()))();
  const report: Record<string, CloseResult[]> = {};
  for (const { id } of await journal.books()) {
    const { state } = await journal.head(id);
    if (!state.book) continue;
    const through = closeTarget(state, now);
    report[id] = through === undefined ? [] : await closeThrough(journal, id, through, options);
  }
  return report;
}
