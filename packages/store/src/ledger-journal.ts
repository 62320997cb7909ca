import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  Actor,
  type BookState,
  Command,
  decide,
  decodeState,
  encodeState,
  evolve,
  fingerprint,
  initialState,
  type Json,
  localDate,
  readsOf,
} from "@relief-ledger/core";
import { z } from "zod";
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
  handoffAfter?: number;
  handoffWaitMs?: number;
  leaseMs?: number;
}): LedgerJournal => new Journal({ ...options, model: LEDGER_MODEL, revive: reviveLedgerAppend });

export type LedgerAppendMeta = {
  readonly idempotencyKey: string;
  readonly actor: Actor;
  /** What fingerprints the request; by default the command itself. */
  readonly requestHash?: string;
  /** The clock that says what "today" is in the book's time zone. */
  readonly clock?: () => Date;
};

/**
 * A ledger command as data, for another instance to decide (handoff.ts): the command, who asked,
 * and the instant it arrived, which fixes "today" wherever it is decided. It is read back from the
 * state table, so it is parsed (the command with core's own schema) before anything decides it.
 */
const Wire = z.strictObject({
  command: Command,
  idempotencyKey: z.string().min(1),
  requestHash: z.string().min(1),
  actor: Actor,
  at: z.iso.datetime(),
});
type Wire = z.infer<typeof Wire>;

/** Wraps a ledger command for the journal: its fingerprint guards the idempotency key. */
export const ledgerAppend = (book: string, command: Command, meta: LedgerAppendMeta): AppendCommand<BookState> => {
  const clock = meta.clock ?? (() => new Date());
  const requestHash = meta.requestHash ?? fingerprint(command);
  const arrived = clock();
  return {
    idempotencyKey: meta.idempotencyKey,
    requestHash,
    actor: meta.actor,
    reads: (state, loaded) => readsOf(command, loaded, state),
    decide: (state, head, loaded) =>
      decide(command, state, {
        book,
        actor: meta.actor,
        today: localDate(state.book?.timeZone ?? "Asia/Shanghai", clock()),
        headSeq: head.seq,
        entities: loaded,
      }),
    // Built only when handed over (a getter): most commands never are.
    get wire(): Json {
      const { idempotencyKey, actor } = meta;
      const wire: Wire = { command, idempotencyKey, requestHash, actor, at: arrived.toISOString() };
      return wire as unknown as Json;
    },
  };
};

/**
 * The command a wire carries, decided as of the instant its request arrived. A wire that does not
 * parse throws, naming what is wrong: its combiner settles the mail as failed, so that its sender
 * is answered with that fault and nothing is decided (handoff.ts).
 */
export function reviveLedgerAppend(book: string, wire: Json): AppendCommand<BookState> {
  const parsed = Wire.safeParse(wire);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "wire"}: ${issue.message}`);
    throw new Error(`malformed handed-over command: ${issues.join("; ")}`);
  }
  const { command, idempotencyKey, requestHash, actor, at } = parsed.data;
  const instant = new Date(at);
  return ledgerAppend(book, command, { idempotencyKey, requestHash, actor, clock: () => instant });
}
