import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { DomainError } from "@relief-ledger/core";
import type { Consumed } from "./append-types.ts";
import { toItem } from "./codec.ts";

/**
 * The items of a handoff (handoff.ts): a pending command's mail, and its outcome once decided.
 * A mail item is consumed (deleted, on the condition that it is still the same generation) in
 * the very transaction that decides it: with its events, or beside its outcome when nothing is
 * recorded. So each handed-over command is decided once, by one instance, whichever try.
 */
export type Outcome =
  /** Recorded by an earlier request with the same key (a recording now leaves no outcome). */
  | { readonly kind: "replayed" }
  /** Decided with nothing to record. */
  | { readonly kind: "nothing" }
  | { readonly kind: "refused"; readonly error: DomainError }
  /** Deciding it threw: a fault, not an answer. */
  | { readonly kind: "failed"; readonly message: string }
  /** Its sender gave up waiting, or a retry of the same request settled it: never to be recorded. */
  | { readonly kind: "cancelled" };

/** Delete the mail, on the condition that it is the generation being decided. */
export const consumeMail = (table: string, { mail, mailId }: Consumed): TransactWriteItem => ({
  Delete: {
    TableName: table,
    Key: toItem(mail),
    ConditionExpression: "mailId = :mailId",
    ExpressionAttributeValues: { ":mailId": { S: mailId } },
  },
});

/** The outcome of one generation of mail: its sender reads it, matching `mailId`. */
export const putOutcome = (
  table: string,
  { outcome, mailId }: Consumed,
  value: Outcome,
  decidedAt: Date,
): TransactWriteItem => ({
  Put: {
    TableName: table,
    Item: toItem({
      ...outcome,
      mailId,
      outcome: JSON.stringify(value),
      decidedAt: decidedAt.toISOString(),
      // Read within seconds by its sender; DynamoDB's TTL (the state table's `expiresAt`) removes it later.
      expiresAt: Math.floor(decidedAt.getTime() / 1000) + OUTCOME_DAYS * 86_400,
    }),
  },
});

/** How long an outcome is kept: far longer than any sender waits. */
const OUTCOME_DAYS = 7;
