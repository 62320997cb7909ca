import { createHash } from "node:crypto";
import { CSV_BOM, csvCell } from "../csv.ts";
import type { BankFileLine, BankLayout } from "./layout.ts";

export type BankFileFormat = "csv" | "xlsx";

/**
 * A disbursement file as CSV: UTF-8 with a BOM, CRLF, every cell quoted as the exports quote
 * them (a name starting like a formula gets its `'`). The account number stays text. Pure, so
 * that the same lines make the same bytes, and so the same hash, wherever the file is made (the
 * API's route, the demo book).
 */
export function bankCsv(layout: BankLayout, lines: readonly BankFileLine[]): Uint8Array {
  const row = (cells: readonly string[]) =>
    `${cells.map((cell, index) => csvCell(cell, index === layout.amountColumn)).join(",")}\r\n`;
  return new TextEncoder().encode(CSV_BOM + row(layout.header) + lines.map((line) => row(layout.row(line))).join(""));
}

/** A file's SHA-256, as BankFileIssued and BankResultsRecorded record it. */
export const fileSha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
