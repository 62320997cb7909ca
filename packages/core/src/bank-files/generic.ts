import type { BankLayout, BankResultIssue, BankResultRow, ResultSheet, SheetCell } from "./layout.ts";

/**
 * The generic layout: a header row, then one line per payout.
 *
 * | 序号 (line) | 户名 (account name) | 账号 (account number) | 开户行 (bank) | 金额 (amount) | 附言 (note) |
 *
 * A result file is the same file with two columns more: 状态 (status: 成功/success/paid or
 * 失败/failed/fail) and 原因 (reason, for a failed line). Headers may be in Chinese or English
 * (line, account name, account number, bank, amount, note, status, reason); the result is read by
 * header, so a bank may add or reorder columns. A result line is matched by 序号 and must agree
 * with its payout's amount and note; anything else is listed, never guessed.
 */
const COLUMNS = [
  { key: "line", zh: "序号", en: "line" },
  { key: "accountName", zh: "户名", en: "account name" },
  { key: "accountNumber", zh: "账号", en: "account number" },
  { key: "bank", zh: "开户行", en: "bank" },
  { key: "amount", zh: "金额", en: "amount" },
  { key: "note", zh: "附言", en: "note" },
  { key: "status", zh: "状态", en: "status" },
  { key: "reason", zh: "原因", en: "reason" },
] as const;

type Key = (typeof COLUMNS)[number]["key"];

const PAID = new Set(["成功", "已付", "success", "paid", "ok", "s"]);
const FAILED = new Set(["失败", "退回", "failed", "fail", "returned", "f"]);

const squash = (text: string) => text.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
const HEADERS = new Map<string, Key>(
  COLUMNS.flatMap((column) => [column.zh, column.en, column.key].map((name) => [squash(name), column.key] as const)),
);

const text = (cell: SheetCell): string => (cell === undefined ? "" : cell instanceof Date ? "" : String(cell).trim());

function readResults(raw: ResultSheet): { rows: BankResultRow[]; invalid: BankResultIssue[] } {
  const at = new Map<Key, number>();
  raw.header.forEach((name, index) => {
    const key = HEADERS.get(squash(name));
    if (key && !at.has(key)) at.set(key, index);
  });
  const invalid: BankResultIssue[] = [];
  for (const key of ["line", "amount", "status"] as const) {
    if (!at.has(key)) invalid.push({ row: 1, column: key, message: `the header row has no ${key} column` });
  }
  if (invalid.length > 0) return { rows: [], invalid };
  const rows: BankResultRow[] = [];
  for (const { row, cells } of raw.rows) {
    const cell = (key: Key) => text(cells[at.get(key) ?? -1]);
    const line = Number(cell("line"));
    const status = squash(cell("status"));
    const amount = cell("amount");
    const issues: BankResultIssue[] = [];
    if (!Number.isInteger(line) || line < 0 || cell("line") === "")
      issues.push({ row, column: "line", message: "not a line number" });
    if (!/^\d+(\.\d{1,2})?$/.test(amount)) issues.push({ row, column: "amount", message: "not an amount" });
    const paid = PAID.has(status);
    if (!paid && !FAILED.has(status))
      issues.push({ row, column: "status", message: "not a status (成功/paid or 失败/failed)" });
    if (issues.length > 0) {
      invalid.push(...issues);
      continue;
    }
    const reason = cell("reason").slice(0, 500);
    rows.push({
      row,
      line,
      amount: Number(amount).toFixed(2),
      note: cell("note"),
      status: paid ? "paid" : "failed",
      reason: reason || (paid ? "" : "returned by the bank"),
    });
  }
  return { rows, invalid };
}

export const genericLayout: BankLayout = {
  id: "generic",
  header: COLUMNS.slice(0, 6).map((column) => column.zh),
  row: (line) => [String(line.line), line.accountName, line.accountNumber, line.bank, line.amount, line.note],
  amountColumn: 4,
  readResults,
};
