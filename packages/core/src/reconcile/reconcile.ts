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
 * The reconciling items (未达账项) are every one still outstanding at the month's end, whatever
 * month it dates from, so that a payout the bank clears two months later keeps the months between
 * explained. With M the reconciled month and the fund's first statement's month the start:
 * - in the bank, not in the book: the lines of the statements of months up to M that no entry
 *   matched, and those matched to an entry the book dated after M;
 * - in the book, not in the bank: the fund's entries dated from the start to M's end that no line
 *   of a statement of a month up to M matched (one matched by a later statement says which).
 * Each item names the month it dates from. The two adjusted balances agree when the items explain
 * the whole difference (`balanced`).
 */

export type BankSideItem = {
  /** The month of the statement the line is of: an earlier month's is carried forward. */
  readonly month: string;
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
  /** The month the entry is dated in: an earlier month's is carried forward. */
  readonly month: string;
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

/** A statement as reconciling reads it; its lines may be left out when none can be an item (linesNeeded). */
export type StatementOfMonth = { readonly record: StatementRecord; readonly lines?: readonly StoredLine[] };

export type ReconcileInput = {
  readonly currency: Currency;
  /** The fund's statements of the months up to the reconciled one, which is the last. */
  readonly statements: readonly StatementOfMonth[];
  /**
   * The fund's book items from the first statement's month on, later ones included (they tell
   * that a line was matched to an entry dated after the month). A matched entry not among them
   * predates the first statement's month.
   */
  readonly items: readonly BookItem[];
  /** Entries matched by the statements of later months, to the month of the one that matched each. */
  readonly clearedLater: ReadonlyMap<number, string>;
  /** The fund's balance at the start and at the end of the month (the month's rollup). */
  readonly bookOpening: Minor;
  readonly bookClosing: Minor;
};

const byDateThenSeq = (a: BookItem, b: BookItem) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq);

/**
 * Whether a statement's lines hold a reconciling item at the end of `period`: a line left
 * unmatched, or matched to an entry dated after the month. The others' lines need not be read.
 */
export function linesNeeded(record: StatementRecord, dateOf: (seq: number) => string | undefined, period: string) {
  const last = endOfPeriod(period);
  return (
    record.matches.length < record.lineCount || record.matches.some((match) => (dateOf(match.entrySeq) ?? "") > last)
  );
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const { currency, statements, items } = input;
  const current = statements.at(-1);
  if (!current?.lines) throw new Error("the reconciled month's statement and its lines are needed");
  const { record: statement } = current;
  const format = (minor: Minor) => formatAmount(minor, currency);
  const amountOf = (text: string) => readSignedAmount(text, currency);
  const last = endOfPeriod(statement.period);
  const first = `${statements[0]?.record.period ?? statement.period}-01`;
  const itemBySeq = new Map(items.map((item) => [item.seq, item]));
  const matchedSeqs = new Set(statements.flatMap(({ record }) => record.matches.map((match) => match.entrySeq)));

  const bankItems: BankSideItem[] = [];
  for (const { record, lines } of statements) {
    const matchByLine = new Map(record.matches.map((match) => [match.line, match]));
    if (!lines) {
      if (linesNeeded(record, (seq) => itemBySeq.get(seq)?.date, statement.period)) {
        throw new Error(`the lines of ${record.period}'s statement are needed`);
      }
      continue;
    }
    for (const line of lines) {
      const match = matchByLine.get(line.line);
      const entry = match ? itemBySeq.get(match.entrySeq) : undefined;
      if (match && !(entry && entry.date > last)) continue;
      bankItems.push({
        month: record.period,
        line: line.line,
        date: line.date,
        amount: line.amount,
        direction: line.direction,
        ...(line.counterparty !== undefined ? { counterparty: line.counterparty } : {}),
        ...(line.reference !== undefined ? { reference: line.reference } : {}),
        ...(match ? { entrySeq: match.entrySeq } : {}),
      });
    }
  }

  const matches: ReconciliationMatch[] = [];
  const lineByNumber = new Map(current.lines.map((line) => [line.line, line]));
  for (const match of statement.matches) {
    const line = lineByNumber.get(match.line);
    const entry = itemBySeq.get(match.entrySeq);
    if (!line) continue;
    matches.push({
      ...match,
      status: match.confirmedSeq === undefined ? "matched" : "confirmed",
      date: line.date,
      amount: line.amount,
      direction: line.direction,
      ...(entry ? { entryDate: entry.date } : {}),
    });
  }

  const bookItems: BookSideItem[] = items
    .filter((item) => item.date >= first && item.date <= last && !matchedSeqs.has(item.seq))
    .sort(byDateThenSeq)
    .map((item) => {
      const clearedIn = input.clearedLater.get(item.seq);
      return {
        month: item.date.slice(0, 7),
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
