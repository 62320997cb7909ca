import { type JournalEvent, PayoutBatchChunkRecorded, undoRef } from "@relief-ledger/core";
import type { JournalRead } from "./journal-read.ts";

/** What the journal holds of one payout batch, for its disbursement file and its bank results. */
export type BatchEntries = {
  /** Its payouts (PayoutRecorded with its batchId), in line order. */
  readonly payouts: JournalEvent[];
  /** Whether any chunk of it was recorded or proposed, even one whose every line was refused. */
  readonly found: boolean;
  /** The seqs of its payouts that were reversed or returned since (none listed when not asked for). */
  readonly undone: ReadonlySet<number>;
  /** Its bank results (BankResultsRecorded), in journal order. */
  readonly results: JournalEvent[];
  /** Where it was read from: its index and its chunks' seqs, or the whole book. */
  readonly via: "index" | "book";
};

type Reader = Pick<JournalRead<unknown>, "read" | "batchEvents" | "entities">;

/**
 * A batch's entries. A batch has no item of its own (its chunks fill their transactions: 48 × 2 +
 * 3 = 99 items), but the events that describe it are in the journal's byBatch index (keys.ts):
 * its chunk summaries say where its payouts are (the `recorded` entries just before each), so they
 * are read from the journal by seq, and whether they were undone since from their undo marks
 * (`undo/<seq>`, written with the reversal or return): two strongly consistent reads. The index
 * may lag a write by a moment and holds nothing recorded before it existed, so it is trusted only
 * when its chunks cover the batch's every line; otherwise (a batch still being recorded, held for
 * approval, or older than the index) the book is read whole, as before the index.
 */
export async function readBatch(
  journal: Reader,
  book: string,
  batchId: string,
  signal?: AbortSignal,
  options: { readonly undone?: boolean } = {},
): Promise<BatchEntries> {
  const described: JournalEvent[] = [];
  for await (const page of journal.batchEvents(book, batchId)) {
    signal?.throwIfAborted();
    described.push(...page);
  }
  const chunks = described.flatMap((event) =>
    event.type === "PayoutBatchChunkRecorded"
      ? [{ seq: event.seq, ...PayoutBatchChunkRecorded.parse(event.payload) }]
      : [],
  );
  if (!covers(chunks)) return scanBook(journal, book, batchId, signal);

  const payouts: JournalEvent[] = [];
  for (const { from, to } of ranges(chunks)) {
    for await (const page of journal.read(book, { fromSeq: from, toSeq: to })) {
      signal?.throwIfAborted();
      payouts.push(...page.filter((event) => event.type === "PayoutRecorded" && event.payload.batchId === batchId));
    }
  }
  // Each chunk's payouts are the entries just before its summary: anything else is not this index's to explain.
  if (payouts.length !== chunks.reduce((sum, chunk) => sum + chunk.recorded, 0)) {
    return scanBook(journal, book, batchId, signal);
  }
  // A result file has no use for them (each return checks its payout's mark as it is decided): 50 reads saved.
  const marks =
    options.undone === false
      ? new Map()
      : await journal.entities(
          book,
          payouts.map((event) => undoRef(event.seq)),
        );
  const undone = new Set(payouts.filter((event) => marks.get(undoRef(event.seq))).map((event) => event.seq));
  const results = described.filter((event) => event.type === "BankResultsRecorded");
  return { payouts: inLineOrder(payouts), found: true, undone, results, via: "index" };
}

type Chunk = PayoutBatchChunkRecorded & { readonly seq: number };

/** Whether the chunks found say every line of the batch was decided: none missing, whatever the lag. */
function covers(chunks: readonly Chunk[]): boolean {
  const [first] = chunks;
  if (!first) return false;
  const lines = new Map(chunks.map((chunk) => [chunk.chunk, chunk.lineCount]));
  const total = [...lines.values()].reduce((sum, count) => sum + count, 0);
  return chunks.every((chunk) => chunk.totalLines === first.totalLines) && total === first.totalLines;
}

/** The seq ranges of the chunks' payouts, adjacent ones merged: one Query each. */
function ranges(chunks: readonly Chunk[]): { from: number; to: number }[] {
  const merged: { from: number; to: number }[] = [];
  for (const { seq, recorded } of [...chunks].sort((a, b) => a.seq - b.seq)) {
    if (recorded === 0) continue;
    const from = seq - recorded;
    const last = merged.at(-1);
    if (last && from <= last.to + 2) last.to = seq - 1;
    else merged.push({ from, to: seq - 1 });
  }
  return merged;
}

const lineOf = (event: JournalEvent) => Number((event.payload as { line?: unknown }).line ?? 0);
const inLineOrder = (payouts: JournalEvent[]) => payouts.sort((a, b) => lineOf(a) - lineOf(b));

/** The batch read from the whole book, in seq order: about 1,000 events a request. */
async function scanBook(journal: Reader, book: string, batchId: string, signal?: AbortSignal): Promise<BatchEntries> {
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
  return { payouts: inLineOrder(payouts), found: found || payouts.length > 0, undone, results, via: "book" };
}
