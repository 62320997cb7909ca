import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { JournalEvent, Json } from "@relief-ledger/core";
import { INDEX_ATTRIBUTES, journalIndexKeys } from "./keys.ts";

/**
 * JSON ↔ DynamoDB attribute values. Numbers travel as DynamoDB numbers and come back as JS
 * numbers; the ledger's numbers are counts and seqs, never money (money is a decimal string).
 */
export function toAttribute(value: Json): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === "string") return { S: value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot store ${value}`);
    return { N: String(value) };
  }
  if (typeof value === "boolean") return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  return { M: toItem(value) };
}

export function toItem(object: { readonly [key: string]: Json | undefined }): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value !== undefined) item[key] = toAttribute(value);
  }
  return item;
}

/** Reads any attribute back as JSON; sets and binaries, which the ledger never writes, are tagged so a check fails. */
export function fromAttribute(attribute: AttributeValue): Json {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined) return fromItem(attribute.M);
  return { unsupportedAttribute: Object.keys(attribute).join(",") };
}

export function fromItem(item: Record<string, AttributeValue>): { [key: string]: Json } {
  const object: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(item)) object[key] = fromAttribute(value);
  return object;
}

/**
 * An event's item is the event itself (its attribute names are the event's field names) and the
 * index attributes derived from it.
 */
export const eventToItem = (event: JournalEvent): Record<string, AttributeValue> =>
  toItem({ ...event, ...journalIndexKeys(event) });

/** A stored item split into the event's own fields, not yet checked, and its index attributes. */
export function itemToRecord(item: Record<string, AttributeValue>): {
  record: { [key: string]: Json };
  index: Record<string, unknown>;
} {
  const record = fromItem(item);
  const index: Record<string, unknown> = {};
  for (const name of INDEX_ATTRIBUTES) {
    if (name in record) {
      index[name] = record[name];
      delete record[name];
    }
  }
  return { record, index };
}
