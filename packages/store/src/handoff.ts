import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DomainError, err, type Json, ok } from "@relief-ledger/core";
import type { AppendCommand, AppendResult, Consumed } from "./append-types.ts";
import type { BookWriter, WriterStats } from "./book-writer.ts";
import type { IdempotencyRecord, RecordedRequests } from "./idempotency.ts";
import { mailKey, outcomeKey } from "./keys.ts";
import { type Mail, Mailbox, type Seen } from "./mailbox.ts";
import type { TableNames } from "./tables.ts";

/**
 * One writer per book, across instances. Every append conditions on the book's head, so when
 * many instances (Lambdas) append to one book at once, each round has one winner and the rest
 * resend whole transactions that DynamoDB evaluates and cancels: throughput collapses (bench/,
 * "2. Contended throughput"). Inside one instance the writer's queue avoids that with group
 * commit; this takes the same cure across instances.
 *
 * A command that has lost the race a few times is handed over: its sender posts it as mail (the
 * command as data, `wire`) and waits. Whichever waiting instance holds the book's lease (a
 * short-lived item, renewed while used) is the combiner: it reads all pending mail, rebuilds each
 * command (`revive`) and appends them through its own writer, many to a transaction.
 *
 *                                 ┌─ record ─▶ recorded    its events, in the transaction that consumes the mail
 *   (none) ── post ──▶ pending ───┼─ settle ─▶ decided     an outcome item: refused, nothing, replayed or failed
 *                      (mail)     └─ cancel ─▶ cancelled   an outcome item: its sender gave up, or a retry was refused
 *
 * Every way out of `pending` deletes the mail, on the condition that it is still the generation
 * (`mailId`) being decided, in the same transaction as what it became (mailbox.ts). So a command
 * is decided once even if two instances try at once (a lease that expired under a slow combiner):
 * the lease is for speed, never for correctness.
 *
 * A sender gives up after `waitMs` by cancelling its mail, which, being a way out of `pending`
 * too, can only happen if no one has decided it: it then answers append-conflict, having recorded
 * nothing, and its client retries with the same Idempotency-Key. A retry that reaches a writer and
 * is refused there cancels any mail of the same key first, so that a stale copy cannot be recorded
 * after its client was told no; one that is recorded there leaves the mail to be settled as
 * `replayed`.
 */

/** What a settled command's outcome item holds. A recorded one has none: its idempotency record says it. */
export type Outcome =
  /** Recorded by an earlier request with the same key. */
  | { readonly kind: "replayed" }
  /** Decided with nothing to record. */
  | { readonly kind: "nothing" }
  | { readonly kind: "refused"; readonly error: DomainError }
  /** Deciding it threw: a fault, not an answer. */
  | { readonly kind: "failed"; readonly message: string }
  /** Its sender gave up waiting, or a retry of the same request was refused first: never to be recorded. */
  | { readonly kind: "cancelled" };

/** Where a handed-over command stands, as its sender sees it. */
export type HandoffState =
  | { readonly state: "pending" }
  | { readonly state: "recorded"; readonly record: IdempotencyRecord }
  | { readonly state: "decided"; readonly outcome: Exclude<Outcome, { kind: "cancelled" }> }
  | { readonly state: "cancelled" };

