import { z } from "zod";
import { type Currency, formatAmount, type Minor, readSignedAmount } from "./money.ts";
import { err, ok, type Result } from "./result.ts";

/**
 * Double entry. A money event carries postings whose amounts sum to zero: money into an
 * account is positive, money out of it negative. Fund accounts are the union's own money and
 * may never go below zero; source, beneficiary and unit accounts are the outside world and
 * only record where money came from or went. The one equity account, `equity:brought-forward`,
 * is where a book's opening balances come from (期初余额): what the funds held before the book began.
 */
export type AccountKind = "fund" | "source" | "beneficiary" | "unit" | "equity";
export type Account = `${AccountKind}:${string}`;

export const account = (kind: AccountKind, id: string): Account => `${kind}:${id}`;

export type Posting = { readonly account: Account; readonly amount: Minor };

export const StoredPosting = z.strictObject({
  account: z.string().regex(/^(fund|source|beneficiary|unit|equity):[a-z0-9][a-z0-9-]*$/),
  amount: z.string(),
});
export type StoredPosting = z.infer<typeof StoredPosting>;

export type UnbalancedPostings = { readonly code: "unbalanced-postings"; readonly message: string };

export function checkBalanced(postings: readonly Posting[]): Result<readonly Posting[], UnbalancedPostings> {
  if (postings.length < 2) {
    return err({ code: "unbalanced-postings", message: "a money entry needs at least two postings" });
  }
  let total = 0n;
  for (const posting of postings) {
    if (posting.amount === 0n) {
      return err({ code: "unbalanced-postings", message: `posting to ${posting.account} is zero` });
    }
    total += posting.amount;
  }
  if (total !== 0n) {
    return err({ code: "unbalanced-postings", message: `postings sum to ${total} minor units, not zero` });
  }
  return ok(postings);
}

/** Money moving `amount` from one account to another, as a balanced pair. */
export const movement = (from: Account, to: Account, amount: Minor): Posting[] => [
  { account: from, amount: -amount },
  { account: to, amount },
];

export const encodePostings = (postings: readonly Posting[], currency: Currency): StoredPosting[] =>
  postings.map((posting) => ({ account: posting.account, amount: formatAmount(posting.amount, currency) }));

export const decodePostings = (stored: readonly StoredPosting[], currency: Currency): Posting[] =>
  stored.map((posting) => ({
    account: posting.account as Account,
    amount: readSignedAmount(posting.amount, currency),
  }));

export const fundOf = (account: Account): string | undefined =>
  account.startsWith("fund:") ? account.slice("fund:".length) : undefined;
