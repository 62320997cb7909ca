import {
  type Actor,
  type BookState,
  comparePeriods,
  type DomainError,
  localDate,
  monthIndex,
  nextToClose,
  openingBalances,
  periodAt,
  previousPeriod,
  type Rollup,
  rollupHash,
  rollupRef,
} from "@relief-ledger/core";
import type { AfterClose } from "../checkpoints/after-close.ts";
import { type LedgerJournal, ledgerAppend } from "../ledger-journal.ts";
import { foldMonth } from "./month-fold.ts";
import { startOf } from "./read.ts";

/** The monthly job acts as the system role. */
export const ROLLUP_ACTOR: Actor = { sub: "monthly-rollup", role: "system" };

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
    const start = await startOf(journal, book, state, period);
    const rollup = await foldMonth(journal, book, state, period, state.openMonths?.[period], start);
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
  // The balances it opened with are its own; the proposals pending then, the month before's.
  const { pending } = await startOf(journal, book, state, period);
  const opening = openingBalances(stored);
  const range =
    stored.firstSeq !== null && stored.lastSeq !== null
      ? { firstSeq: stored.firstSeq, lastSeq: stored.lastSeq }
      : undefined;
  return foldMonth(journal, book, state, period, range, { opening, pending }, signal);
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
