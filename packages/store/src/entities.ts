import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from "@aws-sdk/client-dynamodb";
import type { Json } from "@relief-ledger/core";
import { itemToRecord, toItem } from "./codec.ts";
import { kindIndexId, kindIndexKey, LISTED_KINDS, refKey } from "./keys.ts";
import type { TableNames } from "./tables.ts";

/** BatchGetItem takes at most 100 keys a call. */
const MAX_BATCH_GET = 100;

/** An entity item keeps its value as one JSON string: it is read and written whole. */
export const entityItem = (book: string, ref: string, value: Json) => {
  const target = refKey(book, ref);
  if (target.table !== "state") throw new Error(`journal entries are never rewritten: ${ref}`);
  if (ref.startsWith("claim/")) throw new Error(`claims are written with the events that make them: ${ref}`);
  const [kind = "", id = ""] = [ref.slice(0, ref.indexOf("/")), ref.slice(ref.indexOf("/") + 1)];
  const listed = LISTED_KINDS.has(kind) ? { xKind: kindIndexKey(book, kind), xId: kindIndexId(book, id, kind) } : {};
  return { ...target.key, ...listed, value: JSON.stringify(value) };
};

/**
 * Loads entity refs (beneficiary records, journal entries) with strongly consistent batch reads.
 * A ref that does not exist maps to null.
 */
export async function loadEntities(
  client: DynamoDBClient,
  tables: TableNames,
  book: string,
  refs: readonly string[],
): Promise<Map<string, Json | null>> {
  const found = new Map<string, Json | null>(refs.map((ref) => [ref, null]));
  const byKey = new Map<string, string>();
  const requests = refs.map((ref) => {
    const target = refKey(book, ref);
    const table = tables[target.table];
    byKey.set(`${table}|${JSON.stringify(Object.values(target.key))}`, ref);
    return { table, key: toItem(target.key) };
  });
  for (let start = 0; start < requests.length; start += MAX_BATCH_GET) {
    let pending: Record<string, KeysAndAttributes> | undefined = {};
    for (const { table, key } of requests.slice(start, start + MAX_BATCH_GET)) {
      pending[table] ??= { Keys: [], ConsistentRead: true };
      pending[table].Keys?.push(key);
    }
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
      const answer: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(answer.Responses ?? {})) {
        for (const item of items) record(found, byKey, tables, table, item);
      }
      pending = answer.UnprocessedKeys;
    }
  }
  return found;
}

function record(
  found: Map<string, Json | null>,
  byKey: Map<string, string>,
  tables: TableNames,
  table: string,
  item: Record<string, AttributeValue>,
) {
  if (table === tables.journal) {
    const ref = byKey.get(`${table}|${JSON.stringify([item.book?.S, Number(item.seq?.N)])}`);
    if (ref) found.set(ref, itemToRecord(item).record);
  } else {
    const ref = byKey.get(`${table}|${JSON.stringify([item.pk?.S, item.sk?.S])}`);
    if (ref && item.value?.S) found.set(ref, JSON.parse(item.value.S) as Json);
    // A uniqueness claim (claim/<kind>/<value>): who holds it.
    else if (ref && item.owner?.S) found.set(ref, { owner: item.owner.S });
  }
}
