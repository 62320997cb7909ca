import { type ImportRow, orderForImport } from "@relief-ledger/core";
import { chunkKey, importChunks } from "@relief-ledger/store";
import { ACTORS } from "./catalog.ts";
import { type DemoScript, on, type ScriptBuilder } from "./script.ts";

/**
 * The day the register of hardship households (困难职工档案) comes in as a roster: once its files
 * are brought up to date (4 and 5 January), before the New Year visits pay the first of them. A
 * file opened after the day of its import would be refused (future-date).
 */
export const ROSTER_DAY = on(1, 5);
export const ROSTER_IMPORT_ID = "roster-2010";
/** The import's key: chunk i is appended under `roster/2010#i`, as importRoster keys a request's chunks. */
export const ROSTER_KEY = "roster/2010";

/**
 * Brings a roster in as the API's roster import does (the store's importRoster): households before
 * their members, chunks of 24 rows, each chunk one `import-beneficiaries-chunk` step by the finance
 * office. Its events are dated `date`, each file keeping its own dates.
 */
export function addRoster(b: ScriptBuilder, date: string, rows: readonly ImportRow[]): void {
  const { ordered, cyclic } = orderForImport(rows);
  if (cyclic.length > 0) throw new Error(`demo roster rows in a household cycle: ${cyclic.map((row) => row.row)}`);
  for (const [chunk, chunkRows] of importChunks(ordered).entries()) {
    b.add(date, ACTORS.finance, chunkKey(ROSTER_KEY, chunk), {
      type: "import-beneficiaries-chunk",
      importId: ROSTER_IMPORT_ID,
      chunk,
      rows: chunkRows,
      on: date,
    });
  }
}

/** The demo's roster as imported: the rows of its chunks, in order. */
export const demoRoster = (script: DemoScript): ImportRow[] =>
  script.steps.flatMap(({ command }) =>
    command.type === "import-beneficiaries-chunk" && command.importId === ROSTER_IMPORT_ID ? [...command.rows] : [],
  );

/** The roster's columns, headed as the API's Chinese template heads them (packages/api/src/imports/columns.ts). */
const COLUMNS: readonly [header: string, cell: (row: ImportRow) => string | undefined][] = [
  ["受助人编号", (row) => row.beneficiaryId],
  ["类别", (row) => row.kind],
  ["姓名", (row) => row.name],
  // The demo's households have no ID numbers: an import hashes them, and keeps no number to write back.
  ["身份证号", () => undefined],
  ["单位", (row) => row.unitId],
  ["所在家庭", (row) => row.householdId],
  ["困难类型", (row) => row.file?.tier],
  ["致困原因", (row) => row.file?.cause],
  ["建档日期", (row) => row.file?.openedOn],
  ["有效期至", (row) => row.file?.validUntil],
];

/** RFC 4180: quoted when it holds a quote, a separator or a line break. */
const csvCell = (text = "") => (/[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/**
 * A roster as a CSV that the roster import reads back to the same rows (UTF-8 with the BOM Excel
 * needs to show Chinese): one header row, then the rows in the order given.
 */
export function rosterCsv(rows: readonly ImportRow[]): string {
  const lines = [COLUMNS.map(([header]) => header), ...rows.map((row) => COLUMNS.map(([, cell]) => cell(row)))];
  return `\uFEFF${lines.map((cells) => `${cells.map((cell) => csvCell(cell)).join(",")}\r\n`).join("")}`;
}
