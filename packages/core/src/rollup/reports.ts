import { CURRENCIES, type CurrencyCode, formatAmount, type Minor, readSignedAmount } from "../money.ts";
import { comparePeriods } from "../period.ts";
import type { Rollup } from "./rollup.ts";
import { add, type FundMovements, noMovements, noPayments, type ProgramTally, type Tally } from "./tallies.ts";

/**
 * Reports over a range of months, combined from monthly rollups: sums add, openings come from the
 * first month and closings from the last, and distinct beneficiaries are a union of the months'
 * sets, never a sum.
 */
export type ProgrammeLine = {
  programId: string;
  name: string;
  fundId: string;
  /** Paid net of reversals and returns, and the payments counted the same way (person-times). */
  amount: string;
  personTimes: number;
  distinctBeneficiaries: number;
  averagePerPayout: string | null;
  budget: string | null;
  executionPercent: string | null;
  gross: { amount: string; payments: number };
  reversed: { count: number; amount: string };
  returned: { count: number; amount: string };
};

export type FundLine = {
  fundId: string;
  name: string;
  opening: string;
  collections: Record<string, string>;
  collected: string;
  payouts: Record<string, string>;
  paidOut: string;
  transfersIn: string;
  transfersOut: string;
  returns: string;
  reversals: string;
  closing: string;
  /** What proposals pending at the range's end reserve of the fund ("0.00" when none), and the rest. */
  reserved: string;
  available: string;
};

export type Names = {
  readonly funds: Readonly<Record<string, { readonly name: string }>>;
  readonly programs: Readonly<
    Record<string, { readonly name: string; readonly fundId: string; readonly budget?: Minor }>
  >;
  readonly units: Readonly<Record<string, { readonly name: string }>>;
};

const sumInto = (target: Tally, source: Record<string, string>, read: (text: string) => Minor) => {
  for (const [key, value] of Object.entries(source)) add(target, key, read(value));
};

export function combine(rollups: readonly Rollup[], currency: CurrencyCode) {
  const unit = CURRENCIES[currency];
  const read = (text: string) => readSignedAmount(text, unit);
  const format = (minor: Minor) => formatAmount(minor, unit);
  const ordered = [...rollups].sort((a, b) => comparePeriods(a.period, b.period));

  type FundTally = FundMovements & { opening?: Minor; closing: Minor; reserved: Minor };
  const funds = new Map<string, FundTally>();
  const programs = new Map<string, ProgramTally>();
  const bySource = new Map<string, Minor>();
  const byUnit = new Map<string, Minor>();
  for (const rollup of ordered) {
    for (const [id, figures] of Object.entries(rollup.funds)) {
      const tally: FundTally = funds.get(id) ?? { ...noMovements(), closing: 0n, reserved: 0n };
      tally.opening ??= read(figures.opening);
      // What the book brought forward opens the range: no money moved in the book before it.
      if (figures.broughtForward !== undefined) tally.opening += read(figures.broughtForward);
      // Closing and reserved are the last month's: where the range ends.
      tally.closing = read(figures.closing);
      tally.reserved = figures.reserved === undefined ? 0n : read(figures.reserved);
      sumInto(tally.collections, figures.collections, read);
      sumInto(tally.payouts, figures.payouts, read);
      tally.transfersIn += read(figures.transfersIn);
      tally.transfersOut += read(figures.transfersOut);
      tally.returns += read(figures.returns);
      tally.reversals += read(figures.reversals);
      funds.set(id, tally);
    }
    for (const [id, figures] of Object.entries(rollup.programs)) {
      const tally = programs.get(id) ?? noPayments(figures.fundId);
      tally.paid += read(figures.paid);
      tally.payments += figures.payments;
      for (const id of figures.beneficiaries) tally.beneficiaries.add(id);
      tally.reversed = [tally.reversed[0] + figures.reversed.count, tally.reversed[1] + read(figures.reversed.amount)];
      tally.returned = [tally.returned[0] + figures.returned.count, tally.returned[1] + read(figures.returned.amount)];
      programs.set(id, tally);
    }
    sumInto(bySource, rollup.collections.bySource, read);
    sumInto(byUnit, rollup.collections.byUnit, read);
  }
  return { ordered, funds, programs, bySource, byUnit, read, format };
}

const sortedRecord = (map: Map<string, Minor>, format: (minor: Minor) => string) =>
  Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => [key, format(value)]));

const total = (map: Map<string, Minor>) => [...map.values()].reduce((a, b) => a + b, 0n);

