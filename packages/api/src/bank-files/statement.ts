import { type Currency, formatAmount, parseAmount } from "@relief-ledger/core";
import { headerReader, squash } from "../imports/columns.ts";
import type { Cell, RawRoster } from "../imports/parse.ts";

/**
 * A bank statement (银行对账单) as banks export it, CSV or XLSX: a header row, then a line per
 * movement. Columns are found by header, in Chinese or English, so a bank may add (余额, 流水号…)
 * or reorder columns:
 *
 * | 交易日期 date | 金额 amount | 方向 direction | 对方户名 counterparty | 对方账号 counterpartyAccount | 摘要/附言 reference |
 *
 * or, as most Chinese banks export it, the amount in two columns, 借方发生额 (debit: money out of
 * the account) and 贷方发生额 (credit: money in), one of them filled on each line. With a single
 * amount column and no direction, a negative amount is money out. The counterparty's account is
 * cut to its last four characters by the route, as the JSON form's is.
 */
const COLUMNS = [
  { key: "date", zh: "交易日期", en: "date", aliases: ["日期", "记账日期", "交易时间"] },
  { key: "amount", zh: "金额", en: "amount", aliases: ["交易金额", "发生额"] },
  { key: "debit", zh: "借方发生额", en: "debit", aliases: ["借方金额", "支出金额", "支出"] },
  { key: "credit", zh: "贷方发生额", en: "credit", aliases: ["贷方金额", "收入金额", "收入"] },
  { key: "direction", zh: "方向", en: "direction", aliases: ["借贷方向", "借贷标志", "收支方向"] },
  { key: "counterparty", zh: "对方户名", en: "counterparty", aliases: ["对方名称", "对方账户名称"] },
  { key: "counterpartyAccount", zh: "对方账号", en: "counterpartyAccount", aliases: ["对方账户", "对方卡号"] },
  { key: "reference", zh: "摘要", en: "reference", aliases: ["附言", "用途", "备注"] },
] as const;

export type StatementColumn = (typeof COLUMNS)[number]["key"];
export const STATEMENT_COLUMNS = COLUMNS.map((column) => column.key) as [StatementColumn, ...StatementColumn[]];

export type StatementRowIssue = { readonly row: number; readonly column: StatementColumn; readonly message: string };

export type StatementFileLine = {
  readonly row: number;
  readonly date: string;
  readonly amount: string;
  readonly direction: "in" | "out";
  readonly counterparty?: string;
  readonly counterpartyAccount?: string;
  readonly reference?: string;
};

const columnOf = headerReader(COLUMNS);

const IN = new Set(["in", "credit", "c", "cr", "收", "收入", "贷", "贷方", "进", "存入", "+"]);
const OUT = new Set(["out", "debit", "d", "dr", "付", "支出", "借", "借方", "出", "支取", "-"]);

const text = (cell: Cell): string => (cell === undefined || cell instanceof Date ? "" : String(cell).trim());

/** A date cell, or a date as banks write it: 2010-03-06, 2010/3/6, 20100306, 2010年3月6日, a time after it or not. */
function dateOf(cell: Cell): string | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().slice(0, 10);
  const match = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$/.exec(text(cell));
  if (!match) return undefined;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const date = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : undefined;
}

/**
 * An amount as a bank writes it (thousands separators allowed, a sign when the file has no
 * direction), as a signed decimal string; an XLSX number cell is read by its shortest decimal
 * form, never by arithmetic. Undefined when blank; "invalid" when it is not an amount.
 */
function signedText(cell: Cell): string | undefined | "invalid" {
  const raw = typeof cell === "number" ? String(cell) : text(cell).replace(/[,，\s]/g, "");
  if (raw === "") return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(raw) ? raw : "invalid";
}

/**
 * Reads a statement file into lines, or lists every bad row with its column and why, for a
 * statement of `period`: each line dated in the month, each amount one the book's currency can
 * hold, a direction on each.
 */
