import {
  type ApprovalRule,
  type BookState,
  CURRENCIES,
  formatAmount,
  type Minor,
  reservedIn,
} from "@relief-ledger/core";
import { ProblemError, problemFor } from "../problem.ts";

/** The book's state, or a 404 problem when the book does not exist. */
export function requireBook(state: BookState, book: string) {
  if (!state.book) throw new ProblemError(problemFor("book-not-found", `no book ${book}`, { book }));
  return state.book;
}

/** Formats minor units in the book's currency. */
export const money = (state: BookState) => {
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  return (minor: Minor) => formatAmount(minor, currency);
};

/**
 * A fund as the API shows it: its balance, what pending proposals reserve of it, and what is
 * available to pay (balance less reserved), each as an amount string.
 */
export const fundView = (state: BookState, id: string) => {
  const fund = state.funds[id];
  if (!fund) return undefined;
  const format = money(state);
  const { balance, ...rest } = fund;
  return {
    id,
    ...rest,
    ...fundAmounts(format, balance, reservedIn(state, id)),
    currency: state.book?.currency ?? "CNY",
  };
};

/** An approval policy in the book's currency format. */
export const policyView = (state: BookState, rules: readonly ApprovalRule[]) =>
  rules.map(({ over, levels }) => ({ over: money(state)(over), levels }));

/** A fund's balance, reserved and available, formatted. */
export const fundAmounts = (format: (minor: Minor) => string, balance: Minor, reserved: Minor) => ({
  balance: format(balance),
  reserved: format(reserved),
  available: format(balance - reserved),
});

export const programView = (state: BookState, id: string) => {
  const program = state.programs[id];
  if (!program) return undefined;
  const format = money(state);
  const { budget, paid, cap, methods, approvals, ...rest } = program;
  const perYear = cap?.perBeneficiaryPerYear;
  return {
    id,
    ...rest,
    ...(methods ? { methods: [...methods] } : {}),
    // The policy its payouts are held to: its own, or the book's when it has none.
    ...(approvals
      ? { approvals: policyView(state, approvals), approvalsFrom: "programme" as const }
      : state.approvals
        ? { approvals: policyView(state, state.approvals), approvalsFrom: "book" as const }
        : {}),
    paid: format(paid),
    ...(budget !== undefined ? { budget: format(budget), remaining: format(budget - paid) } : {}),
    ...(cap
      ? {
          cap: {
            ...(cap.perPayment !== undefined ? { perPayment: format(cap.perPayment) } : {}),
            ...(perYear
              ? {
                  perBeneficiaryPerYear: {
                    ...(perYear.count !== undefined ? { count: perYear.count } : {}),
                    ...(perYear.amount !== undefined ? { amount: format(perYear.amount) } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
};
