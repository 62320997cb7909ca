import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ok } from "@relief-ledger/core";
import type { AppendCommand, AppendDecision, AppendResult } from "./append-types.ts";
import { BookWriter, type WriterStats } from "./book-writer.ts";
import { answerOf, Handoff, type HandoffOptions } from "./handoff.ts";
import { type IdempotencyRecord, RecordedRequests } from "./idempotency.ts";
import type { JournalRead } from "./journal-read.ts";
import type { StateModel } from "./model.ts";
import type { TableNames } from "./tables.ts";

/** What became of a request, by its idempotency key, for its client asking after it. */
export type RequestOutcome =
  /** Handed over, and not decided yet. */
  | { readonly status: "pending"; readonly requester: string }
  /** Recorded (its events), or refused: what the request itself would have been answered. */
  | { readonly status: "decided"; readonly requester: string; readonly result: AppendDecision };

/** What appends to books, and says what became of a request. */
export interface JournalAppend<S> {
  /**
   * Appends a command to a book: recorded (or, for a key already recorded, replayed), refused, or
   * pending when it was handed over and not decided within the handoff's wait (handoff.ts).
   */
  append(book: string, command: AppendCommand<S>): Promise<AppendResult>;
  /**
   * What became of the request sent under a key: recorded, refused or still pending, and who sent
   * it; undefined when no request under the key was recorded or handed over. Reads only.
   */
  outcomeOf(book: string, idempotencyKey: string): Promise<RequestOutcome | undefined>;
  /** Transactions sent, commands committed, races lost to other processes, commands retried. */
  readonly stats: WriterStats;
}

export type JournalAppendOptions<S> = {
  readonly client: DynamoDBClient;
  readonly tables: TableNames;
  readonly model: StateModel<S>;
  /** Where writers read a head from, and replays their events. */
  readonly journal: Pick<JournalRead<S>, "head" | "read">;
  readonly clock?: () => Date;
  /** Lost races one command may suffer before append-conflict; see BookWriter. */
  readonly maxAttempts?: number;
  /**
   * Rebuilds a command from its `wire`: with it, a command that keeps losing the head race to
   * other instances is handed over to one of them (handoff.ts). Without it, commands only race.
   */
  readonly revive?: HandoffOptions<S>["revive"];
  /** Lost races before a command is handed over (0: at once, without racing). */
  readonly handoffAfter?: number;
  /** How long a handed-over command's sender waits for its outcome before it answers pending. */
  readonly handoffWaitMs?: number;
  /** How long a combiner's lease lasts unless renewed. */
  readonly leaseMs?: number;
};

/** Lost races before a command is handed over: two instances rarely collide three times running. */
const HANDOFF_AFTER = 2;
/** A few seconds: long enough for a combiner to take a contended book's mail, short of holding a Lambda. */
const HANDOFF_WAIT_MS = 3_000;
/** How long a book counts as contended after this instance last lost a race on it or handed a command over. */
const CONTENDED_MS = 2_000;

/**
 * Appends to the book journals: one writer per book (group commit within the process), and the
 * handoff between processes when they contend for a book. One per process (a Lambda instance, the
 * local server).
 */
export class JournalAppender<S> implements JournalAppend<S> {
  readonly stats: WriterStats = {
    transactions: 0,
    committed: 0,
    lostRaces: 0,
    retries: 0,
    reloads: 0,
    handedOff: 0,
    combined: 0,
  };
  private readonly options: JournalAppendOptions<S>;
  private readonly writers = new Map<string, BookWriter<S>>();
  private readonly requests: RecordedRequests;
  private readonly handoff: Handoff<S> | undefined;
  /** Books this instance lost a race on or handed a command over for, until when they count as contended. */
  private readonly contended = new Map<string, number>();

  constructor(options: JournalAppendOptions<S>) {
    this.options = options;
    const { client, tables } = options;
    this.requests = new RecordedRequests({ client, tables, journal: options.journal });
    this.handoff = options.revive
      ? new Handoff({
          client,
          tables,
          revive: options.revive,
          requests: this.requests,
          waitMs: options.handoffWaitMs ?? HANDOFF_WAIT_MS,
          leaseMs: options.leaseMs ?? 3_000,
          stats: this.stats,
        })
      : undefined;
  }

  /**
   * Races other instances for the head; a command that keeps losing is handed over to the instance
   * combining the book, if the journal can revive commands.
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
      // Mail whose senders stopped waiting goes first: older requests, decided before this one.
      const sweeping = handoff.sweep(book, writer);
      if (sweeping) await sweeping;
      const lostBefore = this.stats.lostRaces;
      const raced = await writer.append(command, after);
      // Even a race lost and then won says the book is contended: the next commands go to the
      // combiner, and stop taking its turns away from it.
      if (this.stats.lostRaces > lostBefore) this.contended.set(book, Date.now() + CONTENDED_MS);
      if (raced.ok || raced.error.code !== "append-conflict") return raced;
    }
    this.contended.set(book, Date.now() + CONTENDED_MS);
    return (await handoff.submit(book, command, writer)) ?? writer.append(command);
  }

  async outcomeOf(book: string, idempotencyKey: string): Promise<RequestOutcome | undefined> {
    if (!this.handoff) {
      const record = await this.requests.lookup(book, idempotencyKey);
      return record && this.recorded(book, record);
    }
    const state = await this.handoff.stateOf(book, idempotencyKey);
    switch (state?.state) {
      case undefined:
        return undefined;
      case "recorded":
        return this.recorded(book, state.record);
      case "pending":
        return { status: "pending", requester: state.requester };
      case "decided":
      case "cancelled": {
        // Settled as replayed means recorded under the key, which stateOf answers before any outcome.
        const result = await answerOf(state, () => {
          throw new Error(`request ${idempotencyKey} was settled as replayed but has no record`);
        });
        return { status: "decided", requester: state.requester, result };
      }
    }
  }

  /** A recorded request's events, as a retry of it is answered; its sender is the events' actor. */
  private async recorded(book: string, record: IdempotencyRecord): Promise<RequestOutcome> {
    const events = await this.requests.events(book, record);
    return { status: "decided", requester: events[0]?.actor.sub ?? "", result: ok({ events, replayed: true }) };
  }

  private writer(book: string): BookWriter<S> {
    let writer = this.writers.get(book);
    if (!writer) {
      writer = new BookWriter(book, {
        client: this.options.client,
        tables: this.options.tables,
        model: this.options.model,
        clock: this.options.clock ?? (() => new Date()),
        maxAttempts: this.options.maxAttempts ?? 12,
        journal: this.options.journal,
        requests: this.requests,
        ...(this.handoff ? { handoff: this.handoff } : {}),
        stats: this.stats,
      });
      this.writers.set(book, writer);
    }
    return writer;
  }
}
