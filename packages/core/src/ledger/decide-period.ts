import { fingerprint } from "../canonical.ts";
import { domainError } from "../errors.ts";
import { comparePeriods, nextPeriod, periodsThrough } from "../period.ts";
import { err } from "../result.ts";
import { rollupHash } from "../rollup/rollup.ts";
import type { CommandOf } from "./commands.ts";
import { type DecideContext, type Decision, decided, endOfPeriod } from "./decision.ts";
import type { BookInfo, BookState } from "./state.ts";
import { type ClosePolicy, DEFAULT_CLOSE_POLICY } from "./vocabulary.ts";

export const rollupRef = (period: string) => `rollup/${period}`;
/** The annual report frozen when a year closes (年终结账), kept beside the December rollup. */
export const annualRef = (year: string) => `annual/${year}`;

/** The month that closes next: the one after the last closed, or the book's first month with an entry. */
export const nextToClose = (state: BookState, book: BookInfo): string | undefined =>
  state.closedThrough ? nextPeriod(state.closedThrough) : (state.firstMonth ?? book.openedOn?.slice(0, 7));

export const closePolicyOf = (state: BookState): ClosePolicy => state.close ?? DEFAULT_CLOSE_POLICY;

const hasEvents = (state: BookState, month: string) => (state.openMonths?.[month]?.count ?? 0) > 0;
const isDecember = (month: string) => month.endsWith("-12");

/**
 * The months that must close before `period` can: within the run from the next month to close up to
 * `period`, a month with events closes on its own, and so does a December (the year's close). The
 * months between them have no events and close with the next stop, under one PeriodClosed.
 */
export const firstStop = (state: BookState, next: string, period: string): string | undefined =>
  comparePeriods(period, next) < 0
    ? undefined
    : periodsThrough(next, period).find((month) => month === period || hasEvents(state, month) || isDecember(month));

/**
 * The day a month closes under an `auto` policy: `afterDays` days after it ends (with 10, the 10th of
 * the next month), in the book's time zone.
 */
export const dueOn = (period: string, afterDays: number): string => {
  const end = new Date(`${endOfPeriod(period)}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + afterDays);
  return end.toISOString().slice(0, 10);
};

/**
 * Closes a month, in order, once it is over, with the rollup of exactly the events recorded in it:
 * the head counts each open month's events (and their last seq), so a rollup folded before a
 * late entry arrived is refused as stale, and the job folds again. Months without events before it
 * close with it (`empty`), but never across a December: a year closes on its own, freezing its
 * annual report. A month with proposals dated in it still pending does not close: they are posted
 * or voided first.
 */
export function closePeriod(
  command: CommandOf<"close-period">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { period, rollup } = command;
  const next = nextToClose(state, book) ?? period;
  const stop = firstStop(state, next, period);
  if (stop !== period) {
    const first = stop ?? next;
    return err(
      domainError("period-out-of-order", `months close in order: the next to close is ${first}`, {
        period,
        next: first,
      }),
    );
  }
  if (endOfPeriod(period) >= ctx.today) {
    return err(
      domainError("period-not-over", `${period} is not over in the book's time zone (today is ${ctx.today})`, {
        period,
        today: ctx.today,
      }),
    );
  }
  const run = periodsThrough(next, period);
  // A proposal dated in the run would post an entry into it: the months wait for it.
  const pending = Object.entries(state.pending ?? {})
    .filter(([, proposal]) => run.includes(proposal.on.slice(0, 7)))
    .map(([id]) => Number(id));
  if (pending.length > 0) {
    return err(
      domainError("proposals-pending", `${period} has proposals awaiting approval: ${pending.join(", ")}`, {
        period,
        proposalIds: pending,
      }),
    );
  }
  const open = state.openMonths?.[period];
  const recorded = open?.count ?? 0;
  const empty = command.empty ?? [];
  const emptyFits =
    empty.length === run.length - 1 &&
    empty.every((month, index) => month.period === run[index] && month.book === ctx.book && month.events === 0);
  if (
    !emptyFits ||
    rollup.period !== period ||
    rollup.book !== ctx.book ||
    rollup.events !== recorded ||
    rollup.lastSeq !== (open?.lastSeq ?? null)
  ) {
    return err(
      domainError("rollup-stale", `the rollup of ${period} covers ${rollup.events} events; the book has ${recorded}`, {
        period,
        events: rollup.events,
        recorded,
      }),
    );
  }
  // The year's close freezes its annual report: a December closes with one, and no other month does.
  const year = period.slice(0, 4);
  const annual = command.annual;
  if (isDecember(period) !== (annual !== undefined) || (annual && annual.year !== year)) {
    return err(
      domainError(
        "annual-report-required",
        isDecember(period)
          ? `closing ${period} closes ${year}: its annual report is frozen with it`
          : `only a December's close freezes an annual report, not ${period}'s`,
        { period },
      ),
    );
  }
  const hash = rollupHash(rollup);
  return decided(
    [
      {
        type: "PeriodClosed",
        occurredOn: endOfPeriod(period),
        payload: {
          period,
          rollupHash: hash,
          lastSeq: ctx.headSeq,
          ...(run.length > 1 ? { from: next } : {}),
          ...(annual ? { annualReportHash: fingerprint(annual) } : {}),
        },
      },
    ],
    {
      writes: [
        ...empty.map((month) => ({ ref: rollupRef(month.period), value: month as never })),
        { ref: rollupRef(period), value: rollup as never },
        ...(annual ? [{ ref: annualRef(year), value: annual }] : []),
      ],
    },
  );
}

/** The admin sets how the book's months close; it applies from the next close on. */
export function setClosePolicy(command: CommandOf<"set-close-policy">, on: string): Decision {
  return decided([{ type: "ClosePolicySet", occurredOn: on, payload: { close: command.close } }]);
}
