import { fundEffect } from "../ledger/entry-totals.ts";
import type { BankDirection, BankMatchRule } from "../ledger/vocabulary.ts";
import type { Currency, Minor } from "../money.ts";

/**
 * Matching a bank statement to the book (对账), after Modern Treasury's and Blnk's reconciliation:
 * rules tried in order, each line and each entry matched at most once, what is left listed on
 * both sides. Pure and deterministic: the same lines and entries always give the same matches.
 * What no match has paired stays outstanding (未达账项) from month to month, on either side: an
 * entry until a later statement's line matches it, a line until the book records what it moved
 * and a later statement's matching pairs the two (amountDateHolds says on which terms).
 */

/** The tolerance of days when the caller names none: a payment takes a few days to clear. */
export const DEFAULT_TOLERANCE_DAYS = 3;

/**
 * A statement line as matching reads it: its number (1-based), date, amount and direction, and the
 * month of the earlier statement it is of when it is an outstanding line carried forward.
 */
export type BankLine = {
  readonly period?: string;
  readonly line: number;
  readonly date: string;
  readonly amount: Minor;
  readonly direction: BankDirection;
  readonly reference?: string;
};

/** A journal entry as matching reads it: its net effect on the fund, as an amount and a direction. */
export type BookItem = {
  readonly seq: number;
  readonly date: string;
  readonly amount: Minor;
  readonly direction: BankDirection;
  readonly type: string;
  readonly reference?: string;
};

/** A line matched to an entry; `period` names the earlier statement of a line carried forward. */
export type Match = {
  readonly period?: string;
  readonly line: number;
  readonly entrySeq: number;
  readonly rule: BankMatchRule;
};

const DAY_MS = 86_400_000;

/** Days from one business date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** A business date moved by some days. */
export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** References compare as the bank and the office write them, give or take case and spaces. */
const sameReference = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

const byDateThenSeq = (a: BookItem, b: BookItem) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq);
const lineKey = (line: { readonly period?: string; readonly line: number }) => `${line.period ?? ""}#${line.line}`;
/** Earlier statements' lines first (a line carried forward has a period; this month's has none), then by number. */
const byLine = (a: { readonly period?: string; readonly line: number }, b: typeof a) => {
  const [p, q] = [a.period ?? "~", b.period ?? "~"];
  return p < q ? -1 : p > q ? 1 : a.line - b.line;
};
const byDateThenLine = (a: BankLine, b: BankLine) => (a.date < b.date ? -1 : a.date > b.date ? 1 : byLine(a, b));

/**
 * Whether a line and an entry of the same amount and direction may be matched by `amount-date`:
 * - dated at most `toleranceDays` apart, either way (the office dates a payout when it sends it,
 *   the bank when it clears; a collection may be booked from the advice before the bank credits it);
 * - or dated in different months, at any age: the earlier of the two was outstanding at the end of
 *   its month (未达账项) and the later one is what cleared it. An entry of January the bank cleared
 *   in March (a payout collected late); a line of January (a bank fee) the office recorded in March.
 *   Within one month the tolerance holds: two movements of the same amount weeks apart in one month
 *   are not taken for one another.
 * Which candidates are offered, and in which order, is matchStatement's.
 */
export function amountDateHolds(line: BankLine, item: BookItem, toleranceDays: number): boolean {
  if (Math.abs(daysBetween(item.date, line.date)) <= toleranceDays) return true;
  return item.date.slice(0, 7) !== line.date.slice(0, 7);
}

/**
 * Matches statement lines to book entries of the same direction and amount. The lines are a
 * month's statement's and the outstanding lines of earlier statements (their `period` set); the
 * entries are those no statement has matched, outstanding ones of earlier months among them.
 * 1. `reference`: the line's reference is the entry's (collections and payouts carry one), at any age;
 * 2. `amount-date` within the tolerance: the dates at most `toleranceDays` apart;
 * 3. `amount-date` across months (amountDateHolds): an outstanding item, on either side, cleared
 *    by the other side's later movement. The closer evidence of step 2 goes first, so that this
 *    month's payment is not taken for an old one of the same amount.
 * In each step the lines are taken in date order and each takes the earliest entry that fits, so
 * the outcome does not depend on the order of the file.
 */
export function matchStatement(lines: readonly BankLine[], items: readonly BookItem[], toleranceDays: number): Match[] {
  const ordered = [...lines].sort(byDateThenLine);
  const candidates = [...items].sort(byDateThenSeq);
  const usedEntries = new Set<number>();
  const matchedLines = new Map<string, Match>();
  const take = (line: BankLine, rule: BankMatchRule, accept: (item: BookItem) => boolean) => {
    if (matchedLines.has(lineKey(line))) return;
    const item = candidates.find(
      (candidate) =>
        !usedEntries.has(candidate.seq) &&
        candidate.direction === line.direction &&
        candidate.amount === line.amount &&
        accept(candidate),
    );
    if (!item) return;
    usedEntries.add(item.seq);
    const period = line.period !== undefined ? { period: line.period } : {};
    matchedLines.set(lineKey(line), { ...period, line: line.line, entrySeq: item.seq, rule });
  };
  for (const line of ordered) {
    if (line.reference !== undefined) take(line, "reference", (item) => sameReference(item.reference, line.reference));
  }
  for (const line of ordered) {
    take(line, "amount-date", (item) => Math.abs(daysBetween(item.date, line.date)) <= toleranceDays);
  }
  for (const line of ordered) {
    take(line, "amount-date", (item) => amountDateHolds(line, item, toleranceDays));
  }
  return [...matchedLines.values()].sort(byLine);
}

/**
 * Why a proposed match does not hold (decide checks the API's matches with it), or undefined when
 * it does: same direction and amount, and the rule's own condition.
 */
export function matchFault(line: BankLine, item: BookItem, rule: BankMatchRule, toleranceDays: number) {
  if (item.direction !== line.direction)
    return `entry ${item.seq} moved money ${item.direction}, the line ${line.direction}`;
  if (item.amount !== line.amount) return `entry ${item.seq} is of another amount`;
  if (rule === "reference" && !sameReference(item.reference, line.reference)) {
    return `entry ${item.seq} has another reference`;
  }
  if (rule === "amount-date" && !amountDateHolds(line, item, toleranceDays)) {
    return `entry ${item.seq} is dated more than ${toleranceDays} days from the line in its month`;
  }
  return undefined;
}

/**
 * A journal entry as a book item of a fund's bank account, or undefined when it does not move the
 * fund's money: its net effect on `fund:<fundId>` (entry-totals.ts), positive in, negative out.
 * Collections come in; payouts and transfers to another fund go out; a return comes back in; a
 * reversal moves the opposite way to what it undoes, since the office records it as a movement of
 * its own. Opening balances are brought forward, not moved through the bank, and are left out.
 */
export function bookItemOf(
  event: {
    readonly seq: number;
    readonly type: string;
    readonly occurredOn: string;
    readonly payload: Readonly<Record<string, unknown>>;
  },
  fundId: string,
  currency: Currency,
): BookItem | undefined {
  if (event.type === "OpeningBalancesRecorded") return undefined;
  const effect = fundEffect(event.payload, currency, fundId);
  if (effect === 0n) return undefined;
  const reference = typeof event.payload.reference === "string" ? event.payload.reference : undefined;
  return {
    seq: event.seq,
    date: event.occurredOn,
    amount: effect > 0n ? effect : -effect,
    direction: effect > 0n ? "in" : "out",
    type: event.type,
    ...(reference !== undefined ? { reference } : {}),
  };
}
