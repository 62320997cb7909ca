import { type DynamoDBClient, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import {
  type ChainReport,
  createChainVerifier,
  EMPTY_HEAD,
  err,
  JournalEvent,
  type Json,
  MAX_LISTED_BREAKS,
  ok,
} from "@relief-ledger/core";
import type { AppendCommand, AppendResult } from "./append-types.ts";
import { BookWriter, type WriterStats } from "./book-writer.ts";
import { itemToRecord, toItem } from "./codec.ts";
import { loadEntities } from "./entities.ts";
import { Handoff, instanceName } from "./handoff.ts";
import { emptyHead, type Head, itemToHead } from "./head.ts";
import { type IdempotencyRecord, readIdempotencyRecord } from "./idempotency.ts";
import { headKey, idempotencyKey, journalIndexKeys } from "./keys.ts";
import type { StateModel } from "./model.ts";
import { type EntryFilter, type EntryPage, type EntryPageRequest, listEntities, queryEntries } from "./queries.ts";
import type { TableNames } from "./tables.ts";

export type JournalOptions<S> = {
  readonly client: DynamoDBClient;
  readonly tables: TableNames;
  readonly model: StateModel<S>;
  readonly clock?: () => Date;
  /** Lost races one command may suffer before append-conflict; see BookWriter. */
  readonly maxAttempts?: number;
  /**
   * Rebuilds a command from its `wire`: with it, a command that keeps losing the head race to
   * other instances is handed over to one of them (handoff.ts). Without it, commands only race.
   */
  readonly revive?: (book: string, wire: Json) => AppendCommand<S>;
  /** Lost races before a command is handed over (0: at once, without racing). */
  readonly handoffAfter?: number;
  /** How long a handed-over command waits for its outcome before it gives up (cancels). */
  readonly handoffWaitMs?: number;
  /** How long a combiner's lease lasts unless renewed. */
  readonly leaseMs?: number;
};

/** Lost races before a command is handed over: two instances rarely collide three times running. */
const HANDOFF_AFTER = 2;
/** How long a book counts as contended after this instance last lost a race on it or handed a command over. */
const CONTENDED_MS = 2_000;

export type ReadRange = { readonly fromSeq?: number; readonly toSeq?: number; readonly pageSize?: number };

/** A stored event as it came out of the table, not yet checked, and its index attributes. */
export type StoredRecord = {
  readonly seq: number;
  readonly record: { [key: string]: Json };
  readonly index: Record<string, unknown>;
};

export type VerifyReport = ChainReport & { readonly headSeq: number; readonly headHash: string };

/**
 * The book journals: append commands, read events in order, verify the chain. One instance per
 * process (a Lambda instance, the local server); it keeps one writer and one cached head per book.
 */
export class Journal<S> {
  private readonly writers = new Map<string, BookWriter<S>>();
  /** Transactions sent, commands committed, races lost to other processes, commands retried. */
  readonly stats: WriterStats = {
    transactions: 0,
    committed: 0,
    lostRaces: 0,
    retries: 0,
    reloads: 0,
    handedOff: 0,
    combined: 0,
  };
  private readonly client: DynamoDBClient;
  private readonly tables: TableNames;
  private readonly model: StateModel<S>;
  private readonly options: JournalOptions<S>;
  private readonly handoff: Handoff<S> | undefined;
  /** Books this instance lost a race on or handed a command over for, until when they count as contended. */
  private readonly contended = new Map<string, number>();

  constructor(options: JournalOptions<S>) {
    this.options = options;
    this.client = options.client;
    this.tables = options.tables;
    this.model = options.model;
    this.handoff = options.revive
      ? new Handoff({
          client: options.client,
          tables: options.tables,
          instance: instanceName(),
          writer: (book) => this.writer(book),
          revive: options.revive,
          lookupKey: (book, key) => this.lookupKey(book, key),
          replay: (book, command, record) => this.replay(book, command, record),
          waitMs: options.handoffWaitMs ?? 20_000,
          leaseMs: options.leaseMs ?? 3_000,
          stats: this.stats,
        })
      : undefined;
  }

  /**
   * Appends a command to a book. It races other instances for the head; one that keeps losing
   * is handed over to the instance combining the book, if the journal can revive commands.
   */
  async append(book: string, command: AppendCommand<S>): Promise<AppendResult> {
    const writer = this.writer(book);
    const handoff = this.handoff;
    if (!handoff?.accepts(command)) return writer.append(command);
    // A book this instance recently lost a race on is still contended: its next commands skip the
    // races they would likely lose, and go straight to the combiner.
    const hot = (this.contended.get(book) ?? 0) > Date.now();
    const after = hot ? 0 : (this.options.handoffAfter ?? HANDOFF_AFTER);
    if (after > 0) {
      const lostBefore = this.stats.lostRaces;
      const raced = await writer.append(command, after);
      // Even a race lost and then won says the book is contended: the next commands go to the
      // combiner, and stop taking its turns away from it.
      if (this.stats.lostRaces > lostBefore) this.contended.set(book, Date.now() + CONTENDED_MS);
      if (raced.ok || raced.error.code !== "append-conflict") return raced;
    }
    this.contended.set(book, Date.now() + CONTENDED_MS);
    return (await handoff.submit(book, command)) ?? writer.append(command);
  }

  private writer(book: string): BookWriter<S> {
    let writer = this.writers.get(book);
    if (!writer) {
      writer = new BookWriter(book, {
        client: this.client,
        tables: this.tables,
        model: this.model,
        clock: this.options.clock ?? (() => new Date()),
        maxAttempts: this.options.maxAttempts ?? 12,
        loadHead: (id) => this.head(id),
        lookupKey: (id, key) => this.lookupKey(id, key),
        replay: (id, replayed, record) => this.replay(id, replayed, record),
        ...(this.handoff
          ? { beforeRefusal: (id: string, refused: AppendCommand<S>) => this.cancelHandedOff(id, refused) }
          : {}),
        stats: this.stats,
      });
      this.writers.set(book, writer);
    }
    return writer;
  }

  private async cancelHandedOff(book: string, command: AppendCommand<S>): Promise<void> {
    if (this.handoff?.accepts(command)) await this.handoff.cancelPending(book, command);
  }

  /** The book's head as stored now (a strongly consistent read). */
  async head(book: string): Promise<Head<S>> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tables.state, Key: toItem(headKey(book)), ConsistentRead: true }),
    );
    return Item ? itemToHead(Item, this.model) : emptyHead(this.model);
  }

  /** Several entities at once (one batch read per hundred); a missing one maps to null. */
  entities(book: string, refs: readonly string[]): Promise<Map<string, Json | null>> {
    return loadEntities(this.client, this.tables, book, refs);
  }

  /** One entity (a beneficiary's record, say) as stored now; null when there is none. */
  async entity(book: string, ref: string): Promise<Json | null> {
    return (await loadEntities(this.client, this.tables, book, [ref])).get(ref) ?? null;
  }

  /** One journal entry, checked against the event schema; undefined when there is none. */
  async entry(book: string, seq: number): Promise<JournalEvent | undefined> {
    for await (const page of this.read(book, { fromSeq: seq, toSeq: seq })) return page[0];
    return undefined;
  }

  /** Every entity of a listed kind (audits, findings), read from the state table's byKind index. */
  entityList(book: string, kind: "audit" | "finding"): Promise<Json[]> {
    return listEntities(this.client, this.tables, book, kind);
  }

  /** Every book of the deployment: `{id, name, openedOn}` each. */
  async books(): Promise<{ id: string; name: string; openedOn: string }[]> {
    return (await listEntities(this.client, this.tables, "", "book")) as {
      id: string;
      name: string;
      openedOn: string;
    }[];
  }

  /** A page of entries matching a filter, oldest or newest first, from the index that serves it (queries.ts). */
  queryEntries(book: string, filter: EntryFilter, page: EntryPageRequest): Promise<EntryPage> {
    return queryEntries(this.client, this.tables, book, filter, page);
  }

  private async lookupKey(book: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tables.state,
        Key: toItem(idempotencyKey(book, key)),
        ConsistentRead: true,
      }),
    );
    return Item ? readIdempotencyRecord(Item) : undefined;
  }

  private async replay(book: string, command: AppendCommand<S>, record: IdempotencyRecord): Promise<AppendResult> {
    if (record.requestHash !== command.requestHash) {
      return err({
        code: "idempotency-key-reused",
        message: `idempotency key ${command.idempotencyKey} was used for a different request`,
        idempotencyKey: command.idempotencyKey,
      });
    }
    const events: JournalEvent[] = [];
    for await (const page of this.read(book, { fromSeq: record.firstSeq, toSeq: record.lastSeq })) events.push(...page);
    return ok({ events, replayed: true });
  }

  /** Stored records in seq order, a DynamoDB page at a time; nothing is checked. */
  async *records(book: string, range: ReadRange = {}): AsyncGenerator<StoredRecord[]> {
    const fromSeq = range.fromSeq ?? 1;
    const toSeq = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    if (toSeq < fromSeq) return;
    let startKey: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tables.journal,
          KeyConditionExpression: "#book = :book AND #seq BETWEEN :from AND :to",
          ExpressionAttributeNames: { "#book": "book", "#seq": "seq" },
          ExpressionAttributeValues: toItem({ ":book": book, ":from": fromSeq, ":to": toSeq }),
          ConsistentRead: true,
          ...(range.pageSize ? { Limit: range.pageSize } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      startKey = page.LastEvaluatedKey;
      const items = page.Items ?? [];
      if (items.length > 0) yield items.map((item) => ({ seq: Number(item.seq?.N), ...itemToRecord(item) }));
    } while (startKey);
  }

  /** Events in seq order, a page at a time. A record that is not a well-formed event throws: run verify. */
  async *read(book: string, range: ReadRange = {}): AsyncGenerator<JournalEvent[]> {
    for await (const page of this.records(book, range)) yield page.map(({ record }) => JournalEvent.parse(record));
  }

  /**
   * Recomputes the chain over a range (by default the whole book) and reports every seq that is
   * missing, altered or out of place (the first hundred). Reading to the head also checks the
   * head's hash, and that nothing sits beyond the head. `observe` sees each stored record as it
   * passes, so that a caller can check more in the same read (verify-book.ts: checkpoints, state).
   */
  async verify(
    book: string,
    range: { fromSeq?: number; toSeq?: number } = {},
    observe?: (stored: StoredRecord) => void,
    /** A request's deadline: an aborted signal stops the read between pages. */
    signal?: AbortSignal,
  ): Promise<VerifyReport> {
    const head = await this.head(book);
    const fromSeq = Math.max(1, range.fromSeq ?? 1);
    const toSeq = Math.min(range.toSeq ?? head.seq, head.seq);
    const at = { headSeq: head.seq, headHash: head.hash };
    let start = EMPTY_HEAD;
    if (fromSeq > 1) {
      // The range is anchored on the event before it, whose own seal is checked first.
      const anchor = createChainVerifier({ seq: fromSeq - 2, hash: "" });
      let anchorRecord: StoredRecord | undefined;
      for await (const page of this.records(book, { fromSeq: fromSeq - 1, toSeq: fromSeq - 1 })) anchorRecord = page[0];
      const sealed = anchorRecord ? JournalEvent.safeParse(anchorRecord.record) : undefined;
      if (!anchorRecord || !sealed?.success) return { ...anchor.finish(fromSeq - 1), ...at };
      start = { seq: sealed.data.seq, hash: sealed.data.hash };
    }
    const verifier = createChainVerifier(start);
    for await (const page of this.records(book, { fromSeq, toSeq, pageSize: 1000 })) {
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
      if (beyond !== undefined && beyond > (await this.head(book)).seq) {
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
    for await (const page of this.records(book, { fromSeq: seq + 1, pageSize: 1 })) return page[0]?.seq;
    return undefined;
  }
}

/**
 * Whether an item's index attributes are the ones its event derives: an altered one would hide
 * the event from a beneficiary's history or a programme's month without touching its hash.
 */
function indexMismatch(record: { [key: string]: Json }, index: Record<string, unknown>): string | undefined {
  const { book, type, occurredOn, payload } = record;
  if (typeof book !== "string" || typeof type !== "string" || typeof occurredOn !== "string") return undefined;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  const expected = journalIndexKeys({ book, type, occurredOn, payload });
  const names = new Set([...Object.keys(expected), ...Object.keys(index)]);
  for (const name of names) {
    if (expected[name] !== index[name]) {
      return `index attribute ${name} is ${JSON.stringify(index[name] ?? null)}, the event derives ${JSON.stringify(expected[name] ?? null)}`;
    }
  }
  return undefined;
}
