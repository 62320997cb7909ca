import {
  addDays,
  type BankLineInput,
  type BookItem,
  type BookState,
  bankLineOf,
  bookItemOf,
  CURRENCIES,
  comparePeriods,
  endOfPeriod,
  FundStatements,
  fundStatementsRef,
  type Json,
  linesNeeded,
  MAX_STATEMENT_LINES,
  matchStatement,
  parseAmount,
  previousPeriod,
  type Reconciliation,
  Rollup,
  readSignedAmount,
  reconcile,
  rollupRef,
  StatementLines,
  StatementRecord,
  statementLinesRef,
  statementRef,
} from "@relief-ledger/core";
import type { LedgerJournal } from "../ledger-journal.ts";
import { rollupsFor } from "../rollups/read.ts";

/**
 * What the bank reconciliation reads (core's reconcile/): a fund's statements, listed by
 * `bank-statements/<fund>` (a dozen a year), its entries since the first statement's month, and
 * the month's rollup for the book's balances.
 */

type Range = { readonly firstSeq: number; readonly lastSeq: number };

/**
 * The seqs that hold every entry dated in the months: an open month's from the head, a closed
 * month's from its stored rollup. A journal entry is dated in one month, so reading from the
 * lowest to the highest of these reads all of them and whatever lies between.
 */
async function seqRange(journal: LedgerJournal, book: string, state: BookState, months: readonly string[]) {
  const ranges: Range[] = [];
  const closed = months.filter(
    (month) => state.closedThrough !== null && comparePeriods(month, state.closedThrough) <= 0,
  );
  const stored =
    closed.length > 0 ? await journal.entities(book, closed.map(rollupRef)) : new Map<string, Json | null>();
  for (const month of months) {
    const open = state.openMonths?.[month];
    if (open) ranges.push(open);
    const rollup = stored.get(rollupRef(month));
    if (rollup) {
      const { firstSeq, lastSeq } = Rollup.parse(rollup);
      if (firstSeq !== null && lastSeq !== null) ranges.push({ firstSeq, lastSeq });
    }
  }
  if (ranges.length === 0) return undefined;
  return {
    fromSeq: Math.min(...ranges.map((range) => range.firstSeq)),
    toSeq: Math.max(...ranges.map((range) => range.lastSeq)),
  };
}

const recordOf = (value: Json | null | undefined) => (value ? StatementRecord.parse(value) : undefined);

/** The fund's recorded statements (their figures and matches, not their lines), oldest month first. */
export async function fundStatements(journal: LedgerJournal, book: string, fundId: string) {
  const list = await journal.entity(book, fundStatementsRef(fundId));
  const periods = list ? FundStatements.parse(list).periods : [];
  const loaded = await journal.entities(
    book,
    periods.map((period) => statementRef(fundId, period)),
  );
  return periods.flatMap((period) => recordOf(loaded.get(statementRef(fundId, period))) ?? []);
}

/**
 * The fund's book items recorded since the month before `firstMonth` (a tolerance reaches back into
 * it), whatever their dates: outstanding items are carried from the first statement's month on, and
 * an entry matched by a line may be dated after the line's month. The read starts at the lowest
 * seq dated in those two months, and runs to the head. An entry dated later but recorded before
 * all of theirs would be missed; it cannot be dated in the future, so that takes a book whose
 * entries of those months were all recorded late. A book with no entry at all in them (its first
 * statement predates its entries) is read from its start.
 */
export async function fundItemsSince(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  fundId: string,
  firstMonth: string,
  signal?: AbortSignal,
): Promise<BookItem[]> {
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  const range = await seqRange(journal, book, state, [previousPeriod(firstMonth), firstMonth]);
  const items: BookItem[] = [];
  for await (const page of journal.read(book, { fromSeq: range?.fromSeq ?? 1, pageSize: 1000 })) {
    signal?.throwIfAborted();
    for (const event of page) {
      const item = bookItemOf(event, fundId, currency);
      if (item) items.push(item);
    }
  }
  return items;
}

/**
 * The matches the rules find for a statement as sent (its lines numbered from 1), and for the
 * lines earlier statements left unmatched: among the fund's entries no statement has matched,
 * dated from the tolerance before the first statement's month (this one's when it is the first)
 * to the tolerance after this month. Outstanding items of earlier months, on either side, are
 * candidates (matchStatement says on which terms). A line whose amount is not valid is left out;
 * recording the statement refuses it. The fund's items read are given back: recording a statement
 * moves no money, so its reconciliation can take them rather than read the journal again.
 */
