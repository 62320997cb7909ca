import type { JournalEvent, Json, ProposalRecord } from "@relief-ledger/core";
import type { AppendCommand, AppendResult } from "./append-types.ts";
import type { WriterStats } from "./book-writer.ts";
import type { Head } from "./head.ts";
import {
  type JournalAppend,
  JournalAppender,
  type JournalAppendOptions,
  type RequestOutcome,
} from "./journal-append.ts";
import { type JournalRead, JournalReader, type ReadRange, type StoredRecord } from "./journal-read.ts";
import { JournalVerifier, type JournalVerify, type VerifyReport } from "./journal-verify.ts";
import type { EntryFilter, EntryPage, EntryPageRequest, ProposalFilter } from "./queries.ts";

export type JournalOptions<S> = Omit<JournalAppendOptions<S>, "journal">;

/**
 * The book journals, as one object per process (a Lambda instance, the local server): reading
 * (journal-read.ts), appending (journal-append.ts, which keeps a writer and a cached head per
 * book) and verifying (journal-verify.ts). Each part is its own class behind its own interface,
 * for code that needs only one; this puts them together for the callers that pass one journal
 * around.
 */
export class Journal<S> implements JournalRead<S>, JournalAppend<S>, JournalVerify {
  private readonly reader: JournalReader<S>;
  private readonly appender: JournalAppender<S>;
  private readonly verifier: JournalVerifier;

  constructor(options: JournalOptions<S>) {
    this.reader = new JournalReader(options);
    this.appender = new JournalAppender({ ...options, journal: this.reader });
    this.verifier = new JournalVerifier(this.reader);
  }

  get stats(): WriterStats {
    return this.appender.stats;
  }

  append(book: string, command: AppendCommand<S>): Promise<AppendResult> {
    return this.appender.append(book, command);
  }

  outcomeOf(book: string, idempotencyKey: string): Promise<RequestOutcome | undefined> {
    return this.appender.outcomeOf(book, idempotencyKey);
  }

  verify(
    book: string,
    range?: { fromSeq?: number; toSeq?: number },
    observe?: (stored: StoredRecord) => void,
    signal?: AbortSignal,
  ): Promise<VerifyReport> {
    return this.verifier.verify(book, range, observe, signal);
  }

  head(book: string): Promise<Head<S>> {
    return this.reader.head(book);
  }

  entities(book: string, refs: readonly string[]): Promise<Map<string, Json | null>> {
    return this.reader.entities(book, refs);
  }

  entity(book: string, ref: string): Promise<Json | null> {
    return this.reader.entity(book, ref);
  }

  entry(book: string, seq: number): Promise<JournalEvent | undefined> {
    return this.reader.entry(book, seq);
  }

  entityList(book: string, kind: "audit" | "finding"): Promise<Json[]> {
    return this.reader.entityList(book, kind);
  }

  books(): Promise<{ id: string; name: string; openedOn: string }[]> {
    return this.reader.books();
  }

  proposals(book: string, filter: ProposalFilter): Promise<{ proposals: ProposalRecord[]; nextCursor?: number }> {
    return this.reader.proposals(book, filter);
  }

  queryEntries(book: string, filter: EntryFilter, page: EntryPageRequest): Promise<EntryPage> {
    return this.reader.queryEntries(book, filter, page);
  }

  records(book: string, range?: ReadRange): AsyncGenerator<StoredRecord[]> {
    return this.reader.records(book, range);
  }

  batchEvents(book: string, batchId: string): AsyncGenerator<JournalEvent[]> {
    return this.reader.batchEvents(book, batchId);
  }

  read(book: string, range?: ReadRange): AsyncGenerator<JournalEvent[]> {
    return this.reader.read(book, range);
  }
}
