import { type DynamoDBClient, TransactionCanceledException, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { type DomainError, err, type Json, ok } from "@relief-ledger/core";
import type { AppendCommand, AppendResult, Loaded } from "./append-types.ts";
import { loadEntities } from "./entities.ts";
import type { Handoff } from "./handoff.ts";
import { type Head, itemToHead } from "./head.ts";
import { type IdempotencyRecord, type RecordedRequests, readIdempotencyRecord } from "./idempotency.ts";
import type { JournalRead } from "./journal-read.ts";
import type { StateModel } from "./model.ts";
import { type Owner, planTransaction } from "./plan-transaction.ts";
import type { TableNames } from "./tables.ts";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "./unavailable.ts";

/** Commands looked at per round: enough to fill a transaction with small ones. */
const MAX_GROUP = 64;
/** Cached entity records per book; past this the cache starts over at the next round (a Lambda's memory is not unbounded). */
const MAX_CACHED_ENTITIES = 50_000;
/**
 * Backoff after a lost race: a random wait below min(cap, base · 2^attempts). Losers' transactions
 * are what slows the winner down (each is evaluated and cancelled on the same hot head), so the
 * waits are long enough to thin them out: with 32 instances racing on one book, base 16 ms and
 * cap 1 s record 3–4× the payouts a second of base 4 ms and cap 250 ms (bench/README.md, 2.).
 */
const BACKOFF_BASE_MS = 16;
const BACKOFF_CAP_MS = 1000;
/** A combiner's pause after a lost race (handoff.ts): long enough to let the winner's commit land. */
const COMBINER_PAUSE_MS = 4;

/** Counters for benchmarks and operations: how often appends collide and retry. */
export type WriterStats = {
  transactions: number;
  committed: number;
  lostRaces: number;
  retries: number;
  reloads: number;
  /** Commands this instance handed over after losing races, and mail it decided as combiner (handoff.ts). */
  handedOff: number;
  combined: number;
};

export type WriterOptions<S> = {
  readonly client: DynamoDBClient;
  readonly tables: TableNames;
  readonly model: StateModel<S>;
  readonly clock: () => Date;
  /** Transactions one command may lose before it fails with append-conflict. */
  readonly maxAttempts: number;
  /** Where the head is read from when the writer has none, or has learnt that it is stale. */
  readonly journal: Pick<JournalRead<S>, "head">;
  /** Answers a command whose key is already recorded: the original result, or idempotency-key-reused. */
  readonly requests: RecordedRequests;
  /** Before a command is refused: cancels any handed-over copy of the same request. */
  readonly handoff?: Pick<Handoff<S>, "cancelPending">;
  readonly stats: WriterStats;
};

type Pending<S> = {
  readonly command: AppendCommand<S>;
  attempts: number;
  readonly maxAttempts: number;
  readonly settle: (result: AppendResult | Promise<AppendResult>) => void;
  readonly fail: (error: unknown) => void;
};

const TRANSIENT = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
  "RequestLimitExceeded",
]);

/**
 * Appends to one book, one transaction at a time. Within a process every append to a book goes
 * through its writer's queue, so the process never races itself; commands that queue up while a
 * transaction is in flight go together in the next one (group commit), up to DynamoDB's limits.
 *
 * Other processes (other Lambda instances) still race for the head. The head put is conditioned
 * on the seq this writer last saw; when it loses, DynamoDB hands back the winner's head
 * (ReturnValuesOnConditionCheckFailure: ALL_OLD), so the retry decides again against the fresh
 * state without another read. Each command may lose at most `maxAttempts` times, with jittered
 * exponential backoff between tries, and then fails with a typed append-conflict error: a retry
 * loop that cannot spin forever.
 *
 * A refusal is only given against a head read from the table in the same round: a cached head
 * may be behind another process's append that would have let the command through.
 */
export class BookWriter<S> {
  private readonly queue: Pending<S>[] = [];
  private head: Head<S> | undefined;
  /** Entities as of `head`: dropped whenever the head is replaced by one this writer did not write. */
  private readonly entities = new Map<string, Json | null>();
  private running = false;
  private readonly book: string;
  private readonly options: WriterOptions<S>;

