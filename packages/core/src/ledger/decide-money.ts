import { type DomainError, domainError } from "../errors.ts";
import { JournalEvent } from "../journal-event.ts";
import { type Minor, readSignedAmount } from "../money.ts";
import {
  account,
  checkBalanced,
  decodePostings,
  encodePostings,
  fundOf,
  movement,
  type Posting,
  type StoredPosting,
} from "../postings.ts";
import { err, ok, type Result } from "../result.ts";
import { entryRef } from "./beneficiary.ts";
import type { CommandOf } from "./commands.ts";
import {
  amountIn,
  checkBusinessDate,
  checkCurrency,
  currencyOf,
  type DecideContext,
  type Decision,
  decided,
  defined,
  formatIn,
  requestAmount,
} from "./decision.ts";
import { isMoneyEvent } from "./events.ts";
import { reservedIn } from "./proposal.ts";
import type { BookInfo, BookState } from "./state.ts";

/**
 * The two rules every money entry obeys: its postings balance, and no fund it touches ends
 * below zero (TigerBeetle's debits_must_not_exceed_credits, per fund). What pending proposals
 * reserve is spoken for: a fund's available balance is its balance less its reservations.
 */
export function checkMoney(state: BookState, book: BookInfo, postings: readonly Posting[]): Result<void, DomainError> {
  const balanced = checkBalanced(postings);
  if (!balanced.ok) return balanced;
  const change = new Map<string, bigint>();
  for (const posting of postings) {
    const fundId = fundOf(posting.account);
    if (fundId === undefined) continue;
    if (!state.funds[fundId]) return err(domainError("fund-not-found", `no fund ${fundId} in this book`, { fundId }));
    change.set(fundId, (change.get(fundId) ?? 0n) + posting.amount);
  }
  for (const [fundId, delta] of change) {
    const balance = state.funds[fundId]?.balance ?? 0n;
    const reserved = reservedIn(state, fundId);
    if (balance - reserved + delta < 0n) {
      const [held, spoken, available, needed] = [
        formatIn(book, balance),
        formatIn(book, reserved),
        formatIn(book, balance - reserved),
        formatIn(book, -delta),
      ];
      const of = reserved > 0n ? `, of which ${spoken} is reserved by pending proposals (${available} available)` : "";
      return err(
        domainError("fund-overdrawn", `fund ${fundId} holds ${held}${of}; the entry needs ${needed}`, {
          fundId,
          balance: held,
          reserved: spoken,
          available,
          requested: needed,
        }),
      );
    }
  }
  return ok(undefined);
}

/**
 * Brings forward what each fund held when the book began (期初建账): once, and before any other
 * money entry, so that every balance and report after it starts from it. Dated in an open month
 * on or after the book's opening, like any entry.
 */
export function recordOpeningBalances(
  command: CommandOf<"record-opening-balances">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { asOf, memo } = command;
  if (state.openingSeq !== undefined) {
    const seq = state.openingSeq;
    return err(
      domainError("opening-balances-recorded", `the book's opening balances were brought forward in entry ${seq}`, {
        seq,
      }),
    );
  }
  // A head stored before the flag existed still shows money that moved: a balance, a payment, a
  // proposal or a closed month.
  const moved =
    state.moneyMoved === true ||
    state.closedThrough !== null ||
    Object.keys(state.pending ?? {}).length > 0 ||
    Object.values(state.funds).some((fund) => fund.balance !== 0n) ||
    Object.values(state.programs).some((program) => program.paid !== 0n);
  if (moved) {
    return err(
      domainError(
        "opening-balances-too-late",
        "money has already moved in this book: opening balances come before any other money entry",
        { asOf },
      ),
    );
  }
  const currency = checkCurrency(book, command.currency);
  if (!currency.ok) return currency;
  const date = checkBusinessDate(state, ctx, asOf);
  if (!date.ok) return date;
  const seen = new Set<string>();
  const funds: { fundId: string; amount: Minor }[] = [];
  for (const [index, { fundId, amount }] of command.funds.entries()) {
    if (!state.funds[fundId]) return err(domainError("fund-not-found", `no fund ${fundId} in this book`, { fundId }));
    if (seen.has(fundId)) {
      return err(domainError("duplicate-fund", `fund ${fundId} is listed twice`, { fundId }));
    }
    seen.add(fundId);
    const parsed = amountIn(book, amount, `funds[${index}].amount`);
    if (!parsed.ok) return parsed;
    funds.push({ fundId, amount: parsed.value });
  }
  const total = funds.reduce((sum, fund) => sum + fund.amount, 0n);
  const postings: Posting[] = [
    { account: account("equity", "brought-forward"), amount: -total },
    ...funds.map((fund) => ({ account: account("fund", fund.fundId), amount: fund.amount })),
  ];
  const checked = checkMoney(state, book, postings);
  if (!checked.ok) return checked;
  return decided([
    {
      type: "OpeningBalancesRecorded",
      occurredOn: asOf,
      payload: {
        asOf,
        funds: funds.map((fund) => ({ fundId: fund.fundId, amount: formatIn(book, fund.amount) })),
        ...defined({ memo }),
        postings: encodePostings(postings, currencyOf(book)),
      },
    },
  ]);
}

