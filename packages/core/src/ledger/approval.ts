import type { DomainError } from "../errors.ts";
import { CURRENCIES, type CurrencyCode, type Minor, readSignedAmount } from "../money.ts";
import { ok, type Result } from "../result.ts";
import { amountIn, formatIn } from "./decision.ts";
import type { ApprovalPolicy } from "./events.ts";
import type { ApprovalRule, BookInfo, BookState } from "./state.ts";

/**
 * A policy as the caller sent it, read with the book's currency and written in its format. A
 * threshold of zero is a rule like any other ("every payout needs one approval"), so zero is
 * allowed where an entry's amount would be refused.
 */
export function policyIn(
  book: BookInfo,
  rules: readonly { readonly over: string; readonly levels: number }[],
  field: string,
): Result<ApprovalPolicy, DomainError> {
  const policy: ApprovalPolicy = [];
  for (const [index, rule] of rules.entries()) {
    const over = amountIn(book, rule.over, `${field}.${index}.over`);
    if (!over.ok && !("reason" in over.error && over.error.reason === "not-positive")) return over;
    policy.push({ over: formatIn(book, over.ok ? over.value : 0n), levels: rule.levels });
  }
  return ok(policy);
}

/** A stored policy as the head keeps it, in minor units. */
export const readPolicy = (policy: ApprovalPolicy, currency: CurrencyCode): ApprovalRule[] =>
  policy.map(({ over, levels }) => ({ over: readSignedAmount(over, CURRENCIES[currency]), levels }));

/** How many approvals an amount needs: the most any rule it passes asks for, none when it passes none. */
export const needsFor = (rules: readonly ApprovalRule[] | undefined, amount: Minor): number =>
  (rules ?? []).reduce((needs, rule) => (amount > rule.over && rule.levels > needs ? rule.levels : needs), 0);

/**
 * The policy a programme's payouts and batches are held to: its own when it has one (an empty one
 * holds nothing), else the book's as it is now.
 */
export const programPolicy = (state: BookState, programId: string): readonly ApprovalRule[] | undefined =>
  state.programs[programId]?.approvals ?? state.approvals;
