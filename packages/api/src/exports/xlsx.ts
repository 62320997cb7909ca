import { Writable } from "node:stream";
import type { Row, Workbook, Worksheet } from "exceljs";
import { COLUMNS, type ColumnKind, type Lang } from "./columns.ts";
import { type CellValue, type ExportTable, headers, TABLES, type TableId } from "./tables.ts";

/**
 * XLSX exports with exceljs: one sheet per table, the header in row 1 and frozen, amounts as
 * numbers formatted 0.00, business dates as dates. exceljs is loaded on the first XLSX asked
 * for, so that every other request starts without it (and the Lambda bundle leaves it out:
 * infra/lambda.ts installs it beside the bundle).
 */
const loadExcel = async () => (await import("exceljs")).default;

/** A cell as exceljs takes it, and the number format of a number or date. */
export type XlsxCell = { readonly value: string | number | boolean | Date | null; readonly numFmt?: string };

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const INTEGER = /^-?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
/**
 * A spreadsheet holds a number as a double, which keeps 15 significant digits: up to that, the
 * double nearest a decimal string reads back as the same decimal. A figure with more digits goes
 * out as text rather than changed.
 */
const EXACT_DIGITS = 15;

export const AMOUNT_FORMAT = "0.00";
export const INTEGER_FORMAT = "0";
export const DATE_FORMAT = "yyyy-mm-dd";
export const INSTANT_FORMAT = "yyyy-mm-dd hh:mm:ss";

/**
 * A number cell from a decimal string (or a count), converted here and nowhere before: figures
 * travel as exact strings to the edge of the file, and are never summed as floats. Anything that
 * is not such a number stays text, which a spreadsheet never runs as a formula.
 */
function numberCell(value: string | number, pattern: RegExp, numFmt: string): XlsxCell {
  const text = String(value);
  const digits = text
    .replace(/^-/, "")
    .replace(".", "")
    .replace(/^0+(?=\d)/, "").length;
  if (pattern.test(text) && digits <= EXACT_DIGITS) return { value: Number(text), numFmt };
  return { value: text };
}

/** A business date (YYYY-MM-DD) as a date at midnight UTC, the day Excel shows whatever its time zone. */
function dateCell(text: string): XlsxCell {
  const match = DATE.exec(text);
  if (!match) return { value: text };
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(text) ? { value: date, numFmt: DATE_FORMAT } : { value: text };
}

/** One cell of a column of `kind`. Text is always a string cell: exceljs writes no formula for one. */
export function xlsxCell(kind: ColumnKind, value: CellValue): XlsxCell {
  if (value === null || value === undefined || value === "") return { value: null };
  switch (kind) {
    case "amount":
    case "decimal":
      return typeof value === "boolean" ? { value: String(value) } : numberCell(value, DECIMAL, AMOUNT_FORMAT);
    case "integer":
      return typeof value === "boolean" ? { value: String(value) } : numberCell(value, INTEGER, INTEGER_FORMAT);
    case "date":
      return dateCell(String(value));
    case "timestamp":
      return INSTANT.test(String(value))
        ? { value: new Date(String(value)), numFmt: INSTANT_FORMAT }
        : { value: String(value) };
    case "boolean":
      return typeof value === "boolean" ? { value } : { value: String(value) };
    case "text":
      return { value: String(value) };
  }
}

/**
 * A sheet's name as Excel allows it: at most 31 characters, none of \ / ? * [ ] :, and no
 * apostrophe at either end. The tables' names (tables.ts) already are; this keeps it so.
 */
export const sheetName = (name: string): string =>
  name
    .replace(/[\\/?*[\]:]/g, " ")
    .replace(/^'+|'+$/g, "")
    .slice(0, 31)
    .trim() || "Sheet";

/** Width in characters: a CJK character takes two. */
const displayWidth = (text: string) => [...text].reduce((width, char) => width + (char > "\u2e7f" ? 2 : 1), 0);

const MIN_WIDTH: Record<ColumnKind, number> = {
  text: 10,
  amount: 14,
  decimal: 10,
  integer: 8,
  date: 12,
  timestamp: 20,
  boolean: 8,
};

type Sheet = Pick<Worksheet, "addRow" | "columns">;

