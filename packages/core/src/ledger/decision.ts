import type { Json, JsonObject } from "../canonical.ts";
import { type DomainError, domainError } from "../errors.ts";
import type { Actor, EventDraft } from "../journal-event.ts";
import { CURRENCIES, type Currency, formatAmount, type Minor, parseAmount } from "../money.ts";
import { err, ok, type Result } from "../result.ts";
import type { BookInfo, BookState } from "./state.ts";

/**
 * What decide may look at besides the book state: entities loaded for it by the store (a
 * beneficiary's record, an earlier journal entry), the book's id, who asks, today's date in the
 * book's time zone and the seq of the journal's last entry. `entities` answers undefined for a ref that
 * was not loaded, null for one that does not exist; decide throws when a command looks at one it
 * did not ask to load (readsOf).
 */
export type DecideContext = {
  readonly book: string;
  /** Who asks: a proposal names its proposer, and nobody approves their own. */
  readonly actor: Actor;
  readonly today: string;
  /** The journal has no gaps, so entries 1…headSeq exist and no others: no read needed to know. */
  readonly headSeq: number;
  readonly entities: (ref: string) => Json | null | undefined;
};

/** A value to make unique in the book; the store writes it with its events, on the condition it is new. */
export type ClaimRequest = {
  readonly kind: string;
  readonly value: string;
  readonly owner: string;
  readonly onTaken: (existingOwner: string) => DomainError;
};

/** An entity item to rewrite with the events (a beneficiary's record). */
export type EntityWrite = { readonly ref: string; readonly value: Json };

export type Decided = {
  readonly events: readonly EventDraft[];
  readonly writes: readonly EntityWrite[];
  readonly claims: readonly ClaimRequest[];
  /**
   * Set when the events are to be recorded and yet the caller answered with this refusal: the
   * approval that completes a policy re-checks the entry, and one refused then is voided (the
   * void is recorded) while the approver hears why it was not posted.
   */
  readonly answer?: DomainError;
};

export type Decision = Result<Decided, DomainError>;

export const decided = (events: readonly EventDraft[], extra: Partial<Omit<Decided, "events">> = {}): Decision =>
  ok({ events, writes: extra.writes ?? [], claims: extra.claims ?? [] });

export const currencyOf = (book: BookInfo): Currency => CURRENCIES[book.currency];

/** Parses a request amount, naming the field when it is refused. */
export const amountIn = (book: BookInfo, text: string, field = "amount"): Result<Minor, DomainError> => {
  const parsed = parseAmount(text, currencyOf(book));
  return parsed.ok ? parsed : err({ ...parsed.error, field });
};

export const formatIn = (book: BookInfo, minor: Minor): string => formatAmount(minor, currencyOf(book));

/** An optional amount (a budget, a cap, an amount in question), parsed like any other and written in the book's format. */
export const optionalAmount = (
  book: BookInfo,
  text: string | undefined,
  field: string,
): Result<string | undefined, DomainError> => {
  if (text === undefined) return ok(undefined);
  const parsed = amountIn(book, text, field);
  return parsed.ok ? ok(formatIn(book, parsed.value)) : parsed;
};

/** A money request's amount, in the currency it may name, which must be the book's. */
export const requestAmount = (
  book: BookInfo,
  request: { amount: string; currency?: string },
): Result<Minor, DomainError> => {
  const currency = checkCurrency(book, request.currency);
  return currency.ok ? amountIn(book, request.amount) : currency;
};

/** A money request may name its currency; it must be the book's. */
export const checkCurrency = (book: BookInfo, currency: string | undefined): Result<void, DomainError> =>
  currency === undefined || currency === book.currency
    ? ok(undefined)
    : err(
        domainError("currency-mismatch", `this book keeps ${book.currency}, not ${currency}`, {
          currency,
          bookCurrency: book.currency,
        }),
      );

/** The last day of a period, YYYY-MM-DD. */
export const endOfPeriod = (period: string): string => {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(last).padStart(2, "0")}`;
};

/**
 * No entry is dated before the book begins: the first month to close is the book's first with an
 * entry, so one payout dated 1900-01-01 would have the monthly close start in 1900. Books opened
 * before BookOpened carried its date (no openedOn) are not held to it.
 */
export const checkOpened = (state: BookState, on: string): Result<void, DomainError> => {
  const openedOn = state.book?.openedOn;
  return openedOn !== undefined && on < openedOn
    ? err(domainError("before-book-opened", `${on} is before the book was opened (${openedOn})`, { on, openedOn }))
    : ok(undefined);
};

/**
 * A business date must lie in an open period (after the last closed month), not before the book
 * was opened and not after today: a correction to a closed month is dated in the open period,
 * referencing what it corrects.
 */
export const checkBusinessDate = (state: BookState, ctx: DecideContext, on: string): Result<void, DomainError> => {
  const opened = checkOpened(state, on);
  if (!opened.ok) return opened;
  if (state.closedThrough && on <= endOfPeriod(state.closedThrough)) {
    return err(
      domainError("period-closed", `${on} lies in a closed period (closed through ${state.closedThrough})`, {
        on,
        closedThrough: state.closedThrough,
      }),
    );
  }
  if (on > ctx.today) {
    return err(
      domainError("future-date", `${on} is after today (${ctx.today}) in the book's time zone`, {
        on,
        today: ctx.today,
      }),
    );
  }
  return ok(undefined);
};

/** Drops undefined members, so that optional fields are absent from payloads, not null. */
export const defined = <T extends Record<string, unknown>>(fields: T): JsonObject =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as JsonObject;
