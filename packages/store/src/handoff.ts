import { randomUUID } from "node:crypto";
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
import { err, type Json, ok } from "@relief-ledger/core";
import type { AppendCommand, AppendResult, Consumed } from "./append-types.ts";
import type { BookWriter, WriterStats } from "./book-writer.ts";
import { toItem } from "./codec.ts";
import { type IdempotencyRecord, readIdempotencyRecord } from "./idempotency.ts";
import { idempotencyKey, leaseKey, mailKey, outcomeKey, type StateKey } from "./keys.ts";
import { consumeMail, type Outcome, putOutcome } from "./mailbox.ts";
import type { TableNames } from "./tables.ts";

/**
 * One writer per book, across instances. Every append conditions on the book's head, so when
 * many instances (Lambdas) append to one book at once, each round has one winner and the rest
 * resend whole transactions that DynamoDB evaluates and cancels: throughput collapses (bench/,
 * "2. Contended throughput"). Inside one instance the writer's queue avoids that with group
 * commit; this takes the same cure across instances.
 *
 * A command that has lost the race a few times is handed over: its sender writes it as mail
 * (the command as data, `wire`) and waits for its outcome. Meanwhile whichever waiting instance
 * holds the book's lease (a short-lived item, renewed while used) becomes the combiner: it reads
 * all pending mail, rebuilds each command (`revive`) and appends them through its own writer,
 * many to a transaction. Each decision deletes its mail in the same transaction as the events
 * and the outcome (mailbox.ts), so a command is decided once even if two instances try at once
 * (a lease that expired under a slow combiner): the lease is for speed, never for correctness.
 *
 * A sender gives up after `waitMs` by settling its mail as cancelled, which, being a decision
 * too, can only happen if no one has decided it: it then answers append-conflict, having
 * recorded nothing, and its client retries with the same Idempotency-Key. A retry that reaches
 * another instance first settles any mail of the same key before it refuses (`cancelPending`),
 * so that a stale mail cannot be recorded after its client was told no.
 */
export type HandoffOptions<S> = {
  readonly client: DynamoDBClient;
  readonly tables: TableNames;
  /** This instance, as the lease names its holder. */
  readonly instance: string;
  readonly writer: (book: string) => BookWriter<S>;
  readonly revive: (book: string, wire: Json) => AppendCommand<S>;
  /** The idempotency record of a key, if the key has been used in the book. */
  readonly lookupKey: (book: string, key: string) => Promise<IdempotencyRecord | undefined>;
  /** The answer for a recorded command: its events, from its idempotency record. */
  readonly replay: (book: string, command: AppendCommand<S>, record: IdempotencyRecord) => Promise<AppendResult>;
  /** How long a sender waits for its outcome before it cancels. */
  readonly waitMs: number;
  /** How long a lease lasts unless renewed: how long a crashed combiner holds the others up. */
  readonly leaseMs: number;
  readonly stats: WriterStats;
};

/** A combiner gives the lease up after this long, so that its own request gets its answer. */
const COMBINE_MS = 1_000;
/** Mail a combiner takes in one go: as many as a group commit could use. */
const MAIL_PAGE = 100;
/** A command too large to travel as mail races instead (an item holds 400 KB). */
const MAX_WIRE_BYTES = 300_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Mail = { readonly key: string; readonly mailId: string; readonly wire: string };

export class Handoff<S> {
  private readonly options: HandoffOptions<S>;
  /** Books this instance is combining: its other senders wait instead of combining twice. */
  private readonly combining = new Set<string>();

  constructor(options: HandoffOptions<S>) {
    this.options = options;
  }

  /** Whether a command can be handed over at all. */
  accepts(command: AppendCommand<S>): boolean {
    return command.wire !== undefined && command.consumes === undefined;
  }