/** A table's sheet: named in `lang`, its header row frozen (it stays in view while scrolling). */
function startSheet(workbook: Pick<Workbook, "addWorksheet">, id: TableId, lang: Lang) {
  const def = TABLES[id];
  const sheet = workbook.addWorksheet(sheetName(def[lang]), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = def.columns.map((column) => ({
    key: column,
    width: Math.max(MIN_WIDTH[COLUMNS[column].kind], displayWidth(COLUMNS[column][lang]) + 2),
  }));
  const header: Row = sheet.addRow(headers(id, lang));
  header.font = { bold: true };
  header.commit();
  return sheet;
}

/** Adds rows and commits each (a streamed sheet writes a committed row out; a buffered one keeps it). */
function addRows(sheet: Sheet, id: TableId, rows: ExportTable["rows"]) {
  const columns = TABLES[id].columns;
  for (const row of rows) {
    const cells = columns.map((column) => xlsxCell(COLUMNS[column].kind, row[column]));
    const added = sheet.addRow(cells.map((cell) => cell.value));
    cells.forEach((cell, index) => {
      if (cell.numFmt) added.getCell(index + 1).numFmt = cell.numFmt;
    });
    added.commit();
  }
}

const CREATOR = "relief-ledger";

/** A workbook of whole tables, one sheet each, in memory: for reports and bounded lists. */
export async function xlsxWorkbook(tables: readonly ExportTable[], lang: Lang): Promise<Uint8Array<ArrayBuffer>> {
  const { Workbook } = await loadExcel();
  const workbook = new Workbook();
  workbook.creator = CREATOR;
  for (const { id, rows } of tables) addRows(startSheet(workbook, id, lang), id, rows);
  // A Node Buffer at run time (exceljs types it as its own interface).
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as unknown as ArrayLike<number>);
}

/** How many bytes of the finished file may wait for the client before no further page is read. */
export const XLSX_STREAM_HIGH_WATER_MARK = 256 * 1024;

/**
 * A one-sheet workbook of an unbounded list, streamed with exceljs's WorkbookWriter: each page's
 * rows are committed (written out and forgotten) as it is read, and the next page is read only
 * while the client keeps up (fewer than `highWaterMark` bytes wait for it), so memory holds a page
 * and what the zip is compressing, never the list. No shared strings: they would be held until the
 * end. Cancelling the body (the client left, or the deadline) stops reading pages.
 */
export function xlsxStream(
  id: TableId,
  lang: Lang,
  pages: AsyncIterable<ExportTable["rows"]>,
  highWaterMark = XLSX_STREAM_HIGH_WATER_MARK,
): ReadableStream<Uint8Array> {
  const iterator = pages[Symbol.asyncIterator]();
  let out: ReadableStreamDefaultController<Uint8Array> | undefined;
  let wanted: (() => void) | undefined;
  let cancelled = false;
  const demand = () =>
    new Promise<void>((resolve) => {
      if (cancelled || (out?.desiredSize ?? 0) > 0) resolve();
      else wanted = resolve;
    });
  // Where exceljs's zip writes: the file's bytes go straight to the response body.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!cancelled) out?.enqueue(new Uint8Array(chunk));
      done();
    },
  });
  async function produce(controller: ReadableStreamDefaultController<Uint8Array>) {
    const { stream } = await loadExcel();
    const workbook = new stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    workbook.creator = CREATOR;
    const sheet = startSheet(workbook, id, lang);
    for (;;) {
      await demand();
      if (cancelled) return;
      const next = await iterator.next();
      if (next.done || cancelled) break;
      addRows(sheet, id, next.value);
    }
    if (cancelled) return;
    (sheet as Worksheet & { commit(): void }).commit();
    await workbook.commit();
    controller.close();
  }
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        out = controller;
        produce(controller).catch((error: unknown) => {
          if (!cancelled) controller.error(error);
        });
      },
      pull() {
        const resolve = wanted;
        wanted = undefined;
        resolve?.();
      },
      async cancel() {
        cancelled = true;
        wanted?.();
        await iterator.return?.();
      },
    },
    { highWaterMark, size: (chunk) => chunk.byteLength },
  );
}
