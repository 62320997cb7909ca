import { domainError } from "../errors.ts";
import { nextPeriod } from "../period.ts";
import { err } from "../result.ts";
import { rollupHash } from "../rollup/rollup.ts";
import type { CommandOf } from "./commands.ts";
import { type DecideContext, type Decision, decided, endOfPeriod } from "./decision.ts";
import type { BookInfo, BookState } from "./state.ts";

export const rollupRef = (period: string) => `rollup/${period}`;

/** The month that closes next: the one after the last closed, or the book's first month with an entry. */
export const nextToClose = (state: BookState, book: BookInfo): string | undefined =>
  state.closedThrough ? nextPeriod(state.closedThrough) : (state.firstMonth ?? book.openedOn?.slice(0, 7));

/**
 * Closes a month, in order, once it is over, with the rollup of exactly the events recorded in it:
 * the head counts each open month's events (and their last seq), so a rollup folded before a
 * late entry arrived is refused as stale, and the job folds again. A month with proposals dated
 * in it still pending does not close: they are posted or voided first.
 */
export function closePeriod(
  command: CommandOf<"close-period">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { period, rollup } = command;
  const next = nextToClose(state, book) ?? period;
  if (period !== next) {
    return err(
      domainError("period-out-of-order", `months close in order: the next to close is ${next}`, { period, next }),
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
  // A proposal dated in the month would post an entry into it: the month waits for it.
  const pending = Object.entries(state.pending ?? {})
    .filter(([, proposal]) => proposal.on.slice(0, 7) === period)
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
  if (
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
  const hash = rollupHash(rollup);
  return decided(
    [
      {
        type: "PeriodClosed",
        occurredOn: endOfPeriod(period),
        payload: { period, rollupHash: hash, lastSeq: ctx.headSeq },
      },
    ],
    {
      writes: [{ ref: rollupRef(period), value: rollup as never }],
    },
  );
}
