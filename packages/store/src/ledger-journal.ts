import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type Actor,
  type BookState,
  type Command,
  decide,
  decodeState,
  encodeState,
  evolve,
  fingerprint,
  initialState,
  ok,
} from "@relief-ledger/core";
import type { AppendCommand } from "./append-types.ts";
import { Journal } from "./journal.ts";
import type { StateModel } from "./model.ts";
import type { TableNames } from "./tables.ts";

export const LEDGER_MODEL: StateModel<BookState> = { initialState, evolve, encodeState, decodeState };

export type LedgerJournal = Journal<BookState>;

/** The journal of the relief ledger: the generic journal with core's book state. */
export const createLedgerJournal = (options: {
  client: DynamoDBClient;
  tables: TableNames;
  clock?: () => Date;
  maxAttempts?: number;
}): LedgerJournal => new Journal({ ...options, model: LEDGER_MODEL });

/** Wraps a ledger command for the journal: its fingerprint guards the idempotency key. */
export const ledgerAppend = (
  book: string,
  command: Command,
  meta: { idempotencyKey: string; actor: Actor },
): AppendCommand<BookState> => ({
  idempotencyKey: meta.idempotencyKey,
  requestHash: fingerprint(command),
  actor: meta.actor,
  decide: (state) => {
    const decision = decide(command, state, book);
    return decision.ok ? ok({ events: decision.value }) : decision;
  },
});