export async function proposeMatches(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  statement: { fundId: string; period: string; lines: readonly BankLineInput[] },
  toleranceDays: number,
  signal?: AbortSignal,
) {
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  const { fundId, period } = statement;
  if (!state.funds[fundId]) return { matches: [], items: undefined };
  const others = (await fundStatements(journal, book, fundId)).filter((record) => record.period !== period);
  const taken = new Set(others.flatMap((record) => record.matches.map((match) => match.entrySeq)));
  const firstMonth = [period, ...others.map((record) => record.period)].sort()[0] as string;
  const from = addDays(`${firstMonth}-01`, -toleranceDays);
  const to = addDays(endOfPeriod(period), toleranceDays);
  const [items, carried] = await Promise.all([
    fundItemsSince(journal, book, state, fundId, firstMonth, signal),
    outstandingLines(journal, book, others.filter((record) => record.period < period).slice(-CARRIED_STATEMENTS)),
  ]);
  const lines = statement.lines.flatMap((line, index) => {
    const amount = parseAmount(line.amount, currency);
    if (!amount.ok) return [];
    return [
      {
        line: index + 1,
        date: line.date,
        amount: amount.value,
        direction: line.direction,
        ...(line.reference !== undefined ? { reference: line.reference } : {}),
      },
    ];
  });
  const candidates = items.filter((item) => !taken.has(item.seq) && item.date >= from && item.date <= to);
  const found = matchStatement(
    [...carried.map((line) => bankLineOf(line, currency)), ...lines],
    candidates,
    toleranceDays,
  );
  const own = found.filter((match) => match.period === undefined);
  const earlier = found.filter((match) => match.period !== undefined);
  return { matches: [...own, ...earlier.slice(0, MAX_STATEMENT_LINES - own.length)], items };
}

/**
 * How many earlier statements' outstanding lines a statement's matching takes up: two years'. Each
 * one it matches into adds an event and an item to the recording's transaction (100 items at
 * most), and a bank line the book has not recorded in two years is finance's to look into, not
 * the rules'. The command carries MAX_STATEMENT_LINES matches at most, its own lines' first.
 */
const CARRIED_STATEMENTS = 24;

/** The lines earlier statements left unmatched, each with its statement's month; only those statements' lines are read. */
async function outstandingLines(journal: LedgerJournal, book: string, records: readonly StatementRecord[]) {
  const open = records.filter((record) => record.matches.length < record.lineCount);
  const loaded = await journal.entities(
    book,
    open.map((record) => statementLinesRef(record.fundId, record.period)),
  );
  return open.flatMap((record) => {
    const stored = loaded.get(statementLinesRef(record.fundId, record.period));
    const matched = new Set(record.matches.map((match) => match.line));
    const lines = stored ? StatementLines.parse(stored).lines : [];
    return lines.filter((line) => !matched.has(line.line)).map((line) => ({ ...line, period: record.period }));
  });
}

/**
 * The reconciliation of a fund's month (余额调节表), or undefined when no statement of it is
 * recorded: the fund's statements (the lines of those up to the month that still hold an item),
 * its entries since the first statement's month, and its balances from the month's rollup.
 */
export async function reconciliationOf(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  fundId: string,
  period: string,
  signal?: AbortSignal,
  /** The fund's items since its first statement's month, when the caller has just read them (proposeMatches). */
  itemsRead?: readonly BookItem[],
): Promise<Reconciliation | undefined> {
  const records = await fundStatements(journal, book, fundId);
  const upTo = records.filter((record) => comparePeriods(record.period, period) <= 0);
  if (upTo.at(-1)?.period !== period) return undefined;
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  const firstMonth = (upTo[0] as StatementRecord).period;
  const [items, rollups] = await Promise.all([
    itemsRead ?? fundItemsSince(journal, book, state, fundId, firstMonth, signal),
    rollupsFor(journal, book, period, period, state, signal),
  ]);
  const dateOf = new Map(items.map((item) => [item.seq, item.date]));
  const wanted = upTo.filter(
    (record) => record.period === period || linesNeeded(record, (seq) => dateOf.get(seq), period),
  );
  const loaded = await journal.entities(
    book,
    wanted.map((record) => statementLinesRef(fundId, record.period)),
  );
  const linesOf = (month: string) => {
    const stored = loaded.get(statementLinesRef(fundId, month));
    return stored ? StatementLines.parse(stored).lines : undefined;
  };
  if (!linesOf(period)) return undefined;
  const clearedLater = new Map(
    records
      .filter((record) => comparePeriods(record.period, period) > 0)
      .flatMap((record) => record.matches.map((match) => [match.entrySeq, record.period] as const)),
  );
  const figures = rollups.find((rollup) => rollup.period === period)?.funds[fundId];
  const read = (text: string | undefined) => (text === undefined ? 0n : readSignedAmount(text, currency));
  return reconcile({
    currency,
    statements: upTo.map((record) => {
      const lines = linesOf(record.period);
      return lines ? { record, lines } : { record };
    }),
    items,
    clearedLater,
    bookOpening: read(figures?.opening) + read(figures?.broughtForward),
    bookClosing: read(figures?.closing),
  });
}
