import { z } from "zod";
import { type Currency, formatAmount, type Minor, readSignedAmount } from "../money.ts";
import { StoredPosting } from "../postings.ts";

/**
 * What a list of journal entries (an auditor's filtered list) moved: how many entries it holds,
 * and the money that came into and went out of the union's funds through them.
 *
 * Each entry counts by its own net effect on the funds, read from its postings: the sum of its
 * postings to fund accounts (to every fund of the book, or only to `fund:<fundId>` when the list
 * is of one fund). A positive effect is money in, a negative one money out. So a collection is
 * in, a payout out; a reversal or a return is the opposite of what it undoes (a reversed payout
 * comes back in); a transfer between two funds is neither for the book (its postings cancel) and
 * out of one fund and into the other when the list is of a fund. The net is in − out: the change
 * the listed entries made to the balance (of the fund, or of all funds), so the totals of a
 * fund's whole journal are its balance. Entries without postings (registrations, audits) count
 * only in `count`.
 */
export type EntryTotals = { readonly count: number; readonly in: Minor; readonly out: Minor };

export const NO_TOTALS: EntryTotals = { count: 0, in: 0n, out: 0n };

const Postings = z.array(StoredPosting);

/** An entry's net effect on the funds (or on one fund), in minor units. */
export function fundEffect(payload: Readonly<Record<string, unknown>>, currency: Currency, fundId?: string): Minor {
  const postings = Postings.safeParse(payload.postings ?? []);
  if (!postings.success) return 0n;
  let effect = 0n;
  for (const posting of postings.data) {
    const counts = fundId === undefined ? posting.account.startsWith("fund:") : posting.account === `fund:${fundId}`;
    if (counts) effect += readSignedAmount(posting.amount, currency);
  }
  return effect;
}

/** The totals with one more entry in the list. */
export function addToTotals(
  totals: EntryTotals,
  entry: { readonly payload: Readonly<Record<string, unknown>> },
  currency: Currency,
  fundId?: string,
): EntryTotals {
  const effect = fundEffect(entry.payload, currency, fundId);
  return {
    count: totals.count + 1,
    in: effect > 0n ? totals.in + effect : totals.in,
    out: effect < 0n ? totals.out - effect : totals.out,
  };
}

/** The totals as the API gives them: money as decimal strings in the book's currency. */
export const formatTotals = (totals: EntryTotals, currency: Currency) => ({
  count: totals.count,
  amounts: {
    in: formatAmount(totals.in, currency),
    out: formatAmount(totals.out, currency),
    net: formatAmount(totals.in - totals.out, currency),
  },
});
