import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DomainError, err, type Json, ok } from "@relief-ledger/core";
import type { AppendCommand, AppendDecision, AppendPending, AppendResult, Consumed } from "./append-types.ts";
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
 *                      (mail)     └─ cancel ─▶ cancelled   an outcome item: a retry of it was refused first
 *
 * Every way out of `pending` deletes the mail, on the condition that it is still the generation
 * (`mailId`) being decided, in the same transaction as what it became (mailbox.ts). So a command
 * is decided once even if two instances try at once (a lease that expired under a slow combiner):
 * the lease is for speed, never for correctness.
 *
 * A sender waits a few seconds (`waitMs`), not a Lambda's whole budget, and then answers
 * `pending`: its mail stays, and its client asks after it by its key (`stateOf`, GET
 * …/requests/{key}) while the outcome is kept (a week). Mail whose senders have all stopped
 * waiting is decided by the book's next combine: another sender's, a retry's of the same request
 * (which waits for that mail instead of racing it), or the sweep an instance makes before its
 * first append to the book and then once a minute (`sweep`). A retry that reaches a writer and is refused there cancels
 * the mail first, so that a stale copy cannot be recorded after its client was told no; one that
 * is recorded there leaves the mail to be settled as `replayed`.
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
  /** A retry of the same request was refused first: never to be recorded. */
  | { readonly kind: "cancelled" };

/** Where a handed-over command stands; `requester` is the subject that sent it. */
export type HandoffState =
  | { readonly state: "pending"; readonly requester: string }
  | { readonly state: "recorded"; readonly record: IdempotencyRecord }
  | {
      readonly state: "decided";
      readonly outcome: Exclude<Outcome, { kind: "cancelled" }>;
      readonly requester: string;
    }
  | { readonly state: "cancelled"; readonly requester: string };