export function programmesReport(rollups: readonly Rollup[], currency: CurrencyCode, names: Names): ProgrammeLine[] {
  const { programs, format } = combine(rollups, currency);
  const ids = [...new Set([...Object.keys(names.programs), ...programs.keys()])].sort();
  return ids.map((programId) => {
    const tally = programs.get(programId) ?? noPayments(names.programs[programId]?.fundId ?? "");
    const net = tally.paid - tally.reversed[1] - tally.returned[1];
    const personTimes = tally.payments - tally.reversed[0] - tally.returned[0];
    const budget = names.programs[programId]?.budget;
    return {
      programId,
      name: names.programs[programId]?.name ?? programId,
      fundId: tally.fundId,
      amount: format(net),
      personTimes,
      distinctBeneficiaries: tally.beneficiaries.size,
      averagePerPayout: personTimes > 0 ? format(divideRounded(net, BigInt(personTimes))) : null,
      budget: budget === undefined ? null : format(budget),
      executionPercent: budget ? percent(net, budget) : null,
      gross: { amount: format(tally.paid), payments: tally.payments },
      reversed: { count: tally.reversed[0], amount: format(tally.reversed[1]) },
      returned: { count: tally.returned[0], amount: format(tally.returned[1]) },
    };
  });
}

/** `n / d` rounded to the nearest integer, halves away from zero (so -0.5 is -1, as 0.5 is 1). */
export const divideRounded = (n: bigint, d: bigint): bigint => {
  const negative = n < 0n !== d < 0n;
  const [size, by] = [n < 0n ? -n : n, d < 0n ? -d : d];
  const rounded = (size * 2n + by) / (by * 2n);
  return negative ? -rounded : rounded;
};

/** A percentage with two decimals, rounded half away from zero, computed in integers. */
export const percent = (part: Minor, whole: Minor): string => {
  const basisPoints = divideRounded(part * 10_000n, whole);
  const sign = basisPoints < 0n ? "-" : "";
  const magnitude = basisPoints < 0n ? -basisPoints : basisPoints;
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, "0")}`;
};

export function fundsReport(rollups: readonly Rollup[], currency: CurrencyCode, names: Names): FundLine[] {
  const { funds, format } = combine(rollups, currency);
  return [...funds]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([fundId, tally]) => ({
      fundId,
      name: names.funds[fundId]?.name ?? fundId,
      opening: format(tally.opening ?? 0n),
      collections: sortedRecord(tally.collections, format),
      collected: format(total(tally.collections)),
      payouts: sortedRecord(tally.payouts, format),
      paidOut: format(total(tally.payouts)),
      transfersIn: format(tally.transfersIn),
      transfersOut: format(tally.transfersOut),
      returns: format(tally.returns),
      reversals: format(tally.reversals),
      closing: format(tally.closing),
      reserved: format(tally.reserved),
      available: format(tally.closing - tally.reserved),
    }));
}

export function collectionsReport(rollups: readonly Rollup[], currency: CurrencyCode, names: Names) {
  const { bySource, byUnit, format } = combine(rollups, currency);
  return {
    total: format(total(bySource)),
    bySource: sortedRecord(bySource, format),
    byUnit: [...byUnit]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([unitId, amount]) => ({
        unitId: unitId || null,
        name: unitId ? (names.units[unitId]?.name ?? unitId) : null,
        amount: format(amount),
      })),
  };
}

/** Audit figures of the months: what happened in them (the findings' present status comes from their records). */
export function auditActivity(rollups: readonly Rollup[], currency: CurrencyCode) {
  const { read, format } = combine([], currency);
  const counts = (key: "findingsByCategory" | "findingsBySeverity" | "findingsResolved") => {
    const map = new Map<string, number>();
    for (const rollup of rollups)
      for (const [k, v] of Object.entries(rollup.audit[key])) map.set(k, (map.get(k) ?? 0) + v);
    return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  const sum = (key: "amountInQuestion" | "amountRecovered" | "amountReclassified") =>
    format(rollups.reduce((acc, rollup) => acc + read(rollup.audit[key]), 0n));
  return {
    auditsStarted: rollups.reduce((acc, rollup) => acc + rollup.audit.auditsStarted, 0),
    auditsCompleted: rollups.flatMap((rollup) => rollup.audit.auditsCompleted).sort(),
    findingsOpened: rollups.reduce((acc, rollup) => acc + rollup.audit.findingsOpened, 0),
    findingsByCategory: counts("findingsByCategory"),
    findingsBySeverity: counts("findingsBySeverity"),
    findingsResolved: counts("findingsResolved"),
    amountInQuestion: sum("amountInQuestion"),
    amountRecovered: sum("amountRecovered"),
    amountReclassified: sum("amountReclassified"),
  };
}
