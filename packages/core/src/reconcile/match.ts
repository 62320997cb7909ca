import { fundEffect } from "../ledger/entry-totals.ts";
import type { BankDirection, BankMatchRule } from "../ledger/vocabulary.ts";
import type { Currency, Minor } from "../money.ts";

/**
 * Matching a bank statement to the book (对账), after Modern Treasury's and Blnk's reconciliation:
 * rules tried in order, each line and each entry matched at most once, what is left listed on
 * both sides. Pure and deterministic: the same lines and entries always give the same matches.
 */

/** The tolerance of days when the caller names none: a payment takes a few days to clear. */
export const DEFAULT_TOLERANCE_DAYS = 3;

/** A statement line as matching reads it: its number (1-based), date, amount and direction. */
export type BankLine = {
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

export type Match = { readonly line: number; readonly entrySeq: number; readonly rule: BankMatchRule };

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
const byDateThenLine = (a: BankLine, b: BankLine) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.line - b.line);

/**
 * Matches statement lines to book entries of the same direction and amount:
 * 1. `reference`: the line's reference is the entry's (collections and payouts carry one), the
 *    dates anywhere within the candidates' window;
 * 2. `amount-date`: the dates at most `toleranceDays` apart, the earliest unmatched entry first.
 * Lines are taken in date order (then by number), so the outcome does not depend on the file's order.
 */
export function matchStatement(lines: readonly BankLine[], items: readonly BookItem[], toleranceDays: number): Match[] {
  const ordered = [...lines].sort(byDateThenLine);
  const candidates = [...items].sort(byDateThenSeq);
  const usedEntries = new Set<number>();
  const matchedLines = new Map<number, Match>();
  const take = (line: BankLine, rule: BankMatchRule, accept: (item: BookItem) => boolean) => {
    const item = candidates.find(
      (candidate) =>
        !usedEntries.has(candidate.seq) &&
        candidate.direction === line.direction &&
        candidate.amount === line.amount &&
        accept(candidate),
    );
    if (!item) return;
    usedEntries.add(item.seq);
    matchedLines.set(line.line, { line: line.line, entrySeq: item.seq, rule });
  };
  for (const line of ordered) {
    if (line.reference !== undefined) take(line, "reference", (item) => sameReference(item.reference, line.reference));
  }
  for (const line of ordered) {
    if (matchedLines.has(line.line)) continue;
    take(line, "amount-date", (item) => Math.abs(daysBetween(item.date, line.date)) <= toleranceDays);
  }
  return [...matchedLines.values()].sort((a, b) => a.line - b.line);
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
  if (rule === "amount-date" && Math.abs(daysBetween(item.date, line.date)) > toleranceDays) {
    return `entry ${item.seq} is dated more than ${toleranceDays} days from the line`;
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
