import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import {
  type ChainHead,
  chainEvents,
  claimRef,
  type DomainError,
  entryRef,
  type JournalEvent,
  type Json,
} from "@relief-ledger/core";
import type { AppendCommand, Claim, Loaded } from "./append-types.ts";
import { eventToItem, toItem } from "./codec.ts";
import { entityItem } from "./entities.ts";
import { type Head, headToItem } from "./head.ts";
import { claimKey, idempotencyKey, keyId } from "./keys.ts";
import { consumeMail } from "./mailbox.ts";
import type { StateModel } from "./model.ts";
import type { TableNames } from "./tables.ts";

/** DynamoDB takes at most 100 items in one transaction: the head, then events, records, claims, entities. */
export const MAX_TRANSACTION_ITEMS = 100;
/** A transaction carries at most 4 MB; stay below it with room for attribute overhead. */
export const MAX_TRANSACTION_BYTES = 3_500_000;
/** An item may not exceed 400 KB; an event larger than this is refused before DynamoDB is asked. */
export const MAX_EVENT_BYTES = 350_000;

/** Who an item of the transaction belongs to: what its cancellation reason says about which command. */
export type Owner<P> =
  | { readonly kind: "head" | "entity" }
  | { readonly kind: "event" | "idempotency" | "consume"; readonly pending: P }
  | { readonly kind: "claim"; readonly pending: P; readonly claim: Claim };

/** A command that goes into the transaction, with the events it will record. */
export type Member<P> = { readonly pending: P; readonly events: JournalEvent[] };

/** A command answered without the transaction. */
export type Settlement<P> =
  /** Refused against a head read in this round: the writer still asks the idempotency record. */
  | { readonly kind: "refused"; readonly pending: P; readonly error: DomainError }
  /** Decided no events: answered as recorded, with none. */
  | { readonly kind: "nothing"; readonly pending: P }
  /** Can never be written (too many items, an event too large, a claim made twice): a fault, not a refusal. */
  | { readonly kind: "fault"; readonly pending: P; readonly error: Error };

export type PlanInput<S> = {
  readonly book: string;
  readonly tables: TableNames;
  readonly model: StateModel<S>;
  readonly head: Head<S>;
  /** The head was read from the table for this round; a refusal against a cached head is not final. */
  readonly fresh: boolean;
  /** Entities as of `head` (what the writer has loaded for the group). */
  readonly entities: Loaded;
  readonly recordedAt: string;
};

/**
 * One round's transaction, or why there is none. `transaction[i]` is owned by `owners[i]`; the
 * head is always first. Empty when no command got in: then either `settled` answers some, or
 * `stale` says the head must be read again before anything is refused.
 */
export type Plan<S, P> = {
  readonly transaction: TransactWriteItem[];
  readonly owners: Owner<P>[];
  readonly members: Member<P>[];
  readonly settled: Settlement<P>[];
  readonly stale: boolean;
  /** Where the chain, the state and the entities stand once the transaction commits. */
  readonly chain: ChainHead;
  readonly state: S;
  readonly overlay: ReadonlyMap<string, Json>;
};

/**
 * Decides a group of commands, in order, against one head, and packs as many as fit into one
 * transaction: each decided against the state the ones before it leave, chained after them, and
 * within DynamoDB's limits (100 items, 4 MB, one write per item). Pure: no I/O, no clock.
 *
 * The first command that cannot go in ends the group, except those that are answered at once (a
 * refusal before any member, a command with no events, a fault): a later command is never
 * decided against a state that skips an earlier one still waiting.
 */
