import { CSV_BOM, csvCell } from "@relief-ledger/core";
import { COLUMNS, type ColumnKind, type Lang } from "./columns.ts";
import { type CellValue, cellsOf, type ExportTable, TABLES, type TableId } from "./tables.ts";

// The cell rules are core's (csv.ts), shared with the disbursement files.
export { CSV_BOM, csvCell } from "@relief-ledger/core";

export type CsvValue = CellValue;

/**
 * An export's columns: each header, and whether its cells are numbers (amounts, seqs, counts).
 * Only a numeric column's cells may start with a minus sign as they are; see csvCell.
 */
export type CsvColumn = { readonly name: string; readonly numeric: boolean };

/** Columns by name, the numeric ones named again; a column not named numeric holds text. */
export function csvColumns<const N extends string>(names: readonly N[], numeric: readonly N[] = []): CsvColumn[] {
  return names.map((name) => ({ name, numeric: numeric.includes(name) }));
}

/** One row, CRLF at the end; a value's column says whether it is numeric, cells past the columns are text. */
export function csvRow(columns: readonly CsvColumn[], values: readonly CsvValue[]): string {
  return `${values.map((value, index) => csvCell(value, columns[index]?.numeric)).join(",")}\r\n`;
}

/** The kinds of column whose cells are numbers (formula-exempt when they are). */
const NUMERIC: ReadonlySet<ColumnKind> = new Set(["amount", "decimal", "integer"]);

/** A table's columns, headed in `lang` from the column dictionary (columns.ts). */
export const csvColumnsOf = (id: TableId, lang: Lang): CsvColumn[] =>
  TABLES[id].columns.map((column) => ({ name: COLUMNS[column][lang], numeric: NUMERIC.has(COLUMNS[column].kind) }));

/** A whole table as a CSV file: the BOM, the header as row 1 (no title above it), then the rows. */
export function csvTable({ id, rows }: ExportTable, lang: Lang): string {
  const columns = csvColumnsOf(id, lang);
  return CSV_BOM + csvHeader(columns) + rows.map((row) => csvRow(columns, cellsOf(id, row))).join("");
}

/** The header row: the columns' names, as text. */
export const csvHeader = (columns: readonly CsvColumn[]): string =>
  csvRow(
    [],
    columns.map((column) => column.name),
  );

/**
 * A table's CSV streamed page by page: the BOM and the header, then each page's rows as it is
 * read, so that a large export never holds the whole book in memory.
 */
export function csvStream(
  id: TableId,
  lang: Lang,
  pages: AsyncIterable<ExportTable["rows"]>,
): ReadableStream<Uint8Array> {
  const columns = csvColumnsOf(id, lang);
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let started = false;
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvHeader(columns)));
        return;
      }
      const next = await iterator.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => csvRow(columns, cellsOf(id, row))).join("")));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