export function readStatement(
  raw: RawRoster,
  period: string,
  currency: Currency,
): { lines: StatementFileLine[]; invalid: StatementRowIssue[] } {
  const at = new Map<StatementColumn, number[]>();
  raw.header.forEach((name, index) => {
    const key = columnOf(name);
    if (key) at.set(key, [...(at.get(key) ?? []), index]);
  });
  const invalid: StatementRowIssue[] = [];
  const split = at.has("debit") || at.has("credit");
  if (!at.has("date")) invalid.push({ row: 1, column: "date", message: "the header row has no 交易日期/date column" });
  if (!split && !at.has("amount")) {
    invalid.push({
      row: 1,
      column: "amount",
      message: "the header row has no 金额/amount column, nor 借方发生额/debit and 贷方发生额/credit",
    });
  }
  if (invalid.length > 0) return { lines: [], invalid };
  const lines: StatementFileLine[] = [];
  for (const { row, cells } of raw.rows) {
    const first = (key: StatementColumn): Cell => {
      for (const index of at.get(key) ?? [])
        if (text(cells[index]) !== "" || cells[index] instanceof Date) return cells[index];
      return undefined;
    };
    const issues: StatementRowIssue[] = [];
    const date = dateOf(first("date"));
    if (!date) issues.push({ row, column: "date", message: "not a date like 2010-03-06" });
    else if (!date.startsWith(`${period}-`))
      issues.push({ row, column: "date", message: `${date} is not in the statement's month ${period}` });
    let amount: string | undefined;
    let direction: "in" | "out" | undefined;
    if (split) {
      const debit = signedText(first("debit"));
      const credit = signedText(first("credit"));
      const filled = [debit, credit].filter((value) => value !== undefined && !/^[+-]?0+(\.0+)?$/.test(value));
      if (debit === "invalid") issues.push({ row, column: "debit", message: "not an amount" });
      else if (credit === "invalid") issues.push({ row, column: "credit", message: "not an amount" });
      else if (filled.length !== 1) {
        issues.push({ row, column: "debit", message: "fill one of 借方发生额/debit and 贷方发生额/credit" });
      } else {
        amount = filled[0];
        direction = filled[0] === credit ? "in" : "out";
      }
    } else {
      const signed = signedText(first("amount"));
      const stated = squash(text(first("direction")));
      if (signed === undefined || signed === "invalid")
        issues.push({ row, column: "amount", message: "not an amount" });
      else if (stated !== "") {
        direction = IN.has(stated) ? "in" : OUT.has(stated) ? "out" : undefined;
        if (!direction) issues.push({ row, column: "direction", message: "not 收/in or 付/out" });
        amount = signed;
      } else if (at.has("direction")) {
        issues.push({ row, column: "direction", message: "not 收/in or 付/out" });
      } else {
        direction = signed.startsWith("-") ? "out" : "in";
        amount = signed;
      }
    }
    if (amount !== undefined && issues.length === 0) {
      if (at.has("direction") && /^[+-]/.test(amount)) {
        issues.push({ row, column: split ? "debit" : "amount", message: "a signed amount beside a direction" });
      } else {
        const parsed = parseAmount(amount.replace(/^[+-]/, ""), currency);
        if (parsed.ok) amount = formatAmount(parsed.value, currency);
        else
          issues.push({
            row,
            column: split ? (direction === "in" ? "credit" : "debit") : "amount",
            message: parsed.error.message,
          });
      }
    }
    const optional = (key: "counterparty" | "counterpartyAccount" | "reference") => {
      const value = text(first(key));
      return value === "" ? {} : { [key]: value };
    };
    const extra = { ...optional("counterparty"), ...optional("counterpartyAccount"), ...optional("reference") };
    for (const key of ["counterparty", "reference"] as const) {
      if ((extra[key]?.length ?? 0) > 100) issues.push({ row, column: key, message: "longer than 100 characters" });
    }
    if (extra.counterpartyAccount !== undefined && !/^[0-9A-Za-z -]{1,40}$/.test(extra.counterpartyAccount)) {
      issues.push({ row, column: "counterpartyAccount", message: "not an account number" });
    }
    if (issues.length > 0 || !date || !amount || !direction) {
      invalid.push(...issues);
      continue;
    }
    lines.push({ row, date, amount, direction, ...extra });
  }
  return { lines, invalid };
}
