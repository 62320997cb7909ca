import {
  type Actor,
  BeneficiaryImportChunkRecorded,
  type CommandOf,
  type DomainError,
  fingerprint,
  IMPORT_CHUNK_ROWS,
  type ImportRow,
  type JournalEvent,
  type RowRefusal,
} from "@relief-ledger/core";
import { type AppendResult, isPending } from "../append-types.ts";
import { type LedgerJournal, ledgerAppend } from "../ledger-journal.ts";

/** What importing a roster did, summed over its chunks (a replayed chunk counts as it did the first time). */
export type RosterImportSummary = {
  readonly importId: string;
  readonly rows: number;
  readonly registered: number;
  readonly filesOpened: number;
  readonly skipped: number;
  readonly refused: readonly RowRefusal[];
  /** Whether this call (or the first call under its key, for a replay) recorded anything. */
  readonly written: boolean;
  readonly chunks: number;
};

export type RosterImport = {
  readonly importId: string;
  /** Households before their members (core's orderForImport); every row valid. */
  readonly rows: readonly ImportRow[];
  /** The request's key: chunk i is appended under `${key}#${i}`, so a retry replays what is done. */
  readonly idempotencyKey: string;
  /** What the key guards: the same key with another roster is idempotency-key-reused. */
  readonly requestHash: string;
  readonly actor: Actor;
  readonly clock?: () => Date;
  /** Checked between chunks: a request past its deadline stops sending (a retry continues). */
  readonly signal?: AbortSignal;
  /** Told of every chunk decided, for progress. */
  readonly onChunk?: (done: number, total: number) => void;
};

/** The chunks of a roster, each one transaction (core's IMPORT_CHUNK_ROWS). */
export const importChunks = (rows: readonly ImportRow[]): ImportRow[][] =>
  Array.from({ length: Math.ceil(rows.length / IMPORT_CHUNK_ROWS) }, (_, index) =>
    rows.slice(index * IMPORT_CHUNK_ROWS, (index + 1) * IMPORT_CHUNK_ROWS),
  );

/** The key a chunk is appended under. */
export const chunkKey = (key: string, chunk: number) => `${key}#${chunk}`;

/** Thrown when a chunk is refused as a whole for a reason other than its rows (a reused key, a busy book). */
export class RosterImportStopped extends Error {
  readonly error: DomainError;
  readonly chunk: number;
  constructor(error: DomainError, chunk: number) {
    super(`roster import stopped at chunk ${chunk}: ${error.code}: ${error.message}`);
    this.error = error;
    this.chunk = chunk;
  }
}

/**
 * Chunks in flight at once. The book's writer still commits them one transaction at a time, in
 * the order they were queued; what the window buys is that the reads of the chunks behind are
 * made (in one batch) while the one in front commits, instead of after it.
 */
export const IMPORT_WINDOW = 8;

type ChunkOutcome =
  | { readonly index: number; readonly result: AppendResult; readonly rows: number }
  | { readonly index: number; readonly stopped: RosterImportStopped };

/**
 * For each chunk, the earlier chunks that hold a household of one of its rows. A member's row is
 * decided against its household's record, so its chunk is queued only once those chunks are
 * settled: were one of them retried (a lost race) or stopped, the member must not be decided
 * first and refused for a household that is about to be on file.
 */
export function householdChunks(chunks: readonly (readonly ImportRow[])[]): number[][] {
  const chunkOf = new Map<string, number>();
  chunks.forEach((rows, index) => {
    for (const row of rows) chunkOf.set(row.beneficiaryId, index);
  });
  return chunks.map((rows, index) => {
    const needed = new Set<number>();
    for (const row of rows) {
      const at = row.householdId === undefined ? undefined : chunkOf.get(row.householdId);
      if (at !== undefined && at < index) needed.add(at);
    }
    return [...needed];
  });
}

/**
 * Imports a validated roster into a book, its chunks queued in order with up to IMPORT_WINDOW in
 * flight. Each chunk is its own transaction under a key derived from the request's, so a retry
 * (after a crash or a deadline) replays the chunks already in the journal and records the rest;
 * and each row is skipped when its beneficiary is on file already, so that even another key
 * records nobody twice. A chunk that stops (a reused key, a busy book) stops the queueing; the
 * chunks already queued settle, and the first stopped one is thrown. Used by the API's roster
 * import and open to any caller with a journal (the demo's households).
 */
