import { type AttributeValue, type DynamoDBClient, GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { JournalEvent, type Json, type ProposalRecord } from "@relief-ledger/core";
import { itemToRecord, toItem } from "./codec.ts";
import { loadEntities } from "./entities.ts";
import { emptyHead, type Head, itemToHead } from "./head.ts";
import { batchIndexKey, headKey } from "./keys.ts";
import type { StateModel } from "./model.ts";
import {
  type EntryFilter,
  type EntryPage,
  type EntryPageRequest,
  listEntities,
  listProposals,
  type ProposalFilter,
  queryEntries,
} from "./queries.ts";
import { JOURNAL_INDEXES, type TableNames } from "./tables.ts";

export type ReadRange = { readonly fromSeq?: number; readonly toSeq?: number; readonly pageSize?: number };

/** A stored event as it came out of the table, not yet checked, and its index attributes. */
export type StoredRecord = {
  readonly seq: number;
  readonly record: { [key: string]: Json };
  readonly index: Record<string, unknown>;
};

/**
 * What reads a book: its head, its entities, its entries. Reads by key and by seq are strongly
 * consistent; what comes from an index (filtered entries, listed entities, the books) may lag a
 * write by a moment, as DynamoDB's global indexes do.
 */
export interface JournalRead<S> {
  /** The book's head as stored now (a strongly consistent read). */
  head(book: string): Promise<Head<S>>;
  /** Several entities at once (one batch read per hundred); a missing one maps to null. */
  entities(book: string, refs: readonly string[]): Promise<Map<string, Json | null>>;
  /** One entity (a beneficiary's record, say) as stored now; null when there is none. */
  entity(book: string, ref: string): Promise<Json | null>;
  /** One journal entry, checked against the event schema; undefined when there is none. */
  entry(book: string, seq: number): Promise<JournalEvent | undefined>;
  /** Every entity of a listed kind (audits, findings), read from the state table's byKind index. */
  entityList(book: string, kind: "audit" | "finding"): Promise<Json[]>;
  /** Every book of the deployment: `{id, name, openedOn}` each. */
  books(): Promise<{ id: string; name: string; openedOn: string }[]>;
  /** A page of entries matching a filter, oldest or newest first, from the index that serves it (queries.ts). */
  /** A book's proposals, newest first (queries.ts, listProposals). */
  proposals(book: string, filter: ProposalFilter): Promise<{ proposals: ProposalRecord[]; nextCursor?: number }>;
  queryEntries(book: string, filter: EntryFilter, page: EntryPageRequest): Promise<EntryPage>;
  /**
   * The events that describe a payout batch (keys.ts, BATCH_DESCRIBED_BY), in seq order, from the
   * byBatch index: it may lag a write by a moment, so a reader checks what it found (batches.ts).
   */
  batchEvents(book: string, batchId: string): AsyncGenerator<JournalEvent[]>;
  /** Stored records in seq order, a DynamoDB page at a time; nothing is checked. */
  records(book: string, range?: ReadRange): AsyncGenerator<StoredRecord[]>;
  /** Events in seq order, a page at a time. A record that is not a well-formed event throws: run verify. */
  read(book: string, range?: ReadRange): AsyncGenerator<JournalEvent[]>;
}

/** Reads the two tables for one deployment; holds nothing between calls. */
export class JournalReader<S> implements JournalRead<S> {
  private readonly client: DynamoDBClient;
  private readonly tables: TableNames;
  private readonly model: StateModel<S>;

  constructor(options: { client: DynamoDBClient; tables: TableNames; model: StateModel<S> }) {
    this.client = options.client;
    this.tables = options.tables;
    this.model = options.model;
  }

  async head(book: string): Promise<Head<S>> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tables.state, Key: toItem(headKey(book)), ConsistentRead: true }),
    );
    return Item ? itemToHead(Item, this.model) : emptyHead(this.model);
  }

  entities(book: string, refs: readonly string[]): Promise<Map<string, Json | null>> {
    return loadEntities(this.client, this.tables, book, refs);
  }

  async entity(book: string, ref: string): Promise<Json | null> {
    return (await loadEntities(this.client, this.tables, book, [ref])).get(ref) ?? null;
  }

  async entry(book: string, seq: number): Promise<JournalEvent | undefined> {
    for await (const page of this.read(book, { fromSeq: seq, toSeq: seq })) return page[0];
    return undefined;
  }

  entityList(book: string, kind: "audit" | "finding"): Promise<Json[]> {
    return listEntities(this.client, this.tables, book, kind);
  }

  async books(): Promise<{ id: string; name: string; openedOn: string }[]> {
    return (await listEntities(this.client, this.tables, "", "book")) as {
      id: string;
      name: string;
      openedOn: string;
    }[];
  }

  proposals(book: string, filter: ProposalFilter): Promise<{ proposals: ProposalRecord[]; nextCursor?: number }> {
    return listProposals(this.client, this.tables, book, filter);
  }

  queryEntries(book: string, filter: EntryFilter, page: EntryPageRequest): Promise<EntryPage> {
    return queryEntries(this.client, this.tables, book, filter, page);
  }

  async *records(book: string, range: ReadRange = {}): AsyncGenerator<StoredRecord[]> {
    const fromSeq = range.fromSeq ?? 1;
    const toSeq = range.toSeq ?? Number.MAX_SAFE_INTEGER;
    if (toSeq < fromSeq) return;
    let startKey: Record<string, AttributeValue> | undefined;
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

  async *read(book: string, range: ReadRange = {}): AsyncGenerator<JournalEvent[]> {
    for await (const page of this.records(book, range)) yield page.map(({ record }) => JournalEvent.parse(record));
  }

  async *batchEvents(book: string, batchId: string): AsyncGenerator<JournalEvent[]> {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tables.journal,
          IndexName: JOURNAL_INDEXES.byBatch.name,
          KeyConditionExpression: "#batch = :batch",
          ExpressionAttributeNames: { "#batch": JOURNAL_INDEXES.byBatch.partitionKey.name },
          ExpressionAttributeValues: toItem({ ":batch": batchIndexKey(book, batchId) }),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      startKey = page.LastEvaluatedKey;
      const items = page.Items ?? [];
      if (items.length > 0) yield items.map((item) => JournalEvent.parse(itemToRecord(item).record));
    } while (startKey);
  }
}
