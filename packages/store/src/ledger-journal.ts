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
  localDate,
  readsOf,
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

export type LedgerAppendMeta = {
  readonly idempotencyKey: string;
  readonly actor: Actor;
  /** What fingerprints the request; by default the command itself. */
  readonly requestHash?: string;
  /** The clock that says what "today" is in the book's time zone. */
  readonly clock?: () => Date;
};

/** Wraps a ledger command for the journal: its fingerprint guards the idempotency key. */
export const ledgerAppend = (book: string, command: Command, meta: LedgerAppendMeta): AppendCommand<BookState> => ({
  idempotencyKey: meta.idempotencyKey,
  requestHash: meta.requestHash ?? fingerprint(command),
  actor: meta.actor,
  reads: (_state, loaded) => readsOf(command, loaded),
  decide: (state, head, loaded) =>
    decide(command, state, {
      book,
      today: localDate(state.book?.timeZone ?? "Asia/Shanghai", (meta.clock ?? (() => new Date()))()),
      headSeq: head.seq,
      entities: loaded,
    }),
});
