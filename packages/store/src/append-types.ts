import type {
  Actor,
  ChainHead,
  ClaimRequest,
  DomainError,
  DomainErrorCode,
  EntityWrite,
  EventDraft,
  JournalEvent,
  Json,
  Result,
} from "@relief-ledger/core";

/**
 * What the journal itself may refuse any append with, whatever its command decides: the same
 * idempotency key with another request (journal.ts), and a book too busy to take the append
 * after its retries and handoff (book-writer.ts, handoff.ts).
 */
export const APPEND_REFUSALS = [
  "idempotency-key-reused",
  "append-conflict",
] as const satisfies readonly DomainErrorCode[];

/**
 * A claim makes a value unique within a book (a beneficiary's hashed ID number, say): the
 * append writes a claim item on the condition that none exists, in the same transaction as the
 * events, so two racing registrations cannot both win. `onTaken` says what the loser is told.
 */
export type Claim = ClaimRequest;

export type Decided = {
  readonly events: readonly EventDraft[];
  readonly claims?: readonly Claim[];
  readonly writes?: readonly EntityWrite[];
};

/** Entities loaded for a decision: undefined for a ref not loaded, null for one that does not exist. */
export type Loaded = (ref: string) => Json | null | undefined;

/**
 * One command for the journal. `decide` is pure and may run several times (after a lost race it
 * runs again against the fresh head), so it must not have side effects.
 *
 * Entities need no condition of their own: every write to them goes through an append, and every
 * append moves the book head, so the head's condition already proves that nothing the decision
 * read has changed since.
 */
export type AppendCommand<S> = {
  readonly idempotencyKey: string;
  /** A fingerprint of the request: the same key with another fingerprint is refused. */
  readonly requestHash: string;
  readonly actor: Actor;
  /**
   * The id of the request that sent it, sealed into every event it records (JournalEvent's
   * `requestId`); absent for a job's or a script's append.
   */
  readonly requestId?: string;
  /**
   * The entity refs the command needs before it can be decided; asked again with what has been
   * loaded until it asks for nothing new (a payout's beneficiary, then that one's household).
   */
  readonly reads?: (state: S, loaded: Loaded) => readonly string[];
  readonly decide: (state: S, head: ChainHead, loaded: Loaded) => Result<Decided, DomainError>;
  /**
   * The command as data, from which another instance can rebuild it (JournalOptions.revive):
   * what lets a command that keeps losing the head race be handed over (handoff.ts). Without it
   * the command only ever races.
   */
  readonly wire?: Json;
  /** Set on a handed-over command: its mail, deleted in the transaction that decides it. */
  readonly consumes?: Consumed;
};

/** A pending handed-over command (its mail item and generation) and where its outcome goes. */
export type Consumed = {
  readonly mail: { readonly pk: string; readonly sk: string };
  readonly mailId: string;
  readonly outcome: { readonly pk: string; readonly sk: string };
};

/** What an append recorded, or, for a retry of a key already used, what it recorded the first time. */
export type Appended = { readonly events: readonly JournalEvent[]; readonly replayed: boolean };

/**
 * A handed-over command whose sender stopped waiting before a combiner decided it (handoff.ts).
 * It is still decided, once, and its outcome is read by its idempotency key
 * (JournalAppend.outcomeOf). Its `error` is what a caller that does not poll makes of it: the book
 * was busy, and a retry with the same key records nothing twice.
 */
export type AppendPending = {
  readonly ok: false;
  readonly pending: true;
  readonly error: Extract<DomainError, { code: "append-conflict" }>;
};

/** Recorded (or replayed), or refused. */
export type AppendDecision = Result<Appended, DomainError>;

/** Recorded (or replayed), refused, or still pending after a handoff. */
export type AppendResult = AppendDecision | AppendPending;

export const isPending = (result: AppendResult): result is AppendPending => !result.ok && "pending" in result;