export function recordCollection(
  command: CommandOf<"record-collection">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const amount = requestAmount(book, command);
  if (!amount.ok) return amount;
  const { fundId, source, unitId, reference, memo, receivedOn } = command;
  if (!state.funds[fundId]) return err(domainError("fund-not-found", `no fund ${fundId} in this book`, { fundId }));
  if (unitId && !state.units[unitId])
    return err(domainError("unit-not-found", `no unit ${unitId} in this book`, { unitId }));
  const date = checkBusinessDate(state, ctx, receivedOn);
  if (!date.ok) return date;
  // The payer unit, when known, is the outside account the money came from; otherwise the source.
  const from = unitId ? account("unit", unitId) : account("source", source);
  const postings = movement(from, account("fund", fundId), amount.value);
  const checked = checkMoney(state, book, postings);
  if (!checked.ok) return checked;
  return decided([
    {
      type: "CollectionRecorded",
      occurredOn: receivedOn,
      payload: {
        ...defined({ fundId, source, unitId, reference, memo }),
        amount: formatIn(book, amount.value),
        postings: encodePostings(postings, currencyOf(book)),
      },
    },
  ]);
}

export function recordTransfer(
  command: CommandOf<"record-transfer">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const amount = requestAmount(book, command);
  if (!amount.ok) return amount;
  const { fromFundId, toFundId, on, memo } = command;
  if (fromFundId === toFundId)
    return err(domainError("same-fund", "a transfer needs two different funds", { fundId: fromFundId }));
  const date = checkBusinessDate(state, ctx, on);
  if (!date.ok) return date;
  const postings = movement(account("fund", fromFundId), account("fund", toFundId), amount.value);
  const checked = checkMoney(state, book, postings);
  if (!checked.ok) return checked;
  return decided([
    {
      type: "TransferRecorded",
      occurredOn: on,
      payload: {
        ...defined({ fromFundId, toFundId, memo }),
        amount: formatIn(book, amount.value),
        postings: encodePostings(postings, currencyOf(book)),
      },
    },
  ]);
}

/** The entry a reversal or return names, loaded by the store as `event/<seq>`. */
export function loadedEntry(ctx: DecideContext, seq: number): Result<JournalEvent, DomainError> {
  const raw = ctx.entities(entryRef(seq));
  if (raw === null || raw === undefined)
    return err(domainError("entry-not-found", `no entry ${seq} in this book`, { seq }));
  return ok(JournalEvent.parse(raw));
}

/**
 * An entry is undone at most once, by a reversal or a return, whichever comes first. The mark is
 * an entity (`undo/<seq>`) read before deciding and written with the undoing event; the book head's
 * condition makes the read and the write one step, so two racing undos cannot both pass.
 */
export const undoRef = (seq: number) => `undo/${seq}`;

const alreadyUndone = (ctx: DecideContext, seq: number): Result<void, DomainError> => {
  const mark = ctx.entities(undoRef(seq)) as { undoneBy?: string } | null | undefined;
  return mark
    ? err(
        domainError("entry-already-undone", `entry ${seq} was already undone (${mark.undoneBy ?? "undone"})`, { seq }),
      )
    : ok(undefined);
};

