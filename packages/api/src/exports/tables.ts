import { COLUMNS, type ColumnId, type Lang } from "./columns.ts";

/**
 * Every table an export may hold, in one place: its name in each language (the sheet's name in
 * XLSX, part of the file's name) and its columns, in order. A CSV file holds one table; an XLSX
 * workbook one sheet per table.
 */
export type TableDef = { readonly zh: string; readonly en: string; readonly columns: readonly ColumnId[] };

export const TABLES = {
  entries: {
    zh: "日记账",
    en: "Journal entries",
    columns: [
      "seq",
      "type",
      "occurredOn",
      "recordedAt",
      "actor",
      "role",
      "fundId",
      "programId",
      "beneficiaryId",
      "unitId",
      "amount",
      "reference",
      "memo",
      "idempotencyKey",
      "prevHash",
      "hash",
    ],
  },
  findings: {
    zh: "审计发现",
    en: "Audit findings",
    columns: [
      "findingId",
      "unitId",
      "auditId",
      "category",
      "severity",
      "status",
      "overdue",
      "amountInQuestion",
      "amountRecovered",
      "amountReclassified",
      "dueBy",
      "recordedOn",
      "resolvedOn",
      "outcome",
      "description",
    ],
  },
  programmes: {
    zh: "项目",
    en: "Programmes",
    columns: [
      "programId",
      "programName",
      "fundId",
      "amount",
      "personTimes",
      "distinctBeneficiaries",
      "averagePerPayout",
      "budget",
      "executionPercent",
      "reversedCount",
      "reversedAmount",
      "returnedCount",
      "returnedAmount",
    ],
  },
  funds: {
    zh: "资金",
    en: "Funds",
    columns: [
      "fundId",
      "fundName",
      "opening",
      "collected",
      "paidOut",
      "transfersIn",
      "transfersOut",
      "returns",
      "reversals",
      "closing",
      "reservedAtClose",
      "availableAtClose",
    ],
  },
  "collections-by-source": { zh: "收入（按来源）", en: "Collections by source", columns: ["source", "amount"] },
  "collections-by-unit": { zh: "收入（按单位）", en: "Collections by unit", columns: ["unitId", "unitName", "amount"] },
  audit: {
    zh: "审计进度",
    en: "Audit progress",
    columns: [
      "year",
      "auditsTarget",
      "auditsCompleted",
      "auditsStarted",
      "findingsRecorded",
      "findingsOpen",
      "findingsOverdue",
      "findingsResolved",
      "amountInQuestion",
      "amountRecovered",
      "amountReclassified",
    ],
  },
  reconciliation: {
    zh: "余额调节表",
    en: "Bank reconciliation",
    columns: [
      "fundId",
      "period",
      "bankOpening",
      "bankClosing",
      "bookReceiptsNotInBank",
      "bookPaymentsNotInBank",
      "adjustedBank",
      "bookOpening",
      "bookClosing",
      "bankReceiptsNotInBook",
      "bankPaymentsNotInBook",
      "adjustedBook",
      "difference",
      "balanced",
    ],
  },
  // No account number, nor its last digits: a reconciling item names its counterparty only.
  "reconciling-items": {
    zh: "未达账项",
    en: "Reconciling items",
    columns: ["side", "month", "direction", "date", "amount", "line", "entrySeq", "type", "reference", "counterparty"],
  },
  "bank-matches": {
    zh: "已匹配",
    en: "Matched lines",
    columns: ["line", "date", "amount", "direction", "entrySeq", "entryDate", "rule", "status"],
  },
} as const satisfies Record<string, TableDef>;

export type TableId = keyof typeof TABLES;

/** A cell as the routes give it: amounts as decimal strings, dates as YYYY-MM-DD, counts as numbers. */
export type CellValue = string | number | boolean | null | undefined;

/** One row of a table: a value for every one of its columns, so that a column left out is a type error. */
export type RowOf<T extends TableId> = { readonly [C in (typeof TABLES)[T]["columns"][number]]: CellValue };

/** A table of an export and its rows. */
export type ExportTable = { readonly id: TableId; readonly rows: readonly Readonly<Record<string, CellValue>>[] };

export const table = <T extends TableId>(id: T, rows: readonly RowOf<T>[]): ExportTable => ({ id, rows });

/** The header row of a table in a language. */
export const headers = (id: TableId, lang: Lang): string[] => TABLES[id].columns.map((column) => COLUMNS[column][lang]);

/** A row's cells in its table's column order. */
export const cellsOf = (id: TableId, row: Readonly<Record<string, CellValue>>): CellValue[] =>
  TABLES[id].columns.map((column) => row[column]);

/**
 * What the whole export is called in each language, for its file's name; the ASCII name is the
 * fallback for clients that do not read RFC 6266's filename*.
 */
export const EXPORTS = {
  entries: { zh: "日记账", en: "entries" },
  "audit-findings": { zh: "审计发现", en: "audit-findings" },
  programmes: { zh: "项目报表", en: "programmes" },
  funds: { zh: "资金报表", en: "funds" },
  collections: { zh: "收入报表", en: "collections" },
  audit: { zh: "审计进度", en: "audit" },
  annual: { zh: "年度报告", en: "annual" },
  reconciliation: { zh: "银行存款余额调节表", en: "reconciliation" },
} as const satisfies Record<string, { readonly zh: string; readonly en: string }>;

export type ExportName = keyof typeof EXPORTS;
