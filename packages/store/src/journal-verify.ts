import {
  type ChainReport,
  createChainVerifier,
  EMPTY_HEAD,
  JournalEvent,
  type Json,
  MAX_LISTED_BREAKS,
} from "@relief-ledger/core";
import type { JournalRead, StoredRecord } from "./journal-read.ts";
import { INDEXED_SINCE, journalIndexKeys } from "./keys.ts";

export type VerifyReport = ChainReport & { readonly headSeq: number; readonly headHash: string };

/** What checks a book's chain. */
export interface JournalVerify {
  /**
   * Recomputes the chain over a range (by default the whole book) and reports every seq that is
   * missing, altered or out of place (the first hundred). Reading to the head also checks the
   * head's hash, and that nothing sits beyond the head. `observe` sees each stored record as it
   * passes, so that a caller can check more in the same read (verify-book.ts: checkpoints, state).
   */
  verify(
    book: string,
    range?: { fromSeq?: number; toSeq?: number },
    observe?: (stored: StoredRecord) => void,
    /** A request's deadline: an aborted signal stops the read between pages. */
    signal?: AbortSignal,
  ): Promise<VerifyReport>;
}

/** Verifies from the stored records as they are, never from the events as the reader would parse them. */
export class JournalVerifier implements JournalVerify {
  private readonly journal: Pick<JournalRead<unknown>, "head" | "records">;

  constructor(journal: Pick<JournalRead<unknown>, "head" | "records">) {
    this.journal = journal;
  }

  async verify(
    book: string,
    range: { fromSeq?: number; toSeq?: number } = {},
    observe?: (stored: StoredRecord) => void,
    signal?: AbortSignal,
  ): Promise<VerifyReport> {
    const head = await this.journal.head(book);
    const fromSeq = Math.max(1, range.fromSeq ?? 1);
    const toSeq = Math.min(range.toSeq ?? head.seq, head.seq);
    const at = { headSeq: head.seq, headHash: head.hash };
    let start = EMPTY_HEAD;
    if (fromSeq > 1) {
      // The range is anchored on the event before it, whose own seal is checked first.
      const anchor = createChainVerifier({ seq: fromSeq - 2, hash: "" });
      let anchorRecord: StoredRecord | undefined;
      for await (const page of this.journal.records(book, { fromSeq: fromSeq - 1, toSeq: fromSeq - 1 })) {
        anchorRecord = page[0];
      }
      const sealed = anchorRecord ? JournalEvent.safeParse(anchorRecord.record) : undefined;
      if (!anchorRecord || !sealed?.success) return { ...anchor.finish(fromSeq - 1), ...at };
      start = { seq: sealed.data.seq, hash: sealed.data.hash };
    }
    const verifier = createChainVerifier(start);
    for await (const page of this.journal.records(book, { fromSeq, toSeq, pageSize: 1000 })) {
      signal?.throwIfAborted();
      for (const stored of page) {
        const { seq, record, index } = stored;
        const mismatch = indexMismatch(record, index);
        if (mismatch) verifier.reject(seq, "index-mismatch", mismatch, record);
        else verifier.push(record, seq);
        observe?.(stored);
      }
    }
    const toHead = toSeq === head.seq;
    const report = verifier.finish(toSeq, toHead ? head.hash : undefined);
    if (toHead) {
      const beyond = await this.firstBeyond(book, head.seq);
      if (beyond !== undefined && beyond > (await this.journal.head(book)).seq) {
        const extra = {
          seq: beyond,
          reason: "out-of-order" as const,
          detail: `event ${beyond} lies beyond the book head ${head.seq}`,
        };
        const breaks = [...report.breaks, extra].slice(0, MAX_LISTED_BREAKS);
        return { ...report, ok: false, firstBreak: breaks[0], breaks, breakCount: report.breakCount + 1, ...at };
      }
    }
    return { ...report, ...at };
  }

  private async firstBeyond(book: string, seq: number): Promise<number | undefined> {
    for await (const page of this.journal.records(book, { fromSeq: seq + 1, pageSize: 1 })) return page[0]?.seq;
    return undefined;
  }
}

/**
 * Whether an item's index attributes are the ones its event derives: an altered one would hide
 * the event from a beneficiary's history or a programme's month without touching its hash.
 */
function indexMismatch(record: { [key: string]: Json }, index: Record<string, unknown>): string | undefined {
  const { book, type, occurredOn, payload, recordedAt } = record;
  if (typeof book !== "string" || typeof type !== "string" || typeof occurredOn !== "string") return undefined;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  const expected = journalIndexKeys({ book, type, occurredOn, payload });
  const names = new Set([...Object.keys(expected), ...Object.keys(index)]);
  for (const name of names) {
    const since = INDEXED_SINCE[name as keyof typeof INDEXED_SINCE];
    // Written before the attribute was derived, and never rewritten since (the journal is not).
    const older = since !== undefined && typeof recordedAt === "string" && recordedAt < since;
    if (older && index[name] === undefined) continue;
    if (expected[name] !== index[name]) {
      return `index attribute ${name} is ${JSON.stringify(index[name] ?? null)}, the event derives ${JSON.stringify(expected[name] ?? null)}`;
    }
  }
  return undefined;
}
