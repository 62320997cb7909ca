import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  GetItemCommand,
  type KeysAndAttributes,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import type { Consumed } from "./append-types.ts";
import { toItem } from "./codec.ts";
import type { Outcome } from "./handoff.ts";
import { type IdempotencyRecord, readIdempotencyRecord } from "./idempotency.ts";
import { idempotencyKey, leaseKey, mailKey, outcomeKey, type StateKey } from "./keys.ts";

/**
 * The handoff's items in the state table (keys.ts), read and written: the protocol that moves a
 * command between them is handoff.ts. Kept apart so that the protocol reads as states and
 * transitions, and so that the one Delete the deployed roles are granted (a mail item, inside the
 * transaction that decides it: infra/permissions.ts) is written in this file only.
 */

/** A pending command as its mail item holds it. */
export type Mail = {
  readonly key: string;
  readonly mailId: string;
  readonly wire: string;
  /** The request's fingerprint: a retry of the same request waits for this mail instead of racing it. */
  readonly requestHash: string;
  /** Who sent it (the actor's subject): only they are told what became of it. */
  readonly requester: string;
  /** The request that sent it, for the events it records (AppendCommand's `requestId`). */
  readonly requestId?: string;
};

/** An outcome item: what its generation of mail (`mailId`) was decided as, and whose it was. */
export type StoredOutcome = { readonly mailId: string; readonly outcome: Outcome; readonly requester: string };

/** How long an outcome is kept: far longer than a sender waits, and than a client polls for it. */
const OUTCOME_DAYS = 7;

/** Delete the mail, on the condition that it is the generation being decided. */
export const consumeMail = (table: string, { mail, mailId }: Consumed): TransactWriteItem => ({
  Delete: {
    TableName: table,
    Key: toItem(mail),
    ConditionExpression: "mailId = :mailId",
    ExpressionAttributeValues: { ":mailId": { S: mailId } },
  },
});

/** The outcome of one generation of mail: its sender, and later its client, read it, matching `mailId`. */
const putOutcome = (
  table: string,
  { outcome, mailId }: Consumed,
  value: Outcome,
  requester: string,
  decidedAt: Date,
): TransactWriteItem => ({
  Put: {
    TableName: table,
    Item: toItem({
      ...outcome,
      mailId,
      outcome: JSON.stringify(value),
      requester,
      decidedAt: decidedAt.toISOString(),
      // Read within seconds by its sender, or polled by its client for as long as it cares to;
      // DynamoDB's TTL (the state table's `expiresAt`) removes it after a week.
      expiresAt: Math.floor(decidedAt.getTime() / 1000) + OUTCOME_DAYS * 86_400,
    }),
  },
});

/** What one read finds of a request's items: its outcome, its idempotency record, and the book's lease. */
export type Seen = {
  readonly outcome?: StoredOutcome;
  readonly record?: IdempotencyRecord;
  /** Whether the lease is free (or expired) to take. */
  readonly leaseFree: boolean;
};

/** The handoff's items of one deployment's state table. */
export class Mailbox {
  private readonly client: DynamoDBClient;
  private readonly table: string;
  /** This instance's name in leases. */
  private readonly instance: string;

  constructor(options: { client: DynamoDBClient; table: string; instance: string }) {
    this.client = options.client;
    this.table = options.table;
    this.instance = options.instance;
  }

