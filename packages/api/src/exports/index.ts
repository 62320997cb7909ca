/**
 * Exports: CSV and XLSX files of the reports and lists, headed in the reader's language. The
 * columns (columns.ts) and tables (tables.ts) are named in one place; csv.ts and xlsx.ts write
 * them; respond.ts holds the query parameters and answers a route with a file.
 */
export { COLUMNS, type ColumnId, LANGS, type Lang } from "./columns.ts";
export {
  answerReport,
  DEFAULT_LANG,
  type ExportFormat,
  exportContent,
  exportQuery,
  isExport,
  type ReportQuery,
  refuseTableWithJson,
  sendTables,
  streamTable,
  tableQuery,
  XLSX_TYPE,
} from "./respond.ts";
export { type ExportName, type ExportTable, type RowOf, TABLES, type TableId, table } from "./tables.ts";
