import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { LANGS, type Lang } from "./columns.ts";
import { csvStream, csvTable } from "./csv.ts";
import { EXPORTS, type ExportName, type ExportTable, TABLES, type TableId } from "./tables.ts";
import { xlsxStream, xlsxWorkbook } from "./xlsx.ts";

export const CSV_TYPE = "text/csv; charset=utf-8";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** An export's body: written after the handler returns, bounded in size and time (entry-guards.ts, deadline.ts). */
export const isExport = (response: Response) => {
  const type = response.headers.get("content-type") ?? "";
  return type.startsWith("text/csv") || type.startsWith(XLSX_TYPE);
};

/**
 * Without `lang` an export is headed in English: callers of the API are scripts as often as
 * people, and a script's column names should not change with a reader. The dashboard asks for zh.
 */
export const DEFAULT_LANG: Lang = "en";

export type ExportFormat = "json" | "csv" | "xlsx";

/** The query parameters every export takes. */
export const exportQuery = {
  format: z
    .enum(["json", "csv", "xlsx"])
    .optional()
    .openapi({
      description:
        "json (the default); csv: one table, UTF-8 with a BOM, the header in row 1; xlsx: a workbook with one sheet " +
        "per table, the header row frozen, amounts as numbers with two decimals and dates as dates",
    }),
  lang: z
    .enum(LANGS)
    .optional()
    .openapi({
      description: `The language of an export's column headers, sheet names and file name: zh or en (${DEFAULT_LANG} by default). JSON is the same in every language.`,
    }),
};

/** The `table` parameter of an export that has several tables: its names, documented. */
export const tableQuery = (ids: readonly [TableId, ...TableId[]]) =>
  z
    .enum(ids)
    .optional()
    .openapi({
      description:
        `One table of the export: ${ids.join(", ")}. Required with format=csv (a CSV file holds one table); ` +
        "with format=xlsx, the workbook holds that sheet only instead of all of them.",
    });

/** The 200 response of a route that exports: JSON, or CSV, or XLSX. */
export const exportContent = <T extends z.ZodType>(json: T) => ({
  "application/json": { schema: json },
  "text/csv": { schema: z.string() },
  [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
});

/** `table` is for the files; JSON always holds every table. */
export function refuseTableWithJson(format: ExportFormat, table: TableId | undefined) {
  if (format === "json" && table !== undefined) {
    throw new ProblemError(
      problemFor("validation-failed", "table chooses a table of a CSV or XLSX export; JSON holds them all", {
        errors: [{ path: "table", message: "only with format=csv or format=xlsx" }],
      }),
    );
  }
}

/**
 * The tables an export holds: the one asked for; else, in XLSX, all of them (a sheet each); a
 * CSV of a report with several tables must name one, and is told their names.
 */
export function chooseTables(tables: readonly ExportTable[], format: "csv" | "xlsx", chosen?: TableId) {
  if (chosen !== undefined) return tables.filter((table) => table.id === chosen);
  if (format === "xlsx" || tables.length === 1) return tables;
  const ids = tables.map((table) => table.id);
  throw new ProblemError(
    problemFor("validation-failed", `a CSV file holds one table: name it with table=, one of ${ids.join(", ")}`, {
      errors: [{ path: "table", message: `required with format=csv: one of ${ids.join(", ")}` }],
      tables: ids,
    }),
  );
}

/** What an export file is of: the export, the book, the period, and its one table if it has several. */
export type ExportFile = {
  readonly name: ExportName;
  readonly book: string;
  readonly period?: string;
  readonly table?: TableId;
};

/** RFC 8187 encoding of a filename* value: percent-encoded UTF-8, with the few characters it reserves. */
const rfc8187 = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Content-Disposition for an export (RFC 6266): an ASCII filename for old clients, and filename*
 * in UTF-8 with the names in the reader's language.
 */
export function contentDisposition(file: ExportFile, lang: Lang, extension: "csv" | "xlsx") {
  const parts = (names: { name: string; table?: string }) =>
    [file.book, names.name, file.period, names.table].filter(Boolean).join("-");
  const ascii = parts({ name: file.name, ...(file.table ? { table: file.table } : {}) }).replace(/[^\w.-]/g, "_");
  const local = parts({ name: EXPORTS[file.name][lang], ...(file.table ? { table: TABLES[file.table][lang] } : {}) });
  const named = lang === "en" ? ascii : local;
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${rfc8187(`${named}.${extension}`)}`;
}

export type ExportRequest = {
  readonly format: "csv" | "xlsx";
  readonly lang: Lang;
  readonly file: Omit<ExportFile, "table">;
  readonly table?: TableId | undefined;
};

/** Answers with whole tables as CSV (one) or XLSX (a sheet each). */
export async function sendTables(c: Context<AppEnv>, request: ExportRequest, tables: readonly ExportTable[]) {
  const { format, lang, table } = request;
  const chosen = chooseTables(tables, format, table);
  // The file is named after its table when the export has several and it holds one.
  const only = tables.length > 1 && chosen.length === 1 ? chosen[0]?.id : undefined;
  const file: ExportFile = only ? { ...request.file, table: only } : request.file;
  const disposition = contentDisposition(file, lang, format);
  if (format === "csv") {
    return c.body(csvTable(chosen[0] as ExportTable, lang), 200, {
      "Content-Type": CSV_TYPE,
      "Content-Disposition": disposition,
    });
  }
  const body = await xlsxWorkbook(chosen, lang);
  return c.body(body, 200, { "Content-Type": XLSX_TYPE, "Content-Disposition": disposition });
}

/** Answers with one table of unbounded length, streamed page by page as CSV or XLSX. */
export function streamTable(
  c: Context<AppEnv>,
  request: Omit<ExportRequest, "table">,
  id: TableId,
  pages: AsyncIterable<ExportTable["rows"]>,
) {
  const { format, lang } = request;
  const disposition = contentDisposition(request.file, lang, format);
  return format === "csv"
    ? c.body(csvStream(id, lang, pages), 200, { "Content-Type": CSV_TYPE, "Content-Disposition": disposition })
    : c.body(xlsxStream(id, lang, pages), 200, { "Content-Type": XLSX_TYPE, "Content-Disposition": disposition });
}

/** What a report's query says about its answer. */
export type ReportQuery = {
  readonly format?: ExportFormat | undefined;
  readonly lang?: Lang | undefined;
  readonly table?: TableId | undefined;
};

/** A report as JSON, or its tables as a file (one table as CSV, a sheet each as XLSX). */
export function answerReport(
  c: Context<AppEnv>,
  query: ReportQuery,
  file: Omit<ExportFile, "table">,
  tables: () => ExportTable[],
  json: () => Record<string, unknown>,
) {
  const format = query.format ?? "json";
  refuseTableWithJson(format, query.table);
  if (format === "json") return c.json(json(), 200);
  return sendTables(c, { format, lang: query.lang ?? DEFAULT_LANG, file, table: query.table }, tables());
}
