import { z } from "zod";
import { canonicalJson, type JsonObject, sha256Hex } from "./canonical.ts";
import { BookId, BusinessDate } from "./ids.ts";

/** `approver` (审批人) approves or rejects what the finance office proposes, and moves no money of its own. */
export const Role = z.enum(["admin", "finance", "approver", "audit-committee", "auditor", "system"]);
export type Role = z.infer<typeof Role>;

/** Who recorded an event: the token's subject and role. */
export const Actor = z.strictObject({ sub: z.string().min(1).max(200), role: Role });
export type Actor = z.infer<typeof Actor>;

export const Hash = z.string().regex(/^[0-9a-f]{64}$/, "must be a hex SHA-256");

/** The hash a book's first event points back to. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Idempotency keys come from the client (an `Idempotency-Key` header). Printable ASCII, so that
 * they can sit in a DynamoDB key and a log line without escaping.
 */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, "must be 1 to 128 printable ASCII characters without spaces");

const JsonPayload = z.record(z.string(), z.json());

/**
 * The id of the HTTP request that recorded an event (the caller's `X-Request-Id`, or one the API
 * made): what takes an auditor from an entry to the request's log line and back. A token, so
 * that it sits in a log line and a header as it is.
 */
export const RequestId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, "must be 1 to 128 letters, digits or . _ : @ -");

/** One journal entry as stored. `hash` seals every other field, `prevHash` included. */
export const JournalEvent = z.strictObject({
  book: BookId,
  seq: z.int().positive(),
  type: z.string().min(1).max(64),
  occurredOn: BusinessDate,
  recordedAt: z.iso.datetime(),
  actor: Actor,
  idempotencyKey: IdempotencyKey,
  /** Absent on events recorded before request ids, and on those no request made (jobs, the demo). */
  requestId: RequestId.optional(),
  payload: JsonPayload,
  prevHash: Hash,
  hash: Hash,
});
export type JournalEvent = z.infer<typeof JournalEvent>;

export type UnsealedEvent = Omit<JournalEvent, "hash">;

/** What a decision produces: the chain fields are added when it is appended. */
export type EventDraft = { readonly type: string; readonly occurredOn: string; readonly payload: JsonObject };

/** What folds read of an event: a draft of a known book, or a recorded JournalEvent. */
export type EventFacts = EventDraft & { readonly book: string; readonly seq?: number };

/**
 * SHA-256 over the canonical JSON of every field but `hash`. An absent `requestId` is left out of
 * the canonical JSON (canonicalJson drops undefined members), so an event recorded before request
 * ids hashes to the bytes it was sealed with.
 */
export const hashEvent = (event: UnsealedEvent): string =>
  sha256Hex(
    canonicalJson({
      book: event.book,
      seq: event.seq,
      type: event.type,
      occurredOn: event.occurredOn,
      recordedAt: event.recordedAt,
      actor: event.actor,
      idempotencyKey: event.idempotencyKey,
      requestId: event.requestId,
      payload: event.payload,
      prevHash: event.prevHash,
    }),
  );

export type ChainHead = { readonly seq: number; readonly hash: string };

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** Numbers and seals drafts onto a chain head; returns the events and the new head. */
export function chainEvents(
  head: ChainHead,
  drafts: readonly EventDraft[],
  context: { book: string; recordedAt: string; actor: Actor; idempotencyKey: string; requestId?: string },
): { events: JournalEvent[]; head: ChainHead } {
  const events: JournalEvent[] = [];
  let { seq, hash } = head;
  for (const draft of drafts) {
    const unsealed: UnsealedEvent = {
      book: context.book,
      seq: seq + 1,
      type: draft.type,
      occurredOn: draft.occurredOn,
      recordedAt: context.recordedAt,
      actor: context.actor,
      idempotencyKey: context.idempotencyKey,
      ...(context.requestId === undefined ? {} : { requestId: context.requestId }),
      payload: draft.payload,
      prevHash: hash,
    };
    const event = { ...unsealed, hash: hashEvent(unsealed) };
    events.push(event);
    seq = event.seq;
    hash = event.hash;
  }
  return { events, head: { seq, hash } };
}