export function planTransaction<S, P extends { readonly command: AppendCommand<S> }>(
  input: PlanInput<S>,
  group: readonly P[],
): Plan<S, P> {
  const { book, tables, model, head, fresh, recordedAt } = input;
  const items: TransactWriteItem[] = [];
  const owners: Owner<P>[] = [];
  const members: Member<P>[] = [];
  const settled: Settlement<P>[] = [];
  const used = new Set<string>();
  const overlay = new Map<string, Json>();
  const entityIndex = new Map<string, number>();
  const loaded: Loaded = (ref) => (overlay.has(ref) ? overlay.get(ref) : input.entities(ref));
  let state = head.state;
  let chain: ChainHead = head;
  let bytes = 0;
  const plan = (stale: boolean): Plan<S, P> => ({
    transaction: members.length > 0 ? [headPut(input, chain, state), ...items] : [],
    owners: members.length > 0 ? [{ kind: "head" }, ...owners] : [],
    members,
    settled,
    stale,
    chain,
    state,
    overlay,
  });

  for (const pending of group) {
    const { command } = pending;
    const decided = command.decide(state, chain, loaded);
    if (!decided.ok) {
      // Decided after others in this group: those may yet fail, so decide it again once they are in.
      if (members.length > 0) break;
      if (!fresh) return plan(true);
      settled.push({ kind: "refused", pending, error: decided.error });
      continue;
    }
    const { events: drafts, claims = [], writes = [] } = decided.value;
    if (drafts.length === 0) {
      settled.push({ kind: "nothing", pending });
      continue;
    }
    const { consumes } = command;
    const count = drafts.length + 1 + claims.length + writes.length + (consumes ? 1 : 0);
    if (1 + count > MAX_TRANSACTION_ITEMS) {
      const message = `one command needs ${count} items; a transaction holds ${MAX_TRANSACTION_ITEMS - 1} besides the head`;
      settled.push({ kind: "fault", pending, error: new Error(message) });
      continue;
    }
    const rewritten = writes.filter((write) => entityIndex.has(write.ref)).length;
    if (1 + items.length + count - rewritten > MAX_TRANSACTION_ITEMS) break;
    const idemKey = idempotencyKey(book, command.idempotencyKey);
    const keys = [
      keyId(tables.state, idemKey),
      ...claims.map((claim) => keyId(tables.state, claimKey(book, claim.kind, claim.value))),
      ...(consumes ? [keyId(tables.state, consumes.mail)] : []),
    ];
    if (new Set(keys).size < keys.length) {
      settled.push({ kind: "fault", pending, error: new Error("one command claims the same item twice") });
      continue;
    }
    // One transaction may not touch an item twice: a second command with the same key waits a round.
    if (keys.some((key) => used.has(key))) break;

    const chained = chainEvents(chain, drafts, {
      book,
      recordedAt,
      actor: command.actor,
      idempotencyKey: command.idempotencyKey,
      ...(command.requestId === undefined ? {} : { requestId: command.requestId }),
    });
    const sizes = chained.events.map((event) => JSON.stringify(event).length);
    const largest = Math.max(...sizes);
    if (largest > MAX_EVENT_BYTES) {
      const message = `an event of ${largest} bytes exceeds the ${MAX_EVENT_BYTES}-byte limit`;
      settled.push({ kind: "fault", pending, error: new Error(message) });
      continue;
    }
    const size = sizes.reduce((a, b) => a + b, 0);
    if (members.length > 0 && bytes + size > MAX_TRANSACTION_BYTES) break;

    for (const event of chained.events) {
      items.push({
        Put: { TableName: tables.journal, Item: eventToItem(event), ConditionExpression: "attribute_not_exists(seq)" },
      });
      owners.push({ kind: "event", pending });
      // An entry the writer read as absent before it was recorded (by a command that names a seq
      // ahead, as the demo book's bank results do) reads as recorded from now on, in this group and
      // after: a stale "no such entry" would have a line skipped rather than returned.
      const ref = entryRef(event.seq);
      if (input.entities(ref) === null) overlay.set(ref, event as unknown as Json);
    }
    items.push(idempotencyPut(input, command, idemKey, chained.events));
    owners.push({ kind: "idempotency", pending });
    if (consumes) {
      // A handed-over command: its mail goes with its events or not at all. Its sender learns of
      // the recording from the idempotency record written beside them.
      items.push(consumeMail(tables.state, consumes));
      owners.push({ kind: "consume", pending });
    }
    for (const claim of claims) {
      items.push({
        Put: {
          TableName: tables.state,
          Item: toItem({ ...claimKey(book, claim.kind, claim.value), owner: claim.owner, claimedAt: recordedAt }),
          ConditionExpression: "attribute_not_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      });
      owners.push({ kind: "claim", pending, claim });
      // Read back as core's claimRef reads it, so that a later command of this writer sees it taken.
      overlay.set(claimRef(claim.kind, claim.value), { owner: claim.owner });
    }
    // Several commands of one group may rewrite one entity: the item carries the last value.
    for (const write of writes) {
      const put: TransactWriteItem = {
        Put: { TableName: tables.state, Item: toItem(entityItem(book, write.ref, write.value)) },
      };
      const index = entityIndex.get(write.ref);
      if (index === undefined) {
        entityIndex.set(write.ref, items.length);
        items.push(put);
        owners.push({ kind: "entity" });
      } else {
        items[index] = put;
      }
      overlay.set(write.ref, write.value);
    }
    for (const key of keys) used.add(key);
    bytes += size;
    state = chained.events.reduce(model.evolve, state);
    chain = chained.head;
    members.push({ pending, events: chained.events });
  }
  return plan(false);
}

/** The head moves to `chain`, on the condition that it still stands where this round read it. */
function headPut<S>(
  { book, tables, model, head, recordedAt }: PlanInput<S>,
  chain: ChainHead,
  state: S,
): TransactWriteItem {
  return {
    Put: {
      TableName: tables.state,
      Item: toItem(headToItem(book, { seq: chain.seq, hash: chain.hash }, state, model, recordedAt)),
      ...(head.exists
        ? { ConditionExpression: "seq = :seq", ExpressionAttributeValues: { ":seq": { N: String(head.seq) } } }
        : { ConditionExpression: "attribute_not_exists(pk)" }),
      // A lost race hands back the winner's head, so the retry decides again without a read.
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}

/** The idempotency record: written once, beside the events; a retry of its key reads it back. */
function idempotencyPut<S>(
  { tables, recordedAt }: PlanInput<S>,
  command: AppendCommand<S>,
  key: { pk: string; sk: string },
  events: JournalEvent[],
): TransactWriteItem {
  return {
    Put: {
      TableName: tables.state,
      Item: toItem({
        ...key,
        requestHash: command.requestHash,
        firstSeq: events[0]?.seq ?? 0,
        lastSeq: events[events.length - 1]?.seq ?? 0,
        recordedAt,
      }),
      ConditionExpression: "attribute_not_exists(pk)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  };
}
