import type { BankFileLine, BankLayout } from "@relief-ledger/core";

/**
 * A disbursement file as XLSX (exceljs): one sheet, the header frozen, account numbers as text
 * cells (format "@"), amounts as numbers formatted 0.00. Its dates are pinned so that the same
 * lines make the same bytes, and so the same hash. The CSV and everything else pure about the
 * files are core's (bank-files/).
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
