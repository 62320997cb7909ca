// The ledger's schemas import each other (events → commands → rollup → events), and load in an
// order that works only when entered through events.ts, as the package's index enters them.
import "../ledger/events.ts";
import type { JournalEvent } from "../journal-event.ts";
import { RESULT_CHUNK_FAILED, RESULT_CHUNK_LINES } from "../ledger/commands.ts";
import type { BankResultsRecorded } from "../ledger/events.ts";
import type { BankResultRow } from "./layout.ts";

/*
 * What a disbursement file lists and how a result file is recorded, as pure functions of the
 * batch's entries: the API's routes (routes/bank-files.ts, bank-results.ts) and the demo book
 * only load, append and answer.
 */

/** A payout as a bank file names it: its line in the batch, payee, amount and remittance note. */
export type BankPayout = {
  readonly seq: number;
  readonly line: number;
  readonly beneficiaryId: string;
  readonly amount: string;
  readonly note: string;
};

/** A line's remittance note (附言): its payout's reference, or `<batch>/<line>` when it has none. */
export const bankNote = (batchId: string, line: number, reference?: string): string =>
  reference ?? `${batchId}/${line}`;

/** A batch's payouts paid by bank and still standing, as the file lists them. */
export function bankLines(batchId: string, payouts: readonly JournalEvent[], undone: ReadonlySet<number>) {
  return payouts.flatMap((event): BankPayout[] => {
    const payload = event.payload as { method?: string; line?: number; beneficiaryId: string; amount: string };
    const reference = (event.payload as { reference?: string }).reference;
    if (payload.method !== "bank" || undone.has(event.seq)) return [];
    const line = payload.line ?? 0;
    const note = bankNote(batchId, line, reference);
    return [{ seq: event.seq, line, beneficiaryId: payload.beneficiaryId, amount: payload.amount, note }];
  });
}

/** A result row matched to its payout, to be recorded. */
export type Planned = { readonly row: BankResultRow; readonly seq: number };
export type LineRef = { readonly row: number; readonly line: number; readonly seq: number };

/**
 * Matches a result file's rows to the batch's payouts, by line; a row must agree with its payout's
 * amount and (when it has one) note, and name a line once. A row that does not is unmatched, never
 * guessed. A paid line another result file settled already is listed, not recorded again; this
 * file's own chunks recorded before are found by the route, by chunk.
 */
export function planResults(
  rows: readonly BankResultRow[],
  batchId: string,
  payouts: readonly JournalEvent[],
  earlier: readonly BankResultsRecorded[],
  fileHash: string,
): { planned: Planned[]; unmatched: { row: number; line: number; code: string }[]; alreadySettled: LineRef[] } {
  const byLine = new Map(bankLines(batchId, payouts, new Set()).map((payout) => [payout.line, payout]));
  const settledElsewhere = new Set(
    earlier.filter((result) => result.fileHash !== fileHash).flatMap((result) => result.paid.map(({ seq }) => seq)),
  );
  const unmatched: { row: number; line: number; code: string }[] = [];
  const alreadySettled: LineRef[] = [];
  const planned: Planned[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    const payout = byLine.get(row.line);
    const code = !payout
      ? "no-payout"
      : seen.has(row.line)
        ? "duplicate-line"
        : payout.amount !== row.amount
          ? "amount-differs"
          : row.note !== "" && row.note !== payout.note
            ? "note-differs"
            : undefined;
    if (code || !payout) {
      unmatched.push({ row: row.row, line: row.line, code: code ?? "no-payout" });
      continue;
    }
    seen.add(row.line);
    if (row.status === "paid" && settledElsewhere.has(payout.seq)) {
      alreadySettled.push({ row: row.row, line: row.line, seq: payout.seq });
      continue;
    }
    planned.push({ row, seq: payout.seq });
  }
  return { planned, unmatched, alreadySettled };
}

/** The chunks a result file is recorded in, in file order: each fits one transaction (commands.ts). */
export function chunked(planned: readonly Planned[]): Planned[][] {
  const chunks: Planned[][] = [];
  let current: Planned[] = [];
  let failed = 0;
  for (const item of planned) {
    const isFailed = item.row.status === "failed";
    if (current.length === RESULT_CHUNK_LINES || (isFailed && failed === RESULT_CHUNK_FAILED)) {
      chunks.push(current);
      current = [];
      failed = 0;
    }
    current.push(item);
    if (isFailed) failed += 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
