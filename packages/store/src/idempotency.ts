import { type AttributeValue, type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { err, type JournalEvent, ok } from "@relief-ledger/core";
import type { AppendCommand, AppendDecision } from "./append-types.ts";
import { toItem } from "./codec.ts";
import type { JournalRead } from "./journal-read.ts";
import { idempotencyKey } from "./keys.ts";
import type { TableNames } from "./tables.ts";

/**
 * What the journal keeps per idempotency key: a fingerprint of the request and the seqs it
 * recorded. A retry is answered from the journal itself (those seqs), so the record stays small
 * however large the original response was.
 */
export type IdempotencyRecord = {
  readonly requestHash: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly recordedAt: string;
};

export function readIdempotencyRecord(item: Record<string, AttributeValue>): IdempotencyRecord {
  const { requestHash, firstSeq, lastSeq, recordedAt } = item;
  if (!requestHash?.S || !firstSeq?.N || !lastSeq?.N) throw new Error("malformed idempotency record");
  return {
    requestHash: requestHash.S,
    firstSeq: Number(firstSeq.N),
    lastSeq: Number(lastSeq.N),
    recordedAt: recordedAt?.S ?? "",
  };
}

/**
 * The requests a book has recorded, by idempotency key: what a writer asks before it refuses a
 * command, and what the handoff asks for a handed-over one. One object that both are given.
 */
export class RecordedRequests {
  private readonly client: DynamoDBClient;
  private readonly tables: TableNames;
  private readonly journal: Pick<JournalRead<unknown>, "read">;

  constructor(options: { client: DynamoDBClient; tables: TableNames; journal: Pick<JournalRead<unknown>, "read"> }) {
    this.client = options.client;
    this.tables = options.tables;
    this.journal = options.journal;
  }

  /** The key's record, if the key has been used in the book (a strongly consistent read). */
  async lookup(book: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tables.state,
        Key: toItem(idempotencyKey(book, key)),
        ConsistentRead: true,
      }),
    );
    return Item ? readIdempotencyRecord(Item) : undefined;
  }

  /** The events a record names, read back from the journal. */
  async events(book: string, record: IdempotencyRecord): Promise<JournalEvent[]> {
    const events: JournalEvent[] = [];
    for await (const page of this.journal.read(book, { fromSeq: record.firstSeq, toSeq: record.lastSeq })) {
      events.push(...page);
    }
    return events;
  }

  /** The answer to a command whose key is recorded: the original events, or idempotency-key-reused. */
  async replay(
    book: string,
    command: Pick<AppendCommand<unknown>, "idempotencyKey" | "requestHash">,
    record: IdempotencyRecord,
  ): Promise<AppendDecision> {
    if (record.requestHash !== command.requestHash) {
      return err({
        code: "idempotency-key-reused",
        message: `idempotency key ${command.idempotencyKey} was used for a different request`,
        idempotencyKey: command.idempotencyKey,
      });
    }
    return ok({ events: await this.events(book, record), replayed: true });
  }
}
