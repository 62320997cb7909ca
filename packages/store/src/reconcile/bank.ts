import {
  addDays,
  type BankLineInput,
  type BookItem,
  type BookState,
  bookItemOf,
  CURRENCIES,
  comparePeriods,
  endOfPeriod,
  type Json,
  matchStatement,
  nextPeriod,
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
 * What the bank reconciliation reads (core's reconcile/): a fund's entries around a month, the
 * statements of the month and its neighbours, and the month's rollup for the book's balances.
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

/**
 * The fund's book items dated from `toleranceDays` before the month to as many after it: what a
 * statement of the month may match. A tolerance reaches at most into the adjacent months.
 */
export async function fundItemsAround(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  fundId: string,
  period: string,
  toleranceDays: number,
  signal?: AbortSignal,
): Promise<BookItem[]> {
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  const from = addDays(`${period}-01`, -toleranceDays);
  const to = addDays(endOfPeriod(period), toleranceDays);
  const range = await seqRange(journal, book, state, [previousPeriod(period), period, nextPeriod(period)]);
  if (!range) return [];
  const items: BookItem[] = [];
  for await (const page of journal.read(book, { ...range, pageSize: 1000 })) {
    signal?.throwIfAborted();
    for (const event of page) {
      if (event.occurredOn < from || event.occurredOn > to) continue;
      const item = bookItemOf(event, fundId, currency);
      if (item) items.push(item);
    }
  }
  return items;
}

const recordOf = (value: Json | null | undefined) => (value ? StatementRecord.parse(value) : undefined);

/** The entries the statements of the months beside this one have matched: they are not this month's to match. */
async function neighbours(journal: LedgerJournal, book: string, fundId: string, period: string) {
  const [before, after] = [previousPeriod(period), nextPeriod(period)];
  const loaded = await journal.entities(book, [statementRef(fundId, before), statementRef(fundId, after)]);
  const seqs = (month: string) =>
    recordOf(loaded.get(statementRef(fundId, month)))?.matches.map((m) => m.entrySeq) ?? [];
  return { before: new Set(seqs(before)), after: new Map(seqs(after).map((seq) => [seq, after])) };
}

/**
 * The matches the rules find for a statement as sent (its lines numbered from 1): among the fund's
 * entries around the month that the statements beside it have not matched. A line whose amount is
 * not valid is left out; recording the statement refuses it.
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
  if (!state.funds[fundId]) return [];
  const taken = await neighbours(journal, book, fundId, period);
  const items = (await fundItemsAround(journal, book, state, fundId, period, toleranceDays, signal)).filter(
    (item) => !taken.before.has(item.seq) && !taken.after.has(item.seq),
  );
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
  return matchStatement(lines, items, toleranceDays);
}

/** A fund's statement of a month and its lines, or undefined when none is recorded. */
export async function statementOf(journal: LedgerJournal, book: string, fundId: string, period: string) {
  const loaded = await journal.entities(book, [statementRef(fundId, period), statementLinesRef(fundId, period)]);
  const record = recordOf(loaded.get(statementRef(fundId, period)));
  const lines = loaded.get(statementLinesRef(fundId, period));
  if (!record || !lines) return undefined;
  return { record, lines: StatementLines.parse(lines).lines };
}

/**
 * The reconciliation of a fund's month (余额调节表), or undefined when no statement of it is
 * recorded: the statement, the fund's entries around the month, what the neighbouring statements
 * matched, and the fund's balances from the month's rollup.
 */
export async function reconciliationOf(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  fundId: string,
  period: string,
  signal?: AbortSignal,
): Promise<Reconciliation | undefined> {
  const statement = await statementOf(journal, book, fundId, period);
  if (!statement) return undefined;
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  const { record, lines } = statement;
  const [items, taken, rollups] = await Promise.all([
    fundItemsAround(journal, book, state, fundId, period, record.toleranceDays, signal),
    neighbours(journal, book, fundId, period),
    rollupsFor(journal, book, period, period, state, signal),
  ]);
  const figures = rollups.find((rollup) => rollup.period === period)?.funds[fundId];
  const read = (text: string | undefined) => (text === undefined ? 0n : readSignedAmount(text, currency));
  return reconcile({
    currency,
    statement: record,
    lines,
    items,
    bookOpening: read(figures?.opening) + read(figures?.broughtForward),
    bookClosing: read(figures?.closing),
    matchedBefore: taken.before,
    matchedAfter: taken.after,
  });
}
