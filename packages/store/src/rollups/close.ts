import {
  type Actor,
  type BookState,
  closePolicyOf,
  comparePeriods,
  type DomainError,
  dueOn,
  firstStop,
  type Json,
  localDate,
  nextPeriod,
  nextToClose,
  openingBalances,
  periodsThrough,
  previousPeriod,
  type Rollup,
  rollupHash,
  rollupRef,
  startAfter,
} from "@relief-ledger/core";
import type { AfterClose } from "../checkpoints/after-close.ts";
import { type LedgerJournal, ledgerAppend } from "../ledger-journal.ts";
import { annualReport } from "./annual.ts";
import { foldMonth } from "./month-fold.ts";
import { rollupsFor, startOf } from "./read.ts";

/** The monthly job acts as the system role. */
export const ROLLUP_ACTOR: Actor = { sub: "monthly-rollup", role: "system" };

export type CloseResult =
  | {
      readonly status: "closed";
      readonly period: string;
      readonly rollupHash: string;
      readonly seq: number;
      /** The first month of a run of months without events that closed with it. */
      readonly from?: string;
      /** A December's close: the digest of the annual report frozen with it. */
      readonly annualReportHash?: string;
    }
  | {
      readonly status: "already-closed";
      readonly period: string;
      readonly rollupHash: string;
      readonly matches: boolean;
    }
  | { readonly status: "refused"; readonly period: string; readonly error: DomainError };

/**
 * Closes one month: folds it (and the months without events before it, which close with it), then
 * appends PeriodClosed with the rollups, which the journal stores in the same transaction. A
 * December's close is the year's: the annual report is built from the year's rollups and frozen
 * with it. Running it again is harmless: a closed month is folded again and its hash compared with
 * the stored one, and nothing is written. A rollup made stale by an entry that arrived while it was
 * folded is folded again, a few times at most.
 */
export async function closeMonth(
  journal: LedgerJournal,
  book: string,
  period: string,
  options: { actor?: Actor; clock?: () => Date } = {},
): Promise<CloseResult> {
  const clock = options.clock ?? (() => new Date());
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
    const next = (state.book && nextToClose(state, state.book)) ?? period;
    const run = comparePeriods(next, period) < 0 ? periodsThrough(next, period) : [period];
    let start = await startOf(journal, book, state, run[0] as string);
    const folded: Rollup[] = [];
    for (const month of run) {
      const rollup = await foldMonth(journal, book, state, month, state.openMonths?.[month], start);
      folded.push(rollup);
      start = startAfter(rollup);
    }
    const rollup = folded.pop() as Rollup;
    const annual = period.endsWith("-12")
      ? await yearEnd(journal, book, state, period, [...folded, rollup], clock)
      : undefined;
    const result = await journal.append(
      book,
      ledgerAppend(
        book,
        {
          type: "close-period",
          period,
          rollup,
          ...(folded.length > 0 ? { empty: folded } : {}),
          ...(annual ? { annual: annual as unknown as Record<string, Json> } : {}),
        },
        { idempotencyKey: `close-${period}`, actor: options.actor ?? ROLLUP_ACTOR, clock },
      ),
    );
    if (result.ok) {
      const closed = result.value.events[0];
      return {
        status: "closed",
        period,
        rollupHash: String(closed?.payload.rollupHash),
        seq: closed?.seq ?? 0,
        ...(run.length > 1 ? { from: run[0] as string } : {}),
        ...(typeof closed?.payload.annualReportHash === "string"
          ? { annualReportHash: closed.payload.annualReportHash }
          : {}),
      };
    }
    if (result.error.code === "rollup-stale" && attempt < 4) continue;
    return { status: "refused", period, error: result.error };
  }
}

/**
 * The annual report a December's close freezes: the year's months before the run as they are
 * (closed, or folded), then the run's, folded for this close; the year is reported as closed.
 */
