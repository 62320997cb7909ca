/**
 * Periods (YYYY-MM) as numbers. A period's text sorts like its month only while every year has
 * four digits: "10000-01" sorts before "9999-12", so a month loop that stepped and compared text
 * ran on past 9999-12 for ever and hung the API. Every step and comparison of periods goes
 * through a month index instead: year × 12 + (month − 1).
 */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The last month index YYYY-MM can write: 9999-12. */
const LAST_INDEX = 9999 * 12 + 11;

/**
 * What a request may ask of the ledger's calendar. Years 1900 through 2200: the federation's
 * records are of the 20th and 21st centuries (the seed is a 2010 summary), so a year outside them
 * is a typo or a probe (9999-12), never a book. A range is at most 600 months (50 years): more
 * than any report of a union's funds compares, and few enough that folding every month of it is
 * quick.
 */
export const PERIOD_BOUNDS = { firstYear: 1900, lastYear: 2200, maxMonths: 600 } as const;

/** The month index of a period, or undefined when it is not written YYYY-MM. */
export const parsePeriod = (text: string): number | undefined => {
  const match = PERIOD.exec(text);
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : undefined;
};

/** The month index of a period. Throws on anything else: input is parsed before it gets here. */
export const monthIndex = (period: string): number => {
  const index = parsePeriod(period);
  if (index === undefined) throw new RangeError(`not a period written YYYY-MM: ${period.slice(0, 16)}`);
  return index;
};

/** The period of a month index. Throws past 9999-12 (or before 0000-01): YYYY-MM cannot write it. */
export const periodAt = (index: number): string => {
  if (!Number.isSafeInteger(index) || index < 0 || index > LAST_INDEX) {
    throw new RangeError(`no period YYYY-MM has month index ${index}`);
  }
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
};

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export const comparePeriods = (a: string, b: string): number => monthIndex(a) - monthIndex(b);

/** The month after a period. */
export const nextPeriod = (period: string): string => periodAt(monthIndex(period) + 1);

/** The month before a period. */
export const previousPeriod = (period: string): string => periodAt(monthIndex(period) - 1);

/** How many months `to` lies after `from`: 0 for the same month, negative when it is before. */
export const monthsFrom = (from: string, to: string): number => monthIndex(to) - monthIndex(from);

/** Every period from `from` through `to`, oldest first; none when `to` is before `from`. */
export const periodsThrough = (from: string, to: string): string[] => {
  const [first, last] = [monthIndex(from), monthIndex(to)];
  return Array.from({ length: Math.max(last - first + 1, 0) }, (_, offset) => periodAt(first + offset));
};

/** Whether a year lies within PERIOD_BOUNDS. */
export const yearInBounds = (year: number): boolean =>
  Number.isInteger(year) && year >= PERIOD_BOUNDS.firstYear && year <= PERIOD_BOUNDS.lastYear;

/** Whether a period is YYYY-MM and its year lies within PERIOD_BOUNDS. */
export const periodInBounds = (period: string): boolean =>
  parsePeriod(period) !== undefined && yearInBounds(Number(period.slice(0, 4)));

/** The end of a range a request names: its query parameter. */
type RangeEnd = "from" | "to";

export type PeriodRangeError = { readonly field: RangeEnd; readonly message: string };

/**
 * Why a range of periods (from ≤ to) cannot be asked for, or undefined when it can: each end
 * within PERIOD_BOUNDS, and no more than PERIOD_BOUNDS.maxMonths months from first to last.
 */
export function checkPeriodRange(from: string, to: string): PeriodRangeError | undefined {
  const { firstYear, lastYear, maxMonths } = PERIOD_BOUNDS;
  const bounds = `a month from ${firstYear}-01 through ${lastYear}-12`;
  if (!periodInBounds(from)) return { field: "from", message: `must be ${bounds}; ${from.slice(0, 16)} is not` };
  if (!periodInBounds(to)) return { field: "to", message: `must be ${bounds}; ${to.slice(0, 16)} is not` };
  const months = monthsFrom(from, to) + 1;
  if (months > maxMonths) {
    return { field: "to", message: `a range spans at most ${maxMonths} months; ${from} to ${to} is ${months}` };
  }
  return undefined;
}