export async function importRoster(
  journal: LedgerJournal,
  book: string,
  roster: RosterImport,
): Promise<RosterImportSummary> {
  const chunks = importChunks(roster.rows);
  const needs = householdChunks(chunks);
  const outcomes: Promise<ChunkOutcome>[] = [];
  let stopped = false;
  let done = 0;
  const send = async (index: number, rows: readonly ImportRow[]): Promise<ChunkOutcome> => {
    const command: CommandOf<"import-beneficiaries-chunk"> = {
      type: "import-beneficiaries-chunk",
      importId: roster.importId,
      chunk: index,
      rows: [...rows],
    };
    try {
      const result = await journal.append(
        book,
        ledgerAppend(book, command, {
          idempotencyKey: chunkKey(roster.idempotencyKey, index),
          requestHash: fingerprint({ roster: roster.requestHash, chunk: index }),
          actor: roster.actor,
          ...(roster.clock ? { clock: roster.clock } : {}),
        }),
      );
      if (isPending(result)) throw new RosterImportStopped(result.error, index);
      if (!result.ok && result.error.code !== "import-refused") throw new RosterImportStopped(result.error, index);
      return { index, result, rows: rows.length };
    } catch (error) {
      if (error instanceof RosterImportStopped) {
        stopped = true;
        return { index, stopped: error };
      }
      stopped = true;
      throw error;
    } finally {
      done += 1;
      roster.onChunk?.(done, chunks.length);
    }
  };
  try {
    for (const [index, rows] of chunks.entries()) {
      if (stopped || roster.signal?.aborted) break;
      // The window: wait for the chunk IMPORT_WINDOW places ahead, and for this one's households.
      const waits = [outcomes[index - IMPORT_WINDOW], ...(needs[index] ?? []).map((at) => outcomes[at])];
      await Promise.all(waits.filter((wait) => wait !== undefined));
      if (stopped || roster.signal?.aborted) break;
      outcomes.push(send(index, rows));
    }
  } finally {
    // Whatever was queued settles before the import answers, the same way on every path.
    await Promise.allSettled(outcomes);
  }
  roster.signal?.throwIfAborted();
  const settled = await Promise.all(outcomes);
  const first = settled.find((outcome) => "stopped" in outcome);
  if (first && "stopped" in first) throw first.stopped;
  return summarise(journal, book, roster, settled as Extract<ChunkOutcome, { result: AppendResult }>[]);
}

/** The import's answer from its chunks' results, in chunk order. */
async function summarise(
  journal: LedgerJournal,
  book: string,
  roster: RosterImport,
  outcomes: readonly Extract<ChunkOutcome, { result: AppendResult }>[],
): Promise<RosterImportSummary> {
  const totals = { registered: 0, filesOpened: 0, skipped: 0 };
  const refused: RowRefusal[] = [];
  let written = false;
  for (const { index, result, rows } of outcomes) {
    if (!result.ok) {
      // import-refused: the chunk's rows refused one by one (the others on file already).
      if (result.error.code !== "import-refused") continue;
      refused.push(...result.error.refused);
      totals.skipped += rows - result.error.refused.length;
      continue;
    }
    const events =
      result.value.events.length > 0 ? result.value.events : await recordedBefore(journal, book, roster, index);
    const summary = summaryOf(events);
    if (summary) {
      written = true;
      totals.registered += summary.registered;
      totals.filesOpened += summary.filesOpened;
      totals.skipped += summary.skipped;
      refused.push(...summary.refused);
    } else {
      // Every row already on file: the chunk wrote nothing.
      totals.skipped += rows;
    }
  }
  return {
    importId: roster.importId,
    rows: roster.rows.length,
    ...totals,
    refused: refused
      .sort((a, b) => a.row - b.row)
      .map(({ row, beneficiaryId, code, message }) => ({
        row,
        beneficiaryId,
        code,
        message,
      })),
    written,
    chunks: outcomes.length,
  };
}

/**
 * What a chunk recorded under its key before, if anything. A chunk decided afresh whose every row
 * is on file writes nothing, and so never meets its key's idempotency record: a retry of a request
 * whose chunk was recorded would answer "skipped" where the first answer said "registered". Only
 * such chunks ask, one read each, and only the caller's own record counts.
 */
async function recordedBefore(
  journal: LedgerJournal,
  book: string,
  roster: RosterImport,
  index: number,
): Promise<readonly JournalEvent[]> {
  const outcome = await journal.outcomeOf(book, chunkKey(roster.idempotencyKey, index));
  if (outcome?.status !== "decided" || outcome.requester !== roster.actor.sub || !outcome.result.ok) return [];
  return outcome.result.value.events;
}

const summaryOf = (events: readonly JournalEvent[]): BeneficiaryImportChunkRecorded | undefined => {
  const event = events.find((candidate) => candidate.type === "BeneficiaryImportChunkRecorded");
  return event ? BeneficiaryImportChunkRecorded.parse(event.payload) : undefined;
};
