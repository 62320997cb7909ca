import type { Minor } from "../money.ts";

/**
 * The running sums a month's fold and a range report both keep, so that a month folded from
 * events and months combined from rollups count the same things the same way.
 */
export type Tally = Map<string, Minor>;

export const add = (tally: Tally, key: string, amount: Minor) => tally.set(key, (tally.get(key) ?? 0n) + amount);

/** What moved through a fund: collections and payouts by key, and the four other movements. */
export type FundMovements = {
  collections: Tally;
  payouts: Tally;
  transfersIn: Minor;
  transfersOut: Minor;
  returns: Minor;
  reversals: Minor;
};

export const noMovements = (): FundMovements => ({
  collections: new Map(),
  payouts: new Map(),
  transfersIn: 0n,
  transfersOut: 0n,
  returns: 0n,
  reversals: 0n,
});

/** A programme's payouts: gross amount and count, who was paid, and what was undone ([count, amount]). */
export type ProgramTally = {
  fundId: string;
  paid: Minor;
  payments: number;
  beneficiaries: Set<string>;
  reversed: [number, Minor];
  returned: [number, Minor];
};

export const noPayments = (fundId: string): ProgramTally => ({
  fundId,
  paid: 0n,
  payments: 0,
  beneficiaries: new Set(),
  reversed: [0, 0n],
  returned: [0, 0n],
});