export type HandoffOptions<S> = {
  readonly client: DynamoDBClient;
  readonly tables: TableNames;
  /** Rebuilds a command from its wire (JournalOptions.revive). */
  readonly revive: (book: string, wire: Json) => AppendCommand<S>;
  /** What a sender answers when its command, or an earlier request with its key, was recorded. */
  readonly requests: RecordedRequests;
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

/** The mail a sender waits for, and when it was posted. */
type Waiting = { readonly mailId: string; readonly since: number };

export class Handoff<S> {
  private readonly options: HandoffOptions<S>;
  private readonly mailbox: Mailbox;
  /** Books this instance is combining: its other senders wait instead of combining twice. */
  private readonly combining = new Set<string>();

  constructor(options: HandoffOptions<S>) {
    this.options = options;
    this.mailbox = new Mailbox({
      client: options.client,
      table: options.tables.state,
      instance: `instance-${randomUUID()}`,
    });
  }

  /** Whether a command can be handed over at all: it travels as data, and is not itself a handed-over one. */
  accepts(command: AppendCommand<S>): boolean {
    return command.wire !== undefined && command.consumes === undefined;
  }

  /**
   * Hands a command over and waits for it to be recorded or refused, or for `waitMs` to pass
   * (cancelled). Undefined when it cannot go as mail: it is too large, or mail already holds its
   * key (a client that sent it twice at once); it then races, and the idempotency record sorts the
   * two out as for any retry.
   */
  async submit(book: string, command: AppendCommand<S>, writer: BookWriter<S>): Promise<AppendResult | undefined> {
    const waiting = await this.post(book, command);
    return waiting && this.wait(book, command, waiting, writer);
  }

  /** (none) → pending. */
  private async post(book: string, command: AppendCommand<S>): Promise<Waiting | undefined> {
    const wire = JSON.stringify(command.wire);
    if (wire.length > MAX_WIRE_BYTES) return undefined;
    const mailId = randomUUID();
    // Taken before the mail exists: a record older than this was made by an earlier request.
    const since = Date.now();
    if (!(await this.mailbox.post(book, { key: command.idempotencyKey, mailId, wire }))) return undefined;
    this.options.stats.handedOff += 1;
    return { mailId, since };
  }

  /** Waits for the mail's outcome, combining the book whenever its lease is free; cancels it after `waitMs`. */
  private async wait(
    book: string,
    command: AppendCommand<S>,
    waiting: Waiting,
    writer: BookWriter<S>,
  ): Promise<AppendResult> {
    const deadline = Date.now() + this.options.waitMs;
    let pause = 8;
    for (;;) {
      const seen = await this.mailbox.look(book, command.idempotencyKey);
      const state = senderState(seen, waiting.mailId);
      switch (state.state) {
        case "recorded": {
          // By the combiner, or (recorded before this was posted) by an earlier request.
          const found = await this.options.requests.replay(book, command, state.record);
          const earlier = Date.parse(state.record.recordedAt) < waiting.since;
          return found.ok ? ok({ ...found.value, replayed: earlier }) : found;
        }
        case "decided":
        case "cancelled":
          return this.answer(book, command, state);
        case "pending":
          if (Date.now() >= deadline) {
            if (await this.cancel(book, command.idempotencyKey, waiting.mailId)) return tooBusy(this.options.waitMs);
            continue; // decided meanwhile: read it
          }
          // Only a free (or expired) lease is worth a transaction: trying a held one would be the
          // very load on DynamoDB that the handoff is there to spare.
          if (seen.leaseFree && (await this.combine(book, writer))) continue;
          await sleep(pause * (0.5 + Math.random()));
          pause = Math.min(48, pause * 1.5);
      }
    }
  }

  /**
   * Before a command is refused outright: pending → cancelled for a copy of the same request
   * waiting as mail (its sender gave up, or is still waiting), so that it cannot be recorded after
   * this refusal. If it was decided first, the caller's idempotency check finds the result.
   */
  async cancelPending(book: string, command: AppendCommand<S>): Promise<void> {
    // A handed-over command being refused is the mail's own decision, settled by its combiner.
    if (!this.accepts(command)) return;
    const mail = await this.mailbox.mail(book, command.idempotencyKey);
    if (mail) await this.cancel(book, mail.key, mail.mailId);
  }

  /** pending → cancelled. True if this call did it. */
  private cancel(book: string, key: string, mailId: string): Promise<boolean> {
    return this.settle(book, { key, mailId }, { kind: "cancelled" });
  }

  /**
   * Takes the lease if it is free and decides pending mail through `writer` while it lasts, for
   * COMBINE_MS at most. False if this instance is combining the book already or the lease is held.
   */
  private async combine(book: string, writer: BookWriter<S>): Promise<boolean> {
    if (this.combining.has(book)) return false;
    this.combining.add(book);
    try {
      if (!(await this.mailbox.lease(book, this.options.leaseMs))) return false;
      try {
        const until = Date.now() + COMBINE_MS;
        for (;;) {
          const mail = await this.mailbox.pending(book, MAIL_PAGE);
          if (mail.length === 0) return true;
          await Promise.all(mail.map((item) => this.decide(book, writer, item)));
          if (Date.now() >= until || !(await this.mailbox.lease(book, this.options.leaseMs))) return true;
        }
      } finally {
        await this.mailbox.release(book);
      }
    } finally {
      this.combining.delete(book);
    }
  }

  /** pending → recorded, or → decided: appends the revived command; what is not recorded is settled. */
  private async decide(book: string, writer: BookWriter<S>, mail: Mail): Promise<void> {
    const consumes: Consumed = {
      mail: mailKey(book, mail.key),
      mailId: mail.mailId,
      outcome: outcomeKey(book, mail.key),
    };
    let result: AppendResult;
    try {
      const command = { ...this.options.revive(book, JSON.parse(mail.wire) as Json), consumes };
      // A recording deletes the mail in its own transaction; its sender then finds the idempotency record.
      result = await writer.append(command);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (await this.settle(book, mail, { kind: "failed", message })) this.options.stats.combined += 1;
      return;
    }
    let decided: boolean;
    if (result.ok) {
      // A recording consumed the mail in its own transaction; anything else is settled here.
      if (result.value.replayed) decided = await this.settle(book, mail, { kind: "replayed" });
      else if (result.value.events.length === 0) decided = await this.settle(book, mail, { kind: "nothing" });
      else decided = true;
    } else if (result.error.code === "append-conflict") {
      // Lost every race, or already decided elsewhere: the mail stays (or is gone), nothing to write.
      return;
    } else {
      decided = await this.settle(book, mail, { kind: "refused", error: result.error });
    }
    if (decided) this.options.stats.combined += 1;
  }

  /** pending → decided or cancelled: consumes the mail and writes its outcome, if still pending. True if this call did. */
  private settle(book: string, { key, mailId }: Pick<Mail, "key" | "mailId">, outcome: Outcome): Promise<boolean> {
    const consumed: Consumed = { mail: mailKey(book, key), mailId, outcome: outcomeKey(book, key) };
    return this.mailbox.settle(consumed, outcome);
  }

  /** What a sender is told of its settled mail. */
  private answer(
    book: string,
    command: AppendCommand<S>,
    state: Extract<HandoffState, { state: "decided" | "cancelled" }>,
  ): Promise<AppendResult> | AppendResult {
    if (state.state === "cancelled") {
      return err({ code: "append-conflict", message: "the request was settled by a retry", attempts: 0 });
    }
    const { outcome } = state;
    switch (outcome.kind) {
      case "replayed":
        return this.replayRecorded(book, command);
      case "nothing":
        return ok({ events: [], replayed: false });
      case "refused":
        return err(outcome.error);
      case "failed":
        throw new Error(`a handed-over command failed: ${outcome.message}`);
    }
  }

  private async replayRecorded(book: string, command: AppendCommand<S>): Promise<AppendResult> {
    const record = await this.options.requests.lookup(book, command.idempotencyKey);
    if (!record) throw new Error(`handed-over command ${command.idempotencyKey} was replayed but has no record`);
    return this.options.requests.replay(book, command, record);
  }
}

/** A sender's view: its own generation's outcome, else a record under the key, else still pending. */
function senderState(seen: Seen, mailId: string): HandoffState {
  if (seen.outcome?.mailId === mailId) {
    const { outcome } = seen.outcome;
    return outcome.kind === "cancelled" ? { state: "cancelled" } : { state: "decided", outcome };
  }
  if (seen.record) return { state: "recorded", record: seen.record };
  return { state: "pending" };
}

const tooBusy = (waitMs: number): AppendResult =>
  err({
    code: "append-conflict",
    message: `the book was too busy to record this within ${waitMs} ms; nothing was recorded`,
    attempts: 0,
  });
