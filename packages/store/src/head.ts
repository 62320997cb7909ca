import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { ChainHead } from "@relief-ledger/core";
import { headKey } from "./keys.ts";
import type { StateModel } from "./model.ts";

/** A book's head as the journal caches it: where the chain ends and the state there. */
export type Head<S> = ChainHead & { readonly state: S; readonly exists: boolean };

export const emptyHead = <S>(model: StateModel<S>): Head<S> => ({
  seq: 0,
  hash: "0".repeat(64),
  state: model.initialState(),
  exists: false,
});

/**
 * The head item. Its state is one JSON string attribute: the state is read and written whole,
 * never queried by field, and a string keeps its exact bytes. DynamoDB's 400 KB item limit
 * bounds it; BookState keeps per-beneficiary figures out for that reason.
 */
export function headToItem<S>(book: string, head: ChainHead, state: S, model: StateModel<S>, at: string) {
  return {
    ...headKey(book),
    seq: head.seq,
    hash: head.hash,
    state: JSON.stringify(model.encodeState(state)),
    updatedAt: at,
  };
}

export function itemToHead<S>(item: Record<string, AttributeValue>, model: StateModel<S>): Head<S> {
  const { seq, hash, state } = item;
  if (!seq?.N || !hash?.S || !state?.S) throw new Error("book head item is missing seq, hash or state");
  return { seq: Number(seq.N), hash: hash.S, state: model.decodeState(JSON.parse(state.S)), exists: true };
}
