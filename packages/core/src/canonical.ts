import { createHash } from "node:crypto";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

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
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot carry a ${typeof value}`);
  }
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** The SHA-256 of a value's canonical JSON: a fingerprint that ignores key order. */
export const fingerprint = (value: unknown): string => sha256Hex(canonicalJson(value));
