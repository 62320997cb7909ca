import { endOfPeriod } from "../ledger/decision.ts";
import { type Currency, formatAmount, type Minor, readSignedAmount, sumMinor } from "../money.ts";
import type { BookItem } from "./match.ts";
import type { MatchState, StatementRecord, StoredLine } from "./statement.ts";

/**
 * The bank reconciliation of a fund's month (银行存款余额调节表): the bank's closing balance and
 * the book's, and the items that explain the difference, on the classic two sides:
 *
 *   银行对账单余额 + 企收银未收 − 企付银未付  =  银行存款日记账余额 + 银收企未收 − 银付企未付
 *   bank balance  + book receipts − book payments  =  book balance + bank receipts − bank payments
 *   (not yet in the bank)                             (not yet in the book)
 *
 * In the bank, not in the book: the statement's lines left unmatched, and those matched to an entry
 * the book dated after the month. In the book, not in the bank: the fund's entries dated in the
 * month that no line of the month (nor of the month before, within the tolerance) matched; one
 * matched by next month's statement is such an item today. The two adjusted balances agree when
 * the items explain the whole difference (`balanced`).
 */

export type BankSideItem = {
  readonly line: number;
  readonly date: string;
  readonly amount: string;
  readonly direction: "in" | "out";
  readonly counterparty?: string;
  readonly reference?: string;
  /** Matched to an entry the book dated after the month. */
  readonly entrySeq?: number;
};

export type BookSideItem = {
  readonly entrySeq: number;
  readonly date: string;
  readonly amount: string;
  readonly direction: "in" | "out";
  readonly type: string;
  readonly reference?: string;
  /** Matched by a line of a later month's statement. */
  readonly clearedIn?: string;
};

export type Side<T> = {
  readonly receipts: readonly T[];
  readonly payments: readonly T[];
  readonly totalReceipts: string;
  readonly totalPayments: string;
};

export type ReconciliationMatch = MatchState & {
  readonly status: "matched" | "confirmed";
  readonly date: string;
  readonly amount: string;
  readonly direction: "in" | "out";
  readonly entryDate?: string;
};

export type Reconciliation = {
  readonly fundId: string;
  readonly period: string;
  readonly statementHash: string;
  readonly toleranceDays: number;
  readonly bank: { readonly opening: string; readonly closing: string };
  readonly book: { readonly opening: string; readonly closing: string };
  readonly bankNotInBook: Side<BankSideItem>;
  readonly bookNotInBank: Side<BookSideItem>;
  readonly adjusted: { readonly bank: string; readonly book: string };
  /** Adjusted bank less adjusted book: zero when balanced. */
  readonly difference: string;
  readonly balanced: boolean;
  readonly matches: readonly ReconciliationMatch[];
  readonly undone: StatementRecord["undone"];
};

export type ReconcileInput = {
  readonly currency: Currency;
  readonly statement: StatementRecord;
  readonly lines: readonly StoredLine[];
  /** The fund's book items dated from the tolerance before the month to the tolerance after it. */
  readonly items: readonly BookItem[];
  /** The fund's balance at the start and at the end of the month (the month's rollup). */
  readonly bookOpening: Minor;
  readonly bookClosing: Minor;
  /** Entries matched by the statement of the month before, and by the month after, by seq. */
  readonly matchedBefore: ReadonlySet<number>;
  readonly matchedAfter: ReadonlyMap<number, string>;
};

export function reconcile(input: ReconcileInput): Reconciliation {
  const { currency, statement, lines, items } = input;
  const format = (minor: Minor) => formatAmount(minor, currency);
  const amountOf = (text: string) => readSignedAmount(text, currency);
  const last = endOfPeriod(statement.period);
  const first = `${statement.period}-01`;
  const itemBySeq = new Map(items.map((item) => [item.seq, item]));
  const matchByLine = new Map(statement.matches.map((match) => [match.line, match]));
  const matchedSeqs = new Set(statement.matches.map((match) => match.entrySeq));

  const bankItems: BankSideItem[] = [];
  const matches: ReconciliationMatch[] = [];
  for (const line of lines) {
    const match = matchByLine.get(line.line);
    const entry = match ? itemBySeq.get(match.entrySeq) : undefined;
    if (match) {
      matches.push({
        ...match,
        status: match.confirmedSeq === undefined ? "matched" : "confirmed",
        date: line.date,
        amount: line.amount,
        direction: line.direction,
        ...(entry ? { entryDate: entry.date } : {}),
      });
    }
    if (match && !(entry && entry.date > last)) continue;
    bankItems.push({
      line: line.line,
      date: line.date,
      amount: line.amount,
      direction: line.direction,
      ...(line.counterparty !== undefined ? { counterparty: line.counterparty } : {}),
      ...(line.reference !== undefined ? { reference: line.reference } : {}),
      ...(match ? { entrySeq: match.entrySeq } : {}),
    });
  }

  const bookItems: BookSideItem[] = items
    .filter((item) => item.date >= first && item.date <= last)
    .filter((item) => !matchedSeqs.has(item.seq) && !input.matchedBefore.has(item.seq))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq))
    .map((item) => {
      const clearedIn = input.matchedAfter.get(item.seq);
      return {
        entrySeq: item.seq,
        date: item.date,
        amount: format(item.amount),
        direction: item.direction,
        type: item.type,
        ...(item.reference !== undefined ? { reference: item.reference } : {}),
        ...(clearedIn !== undefined ? { clearedIn } : {}),
      };
    });

  const bankSide = side(bankItems, amountOf, format);
  const bookSide = side(bookItems, amountOf, format);
  const bankClosing = amountOf(statement.closingBalance);
  const adjustedBank = bankClosing + bookSide.receiptsMinor - bookSide.paymentsMinor;
  const adjustedBook = input.bookClosing + bankSide.receiptsMinor - bankSide.paymentsMinor;
  return {
    fundId: statement.fundId,
    period: statement.period,
    statementHash: statement.statementHash,
    toleranceDays: statement.toleranceDays,
    bank: { opening: statement.openingBalance, closing: statement.closingBalance },
    book: { opening: format(input.bookOpening), closing: format(input.bookClosing) },
    bankNotInBook: bankSide.side,
    bookNotInBank: bookSide.side,
    adjusted: { bank: format(adjustedBank), book: format(adjustedBook) },
    difference: format(adjustedBank - adjustedBook),
    balanced: adjustedBank === adjustedBook,
    matches,
    undone: statement.undone,
  };
}

function side<T extends { readonly amount: string; readonly direction: "in" | "out" }>(
  items: readonly T[],
  amountOf: (text: string) => Minor,
  format: (minor: Minor) => string,
) {
  const receipts = items.filter((item) => item.direction === "in");
  const payments = items.filter((item) => item.direction === "out");
  const receiptsMinor = sumMinor(receipts.map((item) => amountOf(item.amount)));
  const paymentsMinor = sumMinor(payments.map((item) => amountOf(item.amount)));
  return {
    receiptsMinor,
    paymentsMinor,
    side: { receipts, payments, totalReceipts: format(receiptsMinor), totalPayments: format(paymentsMinor) },
  };
}