  /**
   * Puts mail under its key if none is there. When a mail item already holds the key, its
   * generation and fingerprint come back instead, read in the same call (a cancelled condition
   * hands back the item it failed on); undefined if the put lost to another transaction.
   */
  async post(
    book: string,
    { key, mailId, wire, requestHash, requester, requestId }: Mail,
  ): Promise<{ posted: true } | { posted: false; held?: Pick<Mail, "mailId" | "requestHash"> }> {
    const put: TransactWriteItem = {
      Put: {
        TableName: this.table,
        Item: toItem({ ...mailKey(book, key), mailId, wire, requestHash, requester, requestId }),
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: [put] }));
      return { posted: true };
    } catch (error) {
      const held = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (held?.Code === "TransactionConflict") return { posted: false };
      if (held?.Code !== "ConditionalCheckFailed") throw error;
      const other = held.Item ? readMail(held.Item) : undefined;
      return { posted: false, ...(other ? { held: other } : {}) };
    }
  }

  /** Consumes mail and writes its outcome, if it is still the same generation. True if this call decided it. */
  settle(consumed: Consumed, outcome: Outcome, requester: string): Promise<boolean> {
    return this.write(
      [consumeMail(this.table, consumed), putOutcome(this.table, consumed, outcome, requester, new Date())],
      "ConditionalCheckFailed",
    );
  }

  /** The mail pending under a key, if any (GetItem: the read-only role may read it too). */
  async mail(book: string, key: string): Promise<Mail | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: toItem(mailKey(book, key)), ConsistentRead: true }),
    );
    return Item ? readMail(Item) : undefined;
  }

  /** The book's pending mail, oldest key first, up to `limit`. */
  async pending(book: string, limit: number): Promise<Mail[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: mailKey(book, "").pk } },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return Items.flatMap((item) => {
      const mail = readMail(item);
      return mail ? [mail] : [];
    });
  }

  /** Whether the book has any mail: an eventually consistent look (half the price), for a sweep. */
  async hasMail(book: string): Promise<boolean> {
    const { Count = 0 } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: mailKey(book, "").pk } },
        Select: "COUNT",
        Limit: 1,
      }),
    );
    return Count > 0;
  }

  /** A request's outcome item, its idempotency record and the book's lease, in one strongly consistent read. */
  async look(book: string, key: string): Promise<Seen> {
    const outcome = outcomeKey(book, key);
    const idem = idempotencyKey(book, key);
    const lease = leaseKey(book);
    const found = await this.load([outcome, idem, lease]);
    const decided = found.get(outcome.pk);
    const recorded = found.get(idem.pk);
    const held = found.get(lease.pk);
    return {
      ...(decided?.mailId?.S && decided.outcome?.S
        ? {
            outcome: {
              mailId: decided.mailId.S,
              outcome: JSON.parse(decided.outcome.S) as Outcome,
              requester: decided.requester?.S ?? "",
            },
          }
        : {}),
      ...(recorded ? { record: readIdempotencyRecord(recorded) } : {}),
      leaseFree: !held?.holder?.S || Number(held.until?.N ?? 0) < Date.now(),
    };
  }

  /** Takes or renews the book's lease for `ms`; false if another instance holds it. */
  lease(book: string, ms: number): Promise<boolean> {
    const now = Date.now();
    return this.write(
      [
        {
          Put: {
            TableName: this.table,
            Item: toItem({ ...leaseKey(book), holder: this.instance, until: now + ms }),
            ConditionExpression: "attribute_not_exists(pk) OR #until < :now OR holder = :me",
            ExpressionAttributeNames: { "#until": "until" },
            ExpressionAttributeValues: { ":now": { N: String(now) }, ":me": { S: this.instance } },
          },
        },
      ],
      "ConditionalCheckFailed",
    );
  }

  async release(book: string): Promise<void> {
    await this.write(
      [
        {
          Put: {
            TableName: this.table,
            Item: toItem({ ...leaseKey(book), holder: "", until: 0 }),
            ConditionExpression: "holder = :me",
            ExpressionAttributeValues: { ":me": { S: this.instance } },
          },
        },
      ],
      "ConditionalCheckFailed",
    );
  }

  /**
   * One small transaction (the functions' role puts items only inside transactions). False when
   * it was cancelled for the expected reason (a condition); anything else is thrown, except a
   * conflict with another transaction on the same items, which is also just a "no".
   */
  private async write(items: TransactWriteItem[], expected: string): Promise<boolean> {
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (codes.some((code) => code === expected || code === "TransactionConflict")) return false;
      }
      throw error;
    }
  }

  /** Items by key, in one strongly consistent BatchGetItem, by partition key. */
  private async load(keys: readonly StateKey[]): Promise<Map<string, Record<string, AttributeValue>>> {
    const found = new Map<string, Record<string, AttributeValue>>();
    let request: Record<string, KeysAndAttributes> | undefined = {
      [this.table]: { Keys: keys.map((key) => toItem(key)), ConsistentRead: true },
    };
    while (request && Object.keys(request).length > 0) {
      const answer: BatchGetItemCommandOutput = await this.client.send(
        new BatchGetItemCommand({ RequestItems: request }),
      );
      for (const item of answer.Responses?.[this.table] ?? []) if (item.pk?.S) found.set(item.pk.S, item);
      request = answer.UnprocessedKeys;
    }
    return found;
  }
}

function readMail(item: Record<string, AttributeValue>): Mail | undefined {
  const { sk, mailId, wire, requestHash, requester, requestId } = item;
  if (!sk?.S || !mailId?.S || !wire?.S) return undefined;
  return {
    key: sk.S,
    mailId: mailId.S,
    wire: wire.S,
    requestHash: requestHash?.S ?? "",
    requester: requester?.S ?? "",
    ...(requestId?.S ? { requestId: requestId.S } : {}),
  };
}