async function yearEnd(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  period: string,
  run: Rollup[],
  clock: () => Date,
) {
  const year = period.slice(0, 4);
  const first = run[0]?.period ?? period;
  const before =
    first > `${year}-01` ? await rollupsFor(journal, book, `${year}-01`, previousPeriod(first), state) : [];
  const today = state.book ? localDate(state.book.timeZone, clock()) : period;
  return annualReport(journal, book, state, today, year, { rollups: [...before, ...run], closedThrough: period });
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

/**
 * Closes every month from the next open one through `through`, in order, whatever the book's close
 * policy (the command line's and the demo's way): each month with events closes on its own, and so
 * does each December; the months without events between them close with the next (firstStop).
 * Stops at a refusal.
 */
export async function closeThrough(
  journal: LedgerJournal,
  book: string,
  through: string,
  options: { clock?: () => Date; afterClose?: AfterClose; actor?: Actor } = {},
) {
  const results: CloseResult[] = [];
  const { state } = await journal.head(book);
  if (!state.book) return results;
  let next = nextToClose(state, state.book);
  while (next !== undefined && comparePeriods(next, through) <= 0) {
    const stop = firstStop(state, next, through) ?? through;
    const result = await closeMonth(journal, book, stop, options);
    results.push(result);
    if (result.status === "refused") break;
    next = nextPeriod(stop);
  }
  // Every close is anchored outside the database at once, not an hour later.
  if (options.afterClose && results.some((result) => result.status === "closed")) await options.afterClose(book);
  return results;
}

/** The last month that is over in a time zone: the month before today's. */
export const lastCompleteMonth = (timeZone: string, now: Date): string =>
  previousPeriod(localDate(timeZone, now).slice(0, 7));

/**
 * The last month the book's close policy has made due by `now`: under `auto`, the latest month
 * `afterDays` past its end (in the book's time zone); under `manual`, none: the finance office closes.
 */
export function lastDueMonth(state: BookState, now: Date): string | undefined {
  if (!state.book) return undefined;
  const policy = closePolicyOf(state);
  if (policy.mode === "manual") return undefined;
  const today = localDate(state.book.timeZone, now);
  let due = previousPeriod(today.slice(0, 7));
  while (dueOn(due, policy.afterDays) > today) due = previousPeriod(due);
  return due;
}

/**
 * The month the nightly job closes a book through: the last month with an entry among those its
 * close policy has made due. The months after a book's last entry stay open (their figures are
 * folded live, and are all zero) until an entry lands after them, or until their year's December is
 * due: the year closes, and those months close with it. A book nobody uses gains no closing entries.
 * Undefined when there is nothing to close.
 */
export function closeTarget(state: BookState, now: Date): string | undefined {
  const due = lastDueMonth(state, now);
  if (due === undefined) return undefined;
  const active = Object.keys(state.openMonths ?? {})
    .filter((month) => (state.openMonths?.[month]?.count ?? 0) > 0 && comparePeriods(month, due) <= 0)
    .sort(comparePeriods)
    .at(-1);
  // The year of the last month with entries closes once its December is due, though that month
  // closed already: a close ends at a month with entries, or at a December.
  const closed = state.closedThrough;
  const anchor = active ?? (closed && !closed.endsWith("-12") ? closed : undefined);
  if (anchor === undefined) return undefined;
  const december = `${anchor.slice(0, 4)}-12`;
  const yearDue = comparePeriods(december, due) <= 0 && (closed === null || comparePeriods(december, closed) > 0);
  return yearDue ? december : active;
}

/** An open month's figures as they stand: folded again every night until the month closes. */
export type ProvisionalResult = {
  readonly status: "provisional";
  readonly period: string;
  readonly rollupHash: string;
  readonly events: number;
};

/**
 * The open months with events that are over by `now`, folded as they stand (provisional figures,
 * which reports serve live until the month closes).
 */
export async function provisionalMonths(journal: LedgerJournal, book: string, now: Date) {
  const { state } = await journal.head(book);
  if (!state.book) return [];
  const next = nextToClose(state, state.book);
  const last = lastCompleteMonth(state.book.timeZone, now);
  if (next === undefined || comparePeriods(next, last) > 0) return [];
  const results: ProvisionalResult[] = [];
  let start = await startOf(journal, book, state, next);
  for (const month of periodsThrough(next, last)) {
    const rollup = await foldMonth(journal, book, state, month, state.openMonths?.[month], start);
    start = startAfter(rollup);
    if (rollup.events > 0) {
      results.push({ status: "provisional", period: month, rollupHash: rollupHash(rollup), events: rollup.events });
    }
  }
  return results;
}

/**
 * The nightly job, for the AWS cron and the CLI alike: every book's months are closed as its close
 * policy says (closeTarget), in order, and the open months that are over are folded again as
 * provisional figures. Safe to run any number of times.
 */
export async function runMonthlyRollup(
  journal: LedgerJournal,
  options: { clock?: () => Date; afterClose?: AfterClose } = {},
) {
  const now = (options.clock ?? (() => new Date()))();
  const report: Record<string, (CloseResult | ProvisionalResult)[]> = {};
  for (const { id } of await journal.books()) {
    const { state } = await journal.head(id);
    if (!state.book) continue;
    const through = closeTarget(state, now);
    const closed = through === undefined ? [] : await closeThrough(journal, id, through, options);
    report[id] = [...closed, ...(await provisionalMonths(journal, id, now))];
  }
  return report;
}
