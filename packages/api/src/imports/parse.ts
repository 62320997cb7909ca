import { Readable } from "node:stream";
import type { CellValue } from "exceljs";

/** A cell as read from a roster: text (CSV, or an XLSX text cell), a number, or a date (an XLSX date cell). */
export type Cell = string | number | Date | undefined;

/** One line of a roster with its number in the file (the header is row 1). */
export type RawRow = { readonly row: number; readonly cells: readonly Cell[] };

export type RawRoster = { readonly header: readonly string[]; readonly rows: readonly RawRow[] };

/** Thrown when a roster has more data rows than allowed: reading stops there. */
export class RosterTooLarge extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the roster has more than ${limit} rows`);
    this.limit = limit;
  }
}

const blank = (cells: readonly Cell[]) =>
  cells.every((cell) => cell === undefined || (typeof cell === "string" && cell.trim() === ""));

/** Collects the rows after the header, blank ones left out, stopping past `limit`. */
function collect(lines: Iterable<RawRow>, limit: number): RawRoster {
  let header: readonly string[] | undefined;
  const rows: RawRow[] = [];
  for (const line of lines) {
    if (line.row === 1) {
      header = line.cells.map((cell) => (cell === undefined ? "" : String(cell)));
      continue;
    }
    if (blank(line.cells)) continue;
    if (rows.length === limit) throw new RosterTooLarge(limit);
    rows.push(line);
  }
  return { header: header ?? [], rows };
}

/**
 * A CSV roster (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks; CRLF or LF),
 * UTF-8 with or without a BOM, as the exports write it. Row numbers count lines as a spreadsheet
 * shows them: a quoted line break does not start a new row.
 */
export function parseCsv(text: string, limit: number): RawRoster {
  return collect(csvLines(text.startsWith("\uFEFF") ? text.slice(1) : text), limit);
}

function* csvLines(text: string): Generator<RawRow> {
  let row = 1;
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let at = 0;
  const end = () => {
    cells.push(field);
    field = "";
  };
  while (at < text.length) {
    const char = text[at] as string;
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      at += 1;
      continue;
    }
    if (char === '"' && field === "") quoted = true;
    else if (char === ",") end();
    else if (char === "\n" || char === "\r") {
      end();
      yield { row, cells };
      row += 1;
      cells = [];
      if (char === "\r" && text[at + 1] === "\n") at += 1;
    } else field += char;
    at += 1;
  }
  if (field !== "" || cells.length > 0) {
    end();
    yield { row, cells };
  }
}

/**
 * An XLSX roster, read with exceljs's streaming reader: the first worksheet, row by row, the
 * header in row 1; nothing past the row limit is read. Shared strings and styles are cached (the
 * styles tell a date cell from a number), the rest ignored.
 */
export async function parseXlsx(body: ReadableStream<Uint8Array> | Uint8Array, limit: number): Promise<RawRoster> {
  const ExcelJS = (await import("exceljs")).default;
  const input = body instanceof Uint8Array ? Readable.from([body]) : Readable.fromWeb(body as never);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const lines: RawRow[] = [];
  let data = 0;
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      const cells = Array.from({ length: values.length }, (_, index) => cellOf(values[index] as CellValue));
      if (row.number > 1 && !blank(cells)) data += 1;
      if (data > limit) throw new RosterTooLarge(limit);
      lines.push({ row: row.number, cells });
    }
    break; // the first worksheet is the roster; a second one (the template's notes) is not read
  }
  return collect(lines, limit);
}

/** An exceljs cell value as a roster reads it: text, a number, a date; formulas by their result. */
function cellOf(value: CellValue): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string" || typeof value === "number" || value instanceof Date) return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("result" in value) return cellOf(value.result as CellValue);
  }
  return undefined;
}
