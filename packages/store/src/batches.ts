import type { JournalEvent } from "@relief-ledger/core";
import type { JournalRead } from "./journal-read.ts";

/** What the journal holds of one payout batch, for its disbursement file and its bank results. */
export type BatchEntries = {
  /** Its payouts (PayoutRecorded with its batchId), in line order. */
  readonly payouts: JournalEvent[];
  /** Whether any chunk of it was recorded or proposed, even one whose every line was refused. */
  readonly found: boolean;
  /** The seqs of its payouts that were reversed or returned since. */
  readonly undone: ReadonlySet<number>;
  /** Its bank results (BankResultsRecorded), in journal order. */
  readonly results: JournalEvent[];
};

/**
 * A batch's entries, read from the book's own partition in seq order. A batch has no index of its
 * own (its chunks fill their transactions: 48 × 2 + 3 = 99 items, no room for a batch item), so
 * this reads the book, about 1,000 events a request: a few requests for a year's book. A book
 * that outgrows it would give events with a batchId a journal index of their own (keys.ts).
 */
export async function readBatch(
  journal: Pick<JournalRead<unknown>, "read">,
  book: string,
  batchId: string,
  signal?: AbortSignal,
): Promise<BatchEntries> {
  const payouts: JournalEvent[] = [];
  const undoing = new Set<number>();
  const results: JournalEvent[] = [];
  let found = false;
  for await (const page of journal.read(book, { pageSize: 1000 })) {
    signal?.throwIfAborted();
    for (const event of page) {
      const payload = event.payload as { batchId?: unknown; entrySeq?: unknown };
      if (event.type === "EntryReversed" || event.type === "PayoutReturned") undoing.add(Number(payload.entrySeq));
      if (payload.batchId !== batchId) continue;
      if (event.type === "PayoutRecorded") payouts.push(event);
      // A batch held for approval is a batch too, with nothing paid yet.
      else if (event.type === "PayoutBatchChunkRecorded" || event.type === "ProposalMade") found = true;
      else if (event.type === "BankResultsRecorded") results.push(event);
    }
  }
  const seqs = new Set(payouts.map((event) => event.seq));
  const undone = new Set([...undoing].filter((seq) => seqs.has(seq)));
  const line = (event: JournalEvent) => Number((event.payload as { line?: unknown }).line ?? 0);
  payouts.sort((a, b) => line(a) - line(b));
  return { payouts, found: found || payouts.length > 0, undone, results };
}
