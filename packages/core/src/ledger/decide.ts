import type { DomainError } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { CURRENCIES, type Currency, formatAmount, parseAmount } from "../money.ts";
import { account, checkBalanced, encodePostings, fundOf, movement, type Posting } from "../postings.ts";
import { err, ok, type Result } from "../result.ts";
import type { Command } from "./commands.ts";
import type { BookInfo, BookState } from "./state.ts";

export type Decision = Result<EventDraft[], DomainError>;

/** Decides which events a command produces against the current state, or why it is refused. */
export function decide(command: Command, state: BookState, bookId: string): Decision {
  if (command.type === "open-book") {
    if (state.book) return err({ code: "book-exists", message: `book ${bookId} already exists`, book: bookId });
    const { name, currency, timeZone, on } = command;
    return ok([{ type: "BookOpened", occurredOn: on, payload: { name, currency, timeZone } }]);
  }
  const book = state.book;
  if (!book) return err({ code: "book-not-found", message: `no book ${bookId}`, book: bookId });

  switch (command.type) {
    case "open-fund": {
      const { fundId, name, restricted, purpose, on } = command;
      if (state.funds[fundId]) {
        return err({ code: "fund-exists", message: `fund ${fundId} already exists`, fundId });
      }
      return ok([{ type: "FundOpened", occurredOn: on, payload: { fundId, name, restricted, ...opt({ purpose }) } }]);
    }
    case "record-collection": {
      const currency = CURRENCIES[book.currency];
      const amount = parseAmount(command.amount, currency);
      if (!amount.ok) return err({ ...amount.error, field: "amount" });
      if (!state.funds[command.fundId]) return fundNotFound(command.fundId);
      const postings = movement(account("source", command.source), account("fund", command.fundId), amount.value);
      const checked = checkMoney(state, book, postings);
      if (!checked.ok) return checked;
      const { fundId, source, unitId, reference, memo } = command;
      return ok([
        {
          type: "CollectionRecorded",
          occurredOn: command.receivedOn,
          payload: {
            fundId,
            source,
            amount: formatAmount(amount.value, currency),
            ...opt({ unitId, reference, memo }),
            postings: encodePostings(postings, currency),
          },
        },
      ]);
    }
  }
}

const fundNotFound = (fundId: string): Decision =>
  err({ code: "fund-not-found", message: `no fund ${fundId} in this book`, fundId });

/**
 * The two rules every money entry obeys: its postings balance, and no fund it touches ends
 * below zero (TigerBeetle's debits_must_not_exceed_credits, per fund).
 */
export function checkMoney(state: BookState, book: BookInfo, postings: readonly Posting[]): Result<void, DomainError> {
  const balanced = checkBalanced(postings);
  if (!balanced.ok) return balanced;
  const currency: Currency = CURRENCIES[book.currency];
  const change = new Map<string, bigint>();
  for (const posting of postings) {
    const fundId = fundOf(posting.account);
    if (fundId === undefined) continue;
    if (!state.funds[fundId]) return err({ code: "fund-not-found", message: `no fund ${fundId} in this book`, fundId });
    change.set(fundId, (change.get(fundId) ?? 0n) + posting.amount);
  }
  for (const [fundId, delta] of change) {
    const balance = state.funds[fundId]?.balance ?? 0n;
    if (balance + delta < 0n) {
      return err({
        code: "fund-overdrawn",
        message: `fund ${fundId} holds ${formatAmount(balance, currency)}, the entry needs ${formatAmount(-delta, currency)}`,
        fundId,
        balance: formatAmount(balance, currency),
        requested: formatAmount(-delta, currency),
      });
    }
  }
  return ok(undefined);
}

/** Drops undefined members, so that optional fields are absent from payloads, not null. */
const opt = <T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
