import { type ImportRow, isCalendarDate, orderForImport, Slug } from "@relief-ledger/core";
import { isAccountNumber, normaliseAccountNumber } from "../bank-account.ts";
import { hashIdNumber, isResidentIdNumber, normaliseIdNumber } from "../id-number.ts";
import {
  ACCOUNT_COLUMNS,
  codeOf,
  columnOf,
  FILE_COLUMNS,
  KINDS,
  ROSTER_COLUMNS,
  type RosterColumn,
  TIERS,
} from "./columns.ts";
import type { RowProblem } from "./messages.ts";
import type { Cell, RawRoster } from "./parse.ts";

export type ValidatedRoster = {
  /** The valid rows, households before their members, ID numbers replaced by their keyed hashes. */
  readonly rows: readonly ImportRow[];
  readonly invalid: readonly RowProblem[];
  /** How many data rows the roster has, valid or not. */
  readonly total: number;
  /** Each column's header as the roster spells it, for the messages. */
  readonly headers: ReadonlyMap<RosterColumn, string>;
  /** The valid rows' bank accounts, by beneficiary id: kept apart from the rows, which the journal sees. */
  readonly accounts: ReadonlyMap<string, BankAccountFields>;
};

export type BankAccountFields = { readonly bank: string; readonly accountName: string; readonly accountNumber: string };

/** The id a row without one is registered under: from the ID number's keyed hash, so a re-import finds it again. */
export const derivedId = (idNumberHash: string) => `b-${idNumberHash.slice(0, 16)}`;

const LIMITS = { name: 200, cause: 500 } as const;

/** Excel counts days from 1899-12-30 (its 1900 leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

const text = (cell: Cell): string =>
  cell === undefined ? "" : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();

/** A date cell: a date (XLSX), an Excel serial number, or YYYY-MM-DD (also YYYY/M/D). */
function dateOf(cell: Cell): string | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().slice(0, 10);
  if (typeof cell === "number") {
    if (!Number.isInteger(cell) || cell < 1 || cell > 200_000) return undefined;
    return new Date(EXCEL_EPOCH_MS + cell * 86_400_000).toISOString().slice(0, 10);
  }
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text(cell));
  if (!match) return undefined;
  const date = `${match[1]}-${(match[2] as string).padStart(2, "0")}-${(match[3] as string).padStart(2, "0")}`;
  return isCalendarDate(date) ? date : undefined;
}

type Draft = Omit<ImportRow, "beneficiaryId" | "idNumberHash"> & {
  id?: string;
  idNumberHash?: string;
  account?: BankAccountFields;
};

/**
 * Every row checked before anything is written: each bad cell is a problem naming its row and
 * column; a valid row becomes an import row, its ID number hashed (hashIdNumber) and forgotten.
 * Then across rows: ids and ID numbers are unique in the file, and households do not go round in
 * a circle.
 */
