import { createHash } from "node:crypto";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Object members in the order RFC 8785 sorts them: by their keys' UTF-16 code units. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units,
 * no white space, numbers in ECMAScript's shortest form, strings escaped as JSON.stringify
 * does. Two values that are equal as JSON give the same text, whatever their key order or
 * how their numbers were written (1, 1.0 and 1e0 are the same number once parsed).
 *
 * `undefined` members are left out, as JSON.stringify leaves them out; anything that JSON
 * cannot carry (bigint, NaN, Infinity, functions) throws rather than hash something ambiguous.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no ${value}`);
      // -0 and 0 are one JSON number: JSON.stringify writes both as 0.
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(byKey);
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot carry a ${typeof value}`);
  }
}

/**
 * A copy of a JSON value whose objects, at every depth, list their members in canonicalJson's
 * order, so that JSON.stringify writes it the same way however its keys came to be ordered: built
 * by a decision, or read back from DynamoDB, which returns a map's attributes in an order of its own.
 * Undefined members are left out, as JSON.stringify leaves them out. Index-like keys ("0", "42")
 * still come first, in numeric order, as a JavaScript object always lists them: one order still.
 */
export function withSortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withSortedKeys) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(byKey)
    .map(([key, member]): [string, unknown] => [key, withSortedKeys(member)]);
  return Object.fromEntries(entries) as T;
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** The SHA-256 of a value's canonical JSON: a fingerprint that ignores key order. */
export const fingerprint = (value: unknown): string => sha256Hex(canonicalJson(value));
