/*
 * How the ledger writes a CSV cell, in one place: the API's exports and the disbursement files
 * (bank-files/files.ts) write theirs alike.
 */

/** Excel reads a UTF-8 CSV as UTF-8 (and shows Chinese names) only when it starts with a BOM. */
export const CSV_BOM = "\uFEFF";

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What a numeric column holds: an integer or a decimal string such as "-800.00". */
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * One cell. Text starting like a formula gets a leading `'`, which Excel reads as "this is text"
 * (a memo "-2+3+cmd|' /C calc'!A0" or even "-5"); a number in a numeric column stays a number,
 * so that sums still work. A numeric column's cell that is not a number is text like any other.
 * Quoted per RFC 4180 when it holds a quote or a line break, and also a comma, semicolon or tab:
 * in some locales Excel splits on those, and an unquoted one would start a new cell unescaped.
 */
export function csvCell(value: string | number | boolean | null | undefined, numeric = false): string {
  const text = value === undefined || value === null ? "" : String(value);
  const safe = FORMULA_START.test(text) && !(numeric && NUMBER.test(text)) ? `'${text}` : text;
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
