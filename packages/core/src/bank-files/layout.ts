/** A cell of a result file as read: text (CSV, or an XLSX text cell), a number, or a date (an XLSX date cell). */
export type SheetCell = string | number | Date | undefined;

/** A result file as read: its header row and its rows, each with its number in the file (the header is row 1). */
export type ResultSheet = {
  readonly header: readonly string[];
  readonly rows: readonly { readonly row: number; readonly cells: readonly SheetCell[] }[];
};

/** One line of a disbursement file (代发文件): a payout of the batch paid by bank, with its payee's account. */
export type BankFileLine = {
  /** The payout's line in its batch: the key a result file answers by. */
  readonly line: number;
  readonly accountName: string;
  readonly accountNumber: string;
  readonly bank: string;
  /** A decimal string in the book's currency, "1200.00". */
  readonly amount: string;
  /** The remittance note (附言): the payout's reference, or `<batch>/<line>` when it has none. */
  readonly note: string;
};

/** What a bank said of one line, as read from its result file (回盘文件). */
export type BankResultRow = {
  /** The row in the file (the header is row 1). */
  readonly row: number;
  readonly line: number;
  readonly amount: string;
  readonly note: string;
  readonly status: "paid" | "failed";
  readonly reason: string;
};

/** A row of a result file that could not be read, and why. */
export type BankResultIssue = { readonly row: number; readonly column: string; readonly message: string };

/**
 * A bank's file layout: how a disbursement file is written and how its result file is read. The
 * generic layout (generic.ts) is what the ledger documents; a bank that wants its own columns,
 * headers or status words gets a module like it, listed in index.ts. Account numbers are text
 * cells everywhere: a spreadsheet would round a 19-digit number.
 */
export type BankLayout = {
  readonly id: string;
  /** The header row and the rows of a disbursement file, every cell text but the amount. */
  readonly header: readonly string[];
  readonly row: (line: BankFileLine) => readonly string[];
  /** The column (0-based) that holds amounts, written as a number in XLSX. */
  readonly amountColumn: number;
  readonly readResults: (raw: ResultSheet) => { rows: BankResultRow[]; invalid: BankResultIssue[] };
};
