import type { JournalEvent } from "@relief-ledger/core";

/**
 * What the journal needs to know about the domain: how to start a book's state, how an event
 * changes it, and how it is kept as JSON in the head item. The journal stays generic; the
 * ledger's own model is core's initialState/evolve/encodeState/decodeState.
 */
export type StateModel<S> = {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: JournalEvent) => S;
  readonly encodeState: (state: S) => unknown;
  readonly decodeState: (stored: unknown) => S;
};