export function validateRoster(roster: RawRoster, hash: (idNumber: string) => string): ValidatedRoster {
  const index = new Map<RosterColumn, number>();
  const headers = new Map<RosterColumn, string>(ROSTER_COLUMNS.map((column) => [column.key, column.en]));
  roster.header.forEach((header, at) => {
    const column = columnOf(header);
    if (column && !index.has(column)) {
      index.set(column, at);
      headers.set(column, header.trim());
    }
  });
  const invalid: RowProblem[] = [];
  for (const column of ROSTER_COLUMNS) {
    if ("required" in column && column.required && !index.has(column.key)) {
      invalid.push({ row: 1, column: column.key, code: "missing-column" });
    }
  }
  if (invalid.length > 0) return { rows: [], invalid, total: roster.rows.length, headers, accounts: new Map() };

  const drafts: Draft[] = [];
  for (const { row, cells } of roster.rows) {
    const cell = (column: RosterColumn) => {
      const at = index.get(column);
      return at === undefined ? undefined : cells[at];
    };
    const problems: RowProblem[] = [];
    const bad = (column: RosterColumn, code: RowProblem["code"], facts?: RowProblem["facts"]) =>
      problems.push({ row, column, code, ...(facts ? { facts } : {}) });
    const slug = (column: RosterColumn): string | undefined => {
      const value = text(cell(column));
      if (value === "") return undefined;
      if (!Slug.safeParse(value).success) bad(column, "invalid-id");
      return value;
    };
    const id = slug("id");
    const unitId = slug("unit");
    const householdId = slug("household");
    const kindText = text(cell("kind"));
    const kind = kindText === "" ? undefined : codeOf(KINDS, kindText);
    if (kindText === "") bad("kind", "required");
    else if (!kind) bad("kind", "invalid-kind");
    const name = text(cell("name"));
    if (name === "") bad("name", "required");
    else if (name.length > LIMITS.name) bad("name", "too-long", { limit: LIMITS.name });
    const idCell = cell("idNumber");
    const idNumber = typeof idCell === "string" ? normaliseIdNumber(idCell) : text(idCell);
    if (idNumber !== "" && (typeof idCell !== "string" || !isResidentIdNumber(idNumber))) {
      bad("idNumber", "invalid-id-number");
    }
    if (id === undefined && idNumber === "") bad("id", "id-or-id-number");
    if (id !== undefined && householdId === id) bad("household", "household-self");

    const present = FILE_COLUMNS.filter((column) => text(cell(column)) !== "");
    let file: ImportRow["file"];
    if (present.length > 0 && present.length < FILE_COLUMNS.length) {
      const missing = FILE_COLUMNS.find((column) => !present.includes(column)) as RosterColumn;
      bad(missing, "file-incomplete");
    } else if (present.length === FILE_COLUMNS.length) {
      const tier = codeOf(TIERS, text(cell("tier")));
      if (!tier) bad("tier", "invalid-tier");
      const cause = text(cell("cause"));
      if (cause.length > LIMITS.cause) bad("cause", "too-long", { limit: LIMITS.cause });
      const openedOn = dateOf(cell("openedOn"));
      const validUntil = dateOf(cell("validUntil"));
      if (!openedOn) bad("openedOn", "invalid-date");
      if (!validUntil) bad("validUntil", "invalid-date");
      if (openedOn && validUntil && validUntil < openedOn) bad("validUntil", "date-order");
      if (tier && openedOn && validUntil) file = { tier, cause, openedOn, validUntil };
    }
    const given = ACCOUNT_COLUMNS.filter((column) => text(cell(column)) !== "");
    let account: BankAccountFields | undefined;
    if (given.length > 0 && given.length < ACCOUNT_COLUMNS.length) {
      bad(ACCOUNT_COLUMNS.find((column) => !given.includes(column)) as RosterColumn, "account-incomplete");
    } else if (given.length === ACCOUNT_COLUMNS.length) {
      const numberCell = cell("accountNumber");
      const accountNumber = normaliseAccountNumber(text(numberCell));
      // A number cell has lost a long number's last digits already: only text is taken.
      if (typeof numberCell !== "string" || !isAccountNumber(accountNumber)) {
        bad("accountNumber", "invalid-account-number");
      }
      const [bank, accountName] = [text(cell("bank")), text(cell("accountName"))];
      if (bank.length > LIMITS.name) bad("bank", "too-long", { limit: LIMITS.name });
      if (accountName.length > LIMITS.name) bad("accountName", "too-long", { limit: LIMITS.name });
      account = { bank, accountName, accountNumber };
    }
    if (problems.length > 0 || !kind) {
      invalid.push(...problems);
      continue;
    }
    const idNumberHash = idNumber === "" ? undefined : hash(idNumber);
    drafts.push({
      row,
      kind,
      name,
      ...(id !== undefined ? { id } : {}),
      ...(idNumberHash !== undefined ? { idNumberHash } : {}),
      ...(unitId !== undefined ? { unitId } : {}),
      ...(householdId !== undefined ? { householdId } : {}),
      ...(file ? { file } : {}),
      ...(account ? { account } : {}),
    });
  }

  // Across rows: the first of two rows with one id or one ID number stands, the later is named.
  const firstById = new Map<string, number>();
  const firstByHash = new Map<string, number>();
  const unique: ImportRow[] = [];
  const accounts = new Map<string, BankAccountFields>();
  for (const { id, idNumberHash, account, ...rest } of drafts) {
    const beneficiaryId = id ?? derivedId(idNumberHash as string);
    const sameId = firstById.get(beneficiaryId);
    const sameHash = idNumberHash === undefined ? undefined : firstByHash.get(idNumberHash);
    if (sameId !== undefined)
      invalid.push({ row: rest.row, column: "id", code: "duplicate-id", facts: { row: sameId } });
    if (sameHash !== undefined) {
      invalid.push({ row: rest.row, column: "idNumber", code: "duplicate-id-number", facts: { row: sameHash } });
    }
    if (sameId !== undefined || sameHash !== undefined) continue;
    firstById.set(beneficiaryId, rest.row);
    if (idNumberHash !== undefined) firstByHash.set(idNumberHash, rest.row);
    unique.push({ ...rest, beneficiaryId, ...(idNumberHash !== undefined ? { idNumberHash } : {}) });
    if (account) accounts.set(beneficiaryId, account);
  }
  const { ordered, cyclic } = orderForImport(unique);
  for (const row of cyclic) invalid.push({ row: row.row, column: "household", code: "household-cycle" });
  invalid.sort((a, b) => a.row - b.row);
  const kept = new Set(ordered.map((row) => row.beneficiaryId));
  for (const id of accounts.keys()) if (!kept.has(id)) accounts.delete(id);
  return { rows: ordered, invalid, total: roster.rows.length, headers, accounts };
}

/** The hash function of a book: the deployment's key, per book (id-number.ts). */
export const bookHasher = (idHashKey: string, book: string) => (idNumber: string) =>
  hashIdNumber(idHashKey, book, idNumber);
