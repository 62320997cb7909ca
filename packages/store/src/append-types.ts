import type { Actor, ChainHead, DomainError, EventDraft, JournalEvent, Result } from "@relief-ledger/core";

/**
 * A claim makes a value unique within a book (a beneficiary's hashed ID number, say): the
 * append writes a claim item on the condition that none exists, in the same transaction as the
 * events, so two racing registrations cannot both win. `onTaken` says what the loser is told.
 */
export type Claim = {
  readonly kind: string;
  readonly value: string;
  readonly owner: string;
  readonly onTaken: (existingOwner: string) => DomainError;
};

export type Decided = { readonly events: readonly EventDraft[]; readonly claims?: readonly Claim[] };

/**
 * One command for the journal. `decide` is pure and may run several times (after a lost race it
 * runs again against the fresh head), so it must not have side effects.
 */
export type AppendCommand<S> = {
  readonly idempotencyKey: string;
  /** A fingerprint of the request: the same key with another fingerprint is refused. */
  readonly requestHash: string;
  readonly actor: Actor;
  readonly decide: (state: S, head: ChainHead) => Result<Decided, DomainError>;
};

/** What an append recorded, or, for a retry of a key already used, what it recorded the first time. */
export type Appended = { readonly events: readonly JournalEvent[]; readonly replayed: boolean };

export type AppendResult = Result<Appended, DomainError>;
