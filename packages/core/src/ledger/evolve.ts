import type { JournalEvent } from "../journal-event.ts";
import { CURRENCIES } from "../money.ts";
import { decodePostings, fundOf, type Posting, type StoredPosting } from "../postings.ts";
import { BookOpened, FundOpened } from "./events.ts";
import type { BookState, FundState } from "./state.ts";

/** Applies one recorded event to the state. Pure; unknown event types leave the state alone. */
export function evolve(state: BookState, event: JournalEvent): BookState {
  switch (event.type) {
    case "BookOpened": {
      const opened = BookOpened.parse(event.payload);
      return { ...state, book: { id: event.book, ...opened } };
    }
    case "FundOpened": {
      const { fundId, ...fund } = FundOpened.parse(event.payload);
      return { ...state, funds: { ...state.funds, [fundId]: { ...fund, balance: 0n } } };
    }
    default: {
      const stored = event.payload.postings as StoredPosting[] | undefined;
      if (!stored || !state.book) return state;
      return applyPostings(state, decodePostings(stored, CURRENCIES[state.book.currency]));
    }
  }
}

/** Adds postings to the fund balances they touch. */
export function applyPostings(state: BookState, postings: readonly Posting[]): BookState {
  const funds: Record<string, FundState> = { ...state.funds };
  for (const posting of postings) {
    const fundId = fundOf(posting.account);
    const fund = fundId === undefined ? undefined : funds[fundId];
    if (fundId !== undefined && fund) funds[fundId] = { ...fund, balance: fund.balance + posting.amount };
  }
  return { ...state, funds };
}