  /** Hands a command over and waits for its outcome. */
  async submit(book: string, command: AppendCommand<S>): Promise<AppendResult | undefined> {
    const wire = JSON.stringify(command.wire);
    if (wire.length > MAX_WIRE_BYTES) return undefined;
    const mailId = randomUUID();
    const mail = mailKey(book, command.idempotencyKey);
    // Taken before the mail exists: a record older than this was made by an earlier request.
    const posted = Date.now();
    const sent = await this.write(
      [
        {
          Put: {
            TableName: this.options.tables.state,
            Item: toItem({ ...mail, mailId, wire }),
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      ],
      "ConditionalCheckFailed",
    );
    // The same key is already waiting (a client that sent it twice at once): this copy races instead,
    // and the idempotency record sorts the two out as it does for any retry.
    if (!sent) return undefined;
    this.options.stats.handedOff += 1;
    const consumed: Consumed = { mail, mailId, outcome: outcomeKey(book, command.idempotencyKey) };
    const deadline = posted + this.options.waitMs;
    let pause = 8;
    for (;;) {
      const { outcome, record, leaseFree } = await this.look(book, consumed);
      if (outcome) return this.answer(book, command, outcome);
      if (record) {
        // Recorded: by the combiner, or (recorded before this was posted) by an earlier request.
        const found = await this.options.replay(book, command, record);
        return found.ok ? ok({ ...found.value, replayed: Date.parse(record.recordedAt) < posted }) : found;
      }
      if (Date.now() >= deadline) {
        if (await this.decide(consumed, { kind: "cancelled" })) {
          return err({
            code: "append-conflict",
            message: `the book was too busy to record this within ${this.options.waitMs} ms; nothing was recorded`,
            attempts: 0,
          });
        }
        continue; // decided meanwhile: read it
      }
      // Only a free (or expired) lease is worth a transaction: trying a held one would be the
      // very load on DynamoDB that the handoff is there to spare.
      if (leaseFree && !this.combining.has(book) && (await this.lease(book))) {
        await this.combine(book);
        continue;
      }
      await sleep(pause * (0.5 + Math.random()));
      pause = Math.min(48, pause * 1.5);
    }
  }

  /**
   * Before a command is refused outright: if a copy of the same request is waiting as mail (its
   * sender gave up, or is still waiting), settle it as cancelled, so that it cannot be recorded
   * after this refusal. If it was decided first, the caller's idempotency check finds the result.
   */
  async cancelPending(book: string, command: AppendCommand<S>): Promise<void> {
    const mail = mailKey(book, command.idempotencyKey);
    const mailId = await this.mailIdOf(mail);
    if (mailId === undefined) return;
    await this.decide({ mail, mailId, outcome: outcomeKey(book, command.idempotencyKey) }, { kind: "cancelled" });
  }

  /** Decides pending mail through this instance's writer while the lease lasts, for COMBINE_MS at most. */
  private async combine(book: string): Promise<void> {
    this.combining.add(book);
    const until = Date.now() + COMBINE_MS;
    try {
      for (;;) {
        const mail = await this.pending(book);
        if (mail.length === 0) return;
        await Promise.all(mail.map((item) => this.decideMail(book, item)));
        if (Date.now() >= until || !(await this.lease(book))) return;
      }
    } finally {
      this.combining.delete(book);
      await this.release(book);
    }
  }

  private async decideMail(book: string, { key, mailId, wire }: Mail): Promise<void> {
    const consumed: Consumed = { mail: mailKey(book, key), mailId, outcome: outcomeKey(book, key) };
    let result: AppendResult;
    try {
      const command = { ...this.options.revive(book, JSON.parse(wire) as Json), consumes: consumed };
      // A recording deletes the mail in its own transaction; its sender then finds the idempotency record.
      result = await this.options.writer(book).append(command);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (await this.decide(consumed, { kind: "failed", message })) this.options.stats.combined += 1;
      return;
    }
    let decided: boolean;
    if (result.ok) {
      // A recording consumed the mail in its own transaction; anything else is settled here.
      if (result.value.replayed) decided = await this.decide(consumed, { kind: "replayed" });
      else if (result.value.events.length === 0) decided = await this.decide(consumed, { kind: "nothing" });
      else decided = true;
    } else if (result.error.code === "append-conflict") {
      // Lost every race, or already decided elsewhere: the mail stays (or is gone), nothing to write.
      return;
    } else {
      decided = await this.decide(consumed, { kind: "refused", error: result.error });
    }
    if (decided) this.options.stats.combined += 1;
  }

  /** What the sender is told, from the outcome of its mail. */
  private async answer(book: string, command: AppendCommand<S>, outcome: Outcome): Promise<AppendResult> {
    switch (outcome.kind) {
      case "replayed": {
        const record = await this.options.lookupKey(book, command.idempotencyKey);
        if (!record) throw new Error(`handed-over command ${command.idempotencyKey} was replayed but has no record`);
        return this.options.replay(book, command, record);
      }
      case "nothing":
        return ok({ events: [], replayed: false });
      case "refused":
        return err(outcome.error);
      case "failed":
        throw new Error(`a handed-over command failed: ${outcome.message}`);
      case "cancelled":
        return err({ code: "append-conflict", message: "the request was settled by a retry", attempts: 0 });
    }
  }

  /** Settles mail: consumes it and writes its outcome, if it is still pending. True if this call decided it. */
  private decide(consumed: Consumed, outcome: Outcome): Promise<boolean> {
    const table = this.options.tables.state;
    return this.write(
      [consumeMail(table, consumed), putOutcome(table, consumed, outcome, new Date())],
      "ConditionalCheckFailed",
    );
  }

  /**
   * One read for a waiting sender: its outcome if it was decided without a recording, the key's
   * idempotency record if it was recorded, and whether the lease is free to take.
   */
  private async look(
    book: string,
    { mail, outcome, mailId }: Consumed,
  ): Promise<{ outcome?: Outcome; record?: IdempotencyRecord; leaseFree: boolean }> {
    const table = this.options.tables.state;
    const lease = leaseKey(book);
    const idem = idempotencyKey(book, mail.sk);
    const found = await loadItems(this.options.client, table, [outcome, idem, lease]);
    const decided = found.get(outcome.pk);
    const held = found.get(lease.pk);
    const recorded = found.get(idem.pk);
    const leaseFree = !held?.holder?.S || Number(held.until?.N ?? 0) < Date.now();
    // An outcome of an earlier generation (the same key handed over before) is not this one's.
    if (decided?.mailId?.S === mailId && decided.outcome?.S) {
      return { outcome: JSON.parse(decided.outcome.S) as Outcome, leaseFree };
    }
    return { ...(recorded ? { record: readIdempotencyRecord(recorded) } : {}), leaseFree };
  }

  private async mailIdOf(mail: StateKey): Promise<string | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tables.state, Key: toItem(mail), ConsistentRead: true }),
    );
    return Item?.mailId?.S;
  }

  /** The book's pending mail, oldest key first, up to MAIL_PAGE. */
  private async pending(book: string): Promise<Mail[]> {
    const { Items = [] } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tables.state,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: mailKey(book, "").pk } },
        ConsistentRead: true,
        Limit: MAIL_PAGE,
      }),
    );
    return Items.flatMap((item) =>
      item.sk?.S && item.mailId?.S && item.wire?.S
        ? [{ key: item.sk.S, mailId: item.mailId.S, wire: item.wire.S }]
        : [],
    );
  }

  /** Takes or renews the book's lease; false if another instance holds it. */
  private lease(book: string): Promise<boolean> {
    const now = Date.now();
    return this.write(
      [
        {
          Put: {
            TableName: this.options.tables.state,
            Item: toItem({ ...leaseKey(book), holder: this.options.instance, until: now + this.options.leaseMs }),
            ConditionExpression: "attribute_not_exists(pk) OR #until < :now OR holder = :me",
            ExpressionAttributeNames: { "#until": "until" },
            ExpressionAttributeValues: { ":now": { N: String(now) }, ":me": { S: this.options.instance } },
          },
        },
      ],
      "ConditionalCheckFailed",
    );
  }

  private async release(book: string): Promise<void> {
    await this.write(
      [
        {
          Put: {
            TableName: this.options.tables.state,
            Item: toItem({ ...leaseKey(book), holder: "", until: 0 }),
            ConditionExpression: "holder = :me",
            ExpressionAttributeValues: { ":me": { S: this.options.instance } },
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
      await this.options.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (codes.some((code) => code === expected || code === "TransactionConflict")) return false;
      }
      throw error;
    }
  }
}

/** Items of one table by key, in one strongly consistent BatchGetItem, by partition key. */
async function loadItems(
  client: DynamoDBClient,
  table: string,
  keys: readonly StateKey[],
): Promise<Map<string, Record<string, AttributeValue>>> {
  const found = new Map<string, Record<string, AttributeValue>>();
  let request: Record<string, KeysAndAttributes> | undefined = {
    [table]: { Keys: keys.map((key) => toItem(key)), ConsistentRead: true },
  };
  while (request && Object.keys(request).length > 0) {
    const answer: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: request }));
    for (const item of answer.Responses?.[table] ?? []) if (item.pk?.S) found.set(item.pk.S, item);
    request = answer.UnprocessedKeys;
  }
  return found;
}

/** A name for this instance in leases: unique per process. */
export const instanceName = (): string => `instance-${randomUUID()}`;
