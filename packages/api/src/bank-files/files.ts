import { createHash } from "node:crypto";
import { CSV_BOM, csvCell } from "../exports/csv.ts";
import type { BankFileLine, BankLayout } from "./layout.ts";

export type BankFileFormat = "csv" | "xlsx";

/**
 * A disbursement file as CSV: UTF-8 with a BOM, CRLF, every cell quoted as the exports quote
 * them (a name starting like a formula gets its `'`). The account number stays text.
 */
export function bankCsv(layout: BankLayout, lines: readonly BankFileLine[]): Uint8Array {
  const row = (cells: readonly string[]) =>
    `${cells.map((cell, index) => csvCell(cell, index === layout.amountColumn)).join(",")}\r\n`;
  return new TextEncoder().encode(CSV_BOM + row(layout.header) + lines.map((line) => row(layout.row(line))).join(""));
}

/**
 * A disbursement file as XLSX (exceljs): one sheet, the header frozen, account numbers as text
 * cells (format "@"), amounts as numbers formatted 0.00. Its dates are pinned so that the same
 * lines make the same bytes, and so the same hash.
 */
export async function bankXlsx(layout: BankLayout, lines: readonly BankFileLine[], on: Date): Promise<Uint8Array> {
  const { Workbook } = (await import("exceljs")).default;
  const workbook = new Workbook();
  workbook.creator = "relief-ledger";
  workbook.created = on;
  workbook.modified = on;
  const sheet = workbook.addWorksheet("代发", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.addRow([...layout.header]);
  for (const line of lines) {
    const cells: (string | number)[] = [...layout.row(line)];
    cells[layout.amountColumn] = Number(cells[layout.amountColumn]);
    const added = sheet.addRow(cells);
    added.eachCell((cell, column) => {
      cell.numFmt = column - 1 === layout.amountColumn ? "0.00" : "@";
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");
