import type { CurrencyCode, Minor } from "../money.ts";

export type BookInfo = {
  readonly id: string;
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly timeZone: string;
};

export type FundState = {
  readonly name: string;
  readonly restricted: boolean;
  readonly purpose?: string;
  readonly balance: Minor;
};

/**
 * What a command is decided against: the book, its funds and their balances. It lives in the
 * book's head item, so it must stay well under DynamoDB's 400 KB item limit: per-beneficiary
 * figures (thousands of households) belong in their own items, not here.
 */
export type BookState = {
  readonly book: BookInfo | null;
  readonly funds: Readonly<Record<string, FundState>>;
};

export const initialState = (): BookState => ({ book: null, funds: {} });

type StoredFund = Omit<FundState, "balance"> & { balance: string };
type StoredState = { book: BookInfo | null; funds: Record<string, StoredFund> };

/** The head item keeps the state as JSON; bigints travel as integer strings of minor units. */
export const encodeState = (state: BookState): StoredState => ({
  book: state.book,
  funds: Object.fromEntries(
    Object.entries(state.funds).map(([id, fund]) => [id, { ...fund, balance: fund.balance.toString() }]),
  ),
});

export const decodeState = (stored: unknown): BookState => {
  const { book, funds } = stored as StoredState;
  return {
    book,
    funds: Object.fromEntries(
      Object.entries(funds).map(([id, fund]) => [id, { ...fund, balance: BigInt(fund.balance) }]),
    ),
  };
};