  constructor(book: string, options: WriterOptions<S>) {
    this.book = book;
    this.options = options;
  }

  /** Appends a command; `maxAttempts` lost races (the writer's own by default) make it an append-conflict. */
  append(command: AppendCommand<S>, maxAttempts = this.options.maxAttempts): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ command, attempts: 0, maxAttempts, settle: resolve, fail: reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        try {
          await this.round();
        } catch (error) {
          // Not a lost race but a fault (a validation error is a bug): fail what was queued, forget the head.
          this.forget();
          for (const pending of this.queue.splice(0)) pending.fail(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Forgets the head and everything read alongside it; the next round reads them again. */
  private forget(head?: Head<S>) {
    this.head = head;
    this.entities.clear();
  }

  private done(pending: Pending<S>, result: AppendResult | Promise<AppendResult>) {
    const index = this.queue.indexOf(pending);
    if (index >= 0) this.queue.splice(index, 1);
    pending.settle(result);
  }

  /** Loads what the next group of commands will read, pass by pass. */
  private async prefetch(group: readonly Pending<S>[], state: S): Promise<void> {
    // The cache starts over between rounds, never between passes: a pass must not drop what the
    // pass before it loaded (a payout's beneficiary, read before its household).
    if (this.entities.size >= MAX_CACHED_ENTITIES) this.entities.clear();
    const view: Loaded = (ref) => this.entities.get(ref);
    for (let pass = 0; pass < 3; pass++) {
      const wanted = new Set<string>();
      for (const { command } of group) {
        for (const ref of command.reads?.(state, view) ?? []) if (!this.entities.has(ref)) wanted.add(ref);
      }
      if (wanted.size === 0) return;
      const found = await loadEntities(this.options.client, this.options.tables, this.book, [...wanted]);
      for (const [ref, value] of found) this.entities.set(ref, value);
    }
  }

  private async round(): Promise<void> {
    const { tables, model, clock } = this.options;
    const fresh = this.head === undefined;
    if (fresh) this.forget(await this.options.journal.head(this.book));
    const head = this.head as Head<S>;
    const group = this.queue.slice(0, MAX_GROUP);
    await this.prefetch(group, head.state);
    const entities: Loaded = (ref) => this.entities.get(ref);
    const recordedAt = clock().toISOString();
    const plan = planTransaction({ book: this.book, tables, model, head, fresh, entities, recordedAt }, group);

    for (const settlement of plan.settled) {
      const { pending } = settlement;
      if (settlement.kind === "refused") this.done(pending, this.refuse(pending.command, settlement.error));
      else if (settlement.kind === "nothing") this.done(pending, ok({ events: [], replayed: false }));
      else this.done(pending, Promise.reject(settlement.error));
    }
    if (plan.stale) {
      this.options.stats.reloads += 1;
      this.forget();
      return;
    }
    if (plan.members.length === 0) return;

    const pendings = plan.members.map((member) => member.pending);
    this.options.stats.transactions += 1;
    try {
      await this.options.client.send(new TransactWriteItemsCommand({ TransactItems: plan.transaction }));
    } catch (error) {
      await this.lost(error, plan.owners, pendings);
      return;
    }
    this.options.stats.committed += plan.members.length;
    this.head = { seq: plan.chain.seq, hash: plan.chain.hash, state: plan.state, exists: true };
    for (const [ref, value] of plan.overlay) this.entities.set(ref, value);
    for (const { pending, events } of plan.members) this.done(pending, ok({ events, replayed: false }));
  }

  /** A transaction was refused: learn why from its cancellation reasons, settle what is final, retry the rest. */
  private async lost(error: unknown, owners: readonly Owner<Pending<S>>[], members: Pending<S>[]): Promise<void> {
    if (!(error instanceof TransactionCanceledException)) {
      // The outcome is unknown (a timeout after the SDK's own retries, say). Retrying is safe: had the
      // transaction committed, the idempotency record now exists and the retry replays it.
      this.forget();
      if (error instanceof Error && error.name === "ValidationException") throw error;
      // Refused connections (after the SDK's own retries): the database is down and the request never
      // reached it. What was queued fails at once with a 503; sent again with its key, it records once.
      if ((error as { code?: unknown }).code === "ECONNREFUSED") throw new DatabaseUnavailableError(error);
      return this.retryLater(members, "the transaction's outcome was unknown", error);
    }
    const reasons = error.CancellationReasons ?? [];
    const headReason = reasons[0];
    const headLost = headReason?.Code === "ConditionalCheckFailed";
    if (headLost) {
      this.options.stats.lostRaces += 1;
      this.forget(headReason.Item ? itemToHead(headReason.Item, this.options.model) : undefined);
    }
    // DynamoDB names a reason for every item; a cancellation that names none is retried, and counted.
    let transient = headLost || reasons.length === 0;
    reasons.forEach((reason, index) => {
      const owner = owners[index];
      if (!owner || owner.kind === "head" || !reason.Code || reason.Code === "None") return;
      if (reason.Code !== "ConditionalCheckFailed") {
        if (!TRANSIENT.has(reason.Code))
          throw new Error(`transaction refused: ${reason.Code}: ${reason.Message ?? ""}`);
        transient = true;
      } else if (owner.kind === "idempotency") {
        const record = reason.Item ? readIdempotencyRecord(reason.Item) : undefined;
        this.done(owner.pending, this.usedKey(owner.pending.command, record));
      } else if (owner.kind === "claim" && !headLost) {
        this.done(owner.pending, err(owner.claim.onTaken(reason.Item?.owner?.S ?? "unknown")));
      } else if (owner.kind === "consume") {
        // Its mail is gone: another instance decided it, or its sender gave up. Nothing to do here.
        this.done(
          owner.pending,
          err({ code: "append-conflict", message: "decided elsewhere", attempts: owner.pending.attempts }),
        );
      } else if (owner.kind === "event") {
        // An event where the head says none: the head must be stale. Read it again.
        this.forget();
        transient = true;
      }
    });
    if (!transient) return;
    await this.retryLater(
      members.filter((pending) => this.queue.includes(pending)),
      "the book head moved",
    );
  }

  /** `cause`: the error that left the outcome unknown; if it says the database is unreachable, so does the last try. */
  private async retryLater(members: Pending<S>[], why: string, cause?: unknown): Promise<void> {
    let worst = 0;
    this.options.stats.retries += members.length;
    for (const pending of members) {
      pending.attempts += 1;
      worst = Math.max(worst, pending.attempts);
      if (pending.attempts >= pending.maxAttempts && cause !== undefined && isDatabaseUnavailable(cause)) {
        this.done(pending, Promise.reject(new DatabaseUnavailableError(cause)));
      } else if (pending.attempts >= pending.maxAttempts) {
        this.done(
          pending,
          err({
            code: "append-conflict",
            message: `gave up after ${pending.attempts} attempts: ${why}`,
            attempts: pending.attempts,
          }),
        );
      }
    }
    // A combiner (every member a handed-over command) is the book's designated writer: backing off
    // would hand its turn to the racers it exists to replace, so it only waits a moment.
    const combining = members.length > 0 && members.every((pending) => pending.command.consumes !== undefined);
    // Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): racing writers spread out.
    const ceiling = combining ? COMBINER_PAUSE_MS : Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** worst);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }

  /** A refused command may be the retry of one that succeeded: the idempotency record decides. */
  private async refuse(command: AppendCommand<S>, error: DomainError): Promise<AppendResult> {
    await this.options.handoff?.cancelPending(this.book, command);
    const { requests } = this.options;
    const record = await requests.lookup(this.book, command.idempotencyKey);
    return record ? requests.replay(this.book, command, record) : err(error);
  }

  private async usedKey(command: AppendCommand<S>, record: IdempotencyRecord | undefined): Promise<AppendResult> {
    const { requests } = this.options;
    const found = record ?? (await requests.lookup(this.book, command.idempotencyKey));
    if (!found) throw new Error(`idempotency record ${command.idempotencyKey} failed its condition but cannot be read`);
    return requests.replay(this.book, command, found);
  }
}