/**
 * The entry a reversal or a return undoes: it must exist, not be undone already, and be of a type
 * the undo applies to (`what` says which, in the refusal).
 */
function undoable(
  ctx: DecideContext,
  seq: number,
  accepts: (type: string) => boolean,
  what: string,
): Result<JournalEvent, DomainError> {
  const entry = loadedEntry(ctx, seq);
  if (!entry.ok) return entry;
  const undone = alreadyUndone(ctx, seq);
  if (!undone.ok) return undone;
  if (!accepts(entry.value.type)) {
    return err(
      domainError("entry-not-reversible", `entry ${seq} is a ${entry.value.type}${what}`, {
        seq,
        entryType: entry.value.type,
      }),
    );
  }
  return entry;
}

const undoMark = (seq: number, undoneBy: "reversed" | "returned", on: string) => ({
  ref: undoRef(seq),
  value: { seq, undoneBy, on },
});

const negate = (postings: readonly StoredPosting[], book: BookInfo): StoredPosting[] =>
  encodePostings(
    decodePostings(postings, currencyOf(book)).map((posting) => ({ ...posting, amount: -posting.amount })),
    currencyOf(book),
  );

export function reverseEntry(
  command: CommandOf<"reverse-entry">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const entry = undoable(ctx, command.seq, isMoneyEvent, ", not a money entry");
  if (!entry.ok) return entry;
  const original = entry.value;
  const on = command.on ?? ctx.today;
  const date = checkBusinessDate(state, ctx, on);
  if (!date.ok) return date;
  // A reversal is dated in the open period, on or after the day of what it undoes: a book entered
  // after the fact places a correction inside its own year, never before the mistake was made.
  if (on < original.occurredOn) {
    const { seq, occurredOn: entryOccurredOn } = original;
    const message = `entry ${seq} is dated ${entryOccurredOn}; its reversal cannot be dated ${on}, before it`;
    return err(domainError("reversal-before-entry", message, { seq, on, entryOccurredOn }));
  }
  const stored = original.payload.postings as StoredPosting[];
  const postings = negate(stored, book);
  const checked = checkMoney(state, book, decodePostings(postings, currencyOf(book)));
  if (!checked.ok) return checked;
  const { programId, beneficiaryId, amount } = original.payload as Record<string, string | undefined>;
  return decided(
    [
      {
        type: "EntryReversed",
        occurredOn: on,
        payload: {
          ...defined({ programId, beneficiaryId }),
          entrySeq: original.seq,
          entryType: original.type,
          entryOccurredOn: original.occurredOn,
          reason: command.reason,
          amount: amount ?? formatIn(book, readSignedAmount(stored[0]?.amount ?? "0", currencyOf(book))),
          postings,
        },
      },
    ],
    { writes: [undoMark(original.seq, "reversed", on)] },
  );
}

export function returnPayout(
  command: CommandOf<"return-payout">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const entry = undoable(ctx, command.seq, (type) => type === "PayoutRecorded", "; only a payout can be returned");
  if (!entry.ok) return entry;
  const original = entry.value;
  if (command.returnedOn < original.occurredOn) {
    return err(
      domainError("invalid-date-range", "a payout cannot come back before it was paid", {
        from: original.occurredOn,
        to: command.returnedOn,
      }),
    );
  }
  const date = checkBusinessDate(state, ctx, command.returnedOn);
  if (!date.ok) return date;
  const { programId, beneficiaryId, amount } = original.payload as Record<string, string>;
  const postings = negate(original.payload.postings as StoredPosting[], book);
  return decided(
    [
      {
        type: "PayoutReturned",
        occurredOn: command.returnedOn,
        payload: {
          entrySeq: original.seq,
          entryOccurredOn: original.occurredOn,
          reason: command.reason,
          programId: programId as string,
          beneficiaryId: beneficiaryId as string,
          amount: amount as string,
          postings,
        },
      },
    ],
    { writes: [undoMark(original.seq, "returned", command.returnedOn)] },
  );
}