export type HandoffOptions<S> = {
  readonly client: DynamoDBClient;
  readonly tables: TableNames;
  /** Rebuilds a command from its wire (JournalOptions.revive). */
  readonly revive: (book: string, wire: Json) => AppendCommand<S>;
  /** What a sender answers when its command, or an earlier request with its key, was recorded. */
  readonly requests: RecordedRequests;
  /** How long a sender waits for its outcome before it answers pending. */
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
/**
 * How often an instance looks for mail left pending on a book it appends to, besides at its first
 * append there: a bound on how long such mail waits on a book that is written to, at a cost a lone
 * writer does not notice (one Query a minute beside its appends).
 */
const SWEEP_EVERY_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The mail a sender waits for: its own, or (`joined`) the one an earlier copy of its request posted. */
type Waiting = { readonly mailId: string; readonly since: number; readonly joined: boolean };

export class Handoff<S> {
  private readonly options: HandoffOptions<S>;
  private readonly mailbox: Mailbox;
  /** Books this instance is combining: its other senders wait instead of combining twice. */
  private readonly combining = new Set<string>();
  /** Until when each book needs no sweep from this instance. */
  private readonly swept = new Map<string, number>();
  /**
   * The sweep under way on each book. Every append that arrives meanwhile waits for this one
   * promise, so they resume in the order they came and reach the writer in it: a book's first
   * commands (its opening, then its funds) must not overtake one another.
   */
  private readonly sweeping = new Map<string, Promise<void>>();

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
   * (pending). Undefined when it cannot go as mail: it is too large, or another request's mail
   * holds its key; it then races, and the idempotency record sorts the two out as for any retry.
   */
  async submit(book: string, command: AppendCommand<S>, writer: BookWriter<S>): Promise<AppendResult | undefined> {
    const waiting = await this.post(book, command);
    return waiting && this.wait(book, command, waiting, writer);
  }

  /** (none) → pending. A copy of the same request already pending is waited for rather than posted twice. */
  private async post(book: string, command: AppendCommand<S>): Promise<Waiting | undefined> {
    const wire = JSON.stringify(command.wire);
    if (wire.length > MAX_WIRE_BYTES) return undefined;
    const mailId = randomUUID();
    // Taken before the mail exists: a record older than this was made by an earlier request.
    const since = Date.now();
    const { requestHash, idempotencyKey: key } = command;
    const { requestId } = command;
    const sent = await this.mailbox.post(book, {
      key,
      mailId,
      wire,
      requestHash,
      requester: command.actor.sub,
      ...(requestId === undefined ? {} : { requestId }),
    });
    if (sent.posted) {
      this.options.stats.handedOff += 1;
      return { mailId, since, joined: false };
    }
    // A client that retried after a 202, or sent the request twice at once.
    if (sent.held?.requestHash === requestHash) return { mailId: sent.held.mailId, since, joined: true };
    return undefined;
  }

  /** Waits for the mail's outcome, combining the book whenever its lease is free; pending after `waitMs`. */
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
      const state = senderState(seen, waiting.mailId, command.actor.sub);
      switch (state.state) {
        case "recorded": {
          // By the combiner, or (recorded before this was posted) by an earlier request.
          const found = await this.options.requests.replay(book, command, state.record);
          const earlier = waiting.joined || Date.parse(state.record.recordedAt) < waiting.since;
          return found.ok ? ok({ ...found.value, replayed: earlier }) : found;
        }
        case "decided":
        case "cancelled":
          return this.answer(book, command, state);
        case "pending":
          if (Date.now() >= deadline) return pending(this.options.waitMs);
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
   * waiting as mail (its sender still waiting, or gone with a 202), so that it cannot be recorded
   * after this refusal. If it was decided first, the caller's idempotency check finds the result.
   */
  async cancelPending(book: string, command: AppendCommand<S>): Promise<void> {
    // A handed-over command being refused is the mail's own decision, settled by its combiner.
    if (!this.accepts(command)) return;
    const mail = await this.mailbox.mail(book, command.idempotencyKey);
    if (mail) await this.cancel(book, mail);
  }

  /**
   * Decides mail left pending on the book (its senders stopped waiting, and no combiner came
   * since), looking at this instance's first append to the book and then once a SWEEP_EVERY_MS:
   * one eventually consistent Query, and a combine only if there is mail and the lease is free.
   * Undefined when no sweep is due or under way: the append goes on at once, in its turn.
   */
  sweep(book: string, writer: BookWriter<S>): Promise<void> | undefined {
    const running = this.sweeping.get(book);
    if (running) return running;
    const now = Date.now();
    if ((this.swept.get(book) ?? 0) > now) return undefined;
    this.swept.set(book, now + SWEEP_EVERY_MS);
    const run = (async () => {
      if (await this.mailbox.hasMail(book)) await this.combine(book, writer);
    })().finally(() => this.sweeping.delete(book));
    this.sweeping.set(book, run);
    return run;
  }

  /**
   * Where a request stands by its key, for its client asking after it. The mail is read first:
   * a decision deletes it in the transaction that writes the outcome or the record, so one that
   * lands between the two reads is still seen. Undefined when nothing was handed over or recorded
   * under the key. Reads only (GetItem, BatchGetItem), as the read-only role may.
   */
  async stateOf(book: string, key: string): Promise<HandoffState | undefined> {
    const mail = await this.mailbox.mail(book, key);
    const { outcome, record } = await this.mailbox.look(book, key);
    if (record) return { state: "recorded", record };
    // An outcome of an earlier generation (the key handed over before) is not the pending mail's.
    if (outcome && (!mail || outcome.mailId === mail.mailId)) return settledState(outcome.outcome, outcome.requester);
    return mail ? { state: "pending", requester: mail.requester } : undefined;
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

  /**
   * pending → recorded, or → decided: appends the revived command through the combiner's writer,
   * its mail consumed in the transaction that records it (`consumes`); what is not recorded is
   * settled.
   */
  private async decide(book: string, writer: BookWriter<S>, mail: Mail): Promise<void> {
    const consumes: Consumed = {
      mail: mailKey(book, mail.key),
      mailId: mail.mailId,
      outcome: outcomeKey(book, mail.key),
    };
    let result: AppendResult;
    try {
      const revived = this.options.revive(book, JSON.parse(mail.wire) as Json);
      const command = { ...revived, consumes, ...(mail.requestId === undefined ? {} : { requestId: mail.requestId }) };
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

  /** pending → cancelled. */
  private cancel(book: string, mail: Mail): Promise<boolean> {
    return this.settle(book, mail, { kind: "cancelled" });
  }

  /** pending → decided (or cancelled): consumes the mail and writes its outcome, if still pending. True if this call did. */
  private settle(book: string, mail: Mail, outcome: Outcome): Promise<boolean> {
    const consumed: Consumed = {
      mail: mailKey(book, mail.key),
      mailId: mail.mailId,
      outcome: outcomeKey(book, mail.key),
    };
    return this.mailbox.settle(consumed, outcome, mail.requester);
  }

  /** What a sender is told of its settled mail. */
  private answer(
    book: string,
    command: AppendCommand<S>,
    state: Extract<HandoffState, { state: "decided" | "cancelled" }>,
  ): Promise<AppendDecision> | AppendDecision {
    return answerOf(state, async () => {
      const record = await this.options.requests.lookup(book, command.idempotencyKey);
      if (!record) throw new Error(`handed-over command ${command.idempotencyKey} was replayed but has no record`);
      return this.options.requests.replay(book, command, record);
    });
  }
}

/**
 * What a settled command answers, to its sender and to its client asking later alike; `replayed`
 * reads the answer of the request recorded earlier under its key.
 */
export function answerOf(
  state: Extract<HandoffState, { state: "decided" | "cancelled" }>,
  replayed: () => Promise<AppendDecision>,
): Promise<AppendDecision> | AppendDecision {
  if (state.state === "cancelled") {
    return err({ code: "append-conflict", message: "the request was settled by a retry", attempts: 0 });
  }
  const { outcome } = state;
  switch (outcome.kind) {
    case "replayed":
      return replayed();
    case "nothing":
      return ok({ events: [], replayed: false });
    case "refused":
      return err(outcome.error);
    case "failed":
      throw new Error(`a handed-over command failed: ${outcome.message}`);
  }
}

/** A sender's view: its own generation's outcome, else a record under the key, else still pending. */
function senderState(seen: Seen, mailId: string, requester: string): HandoffState {
  if (seen.outcome?.mailId === mailId) return settledState(seen.outcome.outcome, seen.outcome.requester);
  if (seen.record) return { state: "recorded", record: seen.record };
  return { state: "pending", requester };
}

const settledState = (outcome: Outcome, requester: string): HandoffState =>
  outcome.kind === "cancelled" ? { state: "cancelled", requester } : { state: "decided", outcome, requester };

/** What a sender answers once its wait is over: the mail stays, to be decided by the book's next combine. */
const pending = (waitMs: number): AppendPending => ({
  ok: false,
  pending: true,
  error: {
    code: "append-conflict",
    message: `handed over to the book's combiner and not decided within ${waitMs} ms; it will be, once, and a retry with the same key records nothing twice`,
    attempts: 0,
  },
});
