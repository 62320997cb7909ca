import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * The bank statement in and the month-end reconciliation (银行存款余额调节表) over HTTP on DynamoDB
 * Local. The book of March 2010 holds collections and payouts; the bank's statement holds lines
 * that match by reference, lines that match by amount within three days, near misses (four days
 * out, a fen off) and strangers on both sides (a bank fee, interest; a payout not yet cleared).
 * The test works the reconciliation out from its own data and holds the API's to it.
 */

const BOOK = "recon-book";
const base = `/v1/books/${BOOK}`;
const ACCOUNT = "6222021234567890123"; // a counterparty's account number: only "0123" may be kept
const noon = (day: string) => new Date(`${day}T04:00:00Z`);

let api: Api;
let finance: string;
let auditor: string;
const logged: string[] = [];

/** What the book records, by name; each entry's seq is filled in as it is recorded. */
type Entry = { seq: number; date: string; fen: bigint; direction: "in" | "out" };
const book: Record<string, Entry> = {};

/** The statement's lines, in order (line n is lines[n - 1]). */
type Line = {
  date: string;
  amount: string;
  direction: "in" | "out";
  counterparty?: string;
  counterpartyAccount?: string;
  reference?: string;
};
const lines: Line[] = [
  { date: "2010-03-06", amount: "450.00", direction: "out", counterparty: "王桂兰", reference: "PAY-77" }, // 1: reference
  { date: "2010-03-08", amount: "5000.00", direction: "in", counterparty: "市总工会", reference: "DUES-0303" }, // 2: reference, 5 days
  { date: "2010-03-12", amount: "800.00", direction: "out", counterparty: "李明", counterpartyAccount: ACCOUNT }, // 3: 2 days
  { date: "2010-03-19", amount: "600.00", direction: "out", counterparty: "张华" }, // 4: 4 days: near miss
  { date: "2010-03-21", amount: "1200.01", direction: "in", counterparty: "纺织厂" }, // 5: a fen off: near miss
  { date: "2010-03-21", amount: "3.21", direction: "in", counterparty: "银行存款利息", counterpartyAccount: ACCOUNT }, // 6: interest
  { date: "2010-03-31", amount: "12.50", direction: "out", counterparty: "手续费" }, // 7: bank fee
];

const fen = (amount: string) => BigInt(amount.replace(".", ""));
const yuan = (minor: bigint) => {
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};
const signed = (direction: "in" | "out", minor: bigint) => (direction === "in" ? minor : -minor);

const OPENING = "10000.00";
const statement = () => {
  const closing = lines.reduce((sum, line) => sum + signed(line.direction, fen(line.amount)), fen(OPENING));
  return {
    fundId: "relief",
    period: "2010-03",
    openingBalance: OPENING,
    closingBalance: yuan(closing),
    accountLast4: "8866",
    lines,
  };
};

beforeAll(async () => {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
  }
  api = await startApi({ clock: () => noon("2010-04-15") });
  const admin = await api.token("admin");
  [finance, auditor] = await Promise.all([api.token("finance"), api.token("auditor")]);
  const ok = poster(api, { admin, finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false });
  for (const id of ["hh-a", "hh-b", "hh-c", "hh-d"]) {
    await ok(`${base}/beneficiaries`, { id, kind: "household", name: id });
  }
  const collect = async (name: string, amount: string, date: string, reference?: string) => {
    const entry = await ok(`${base}/collections`, {
      fundId: "relief",
      source: "dues",
      amount,
      receivedOn: date,
      ...(reference ? { reference } : {}),
    });
    book[name] = { seq: entry.seq, date, fen: fen(amount), direction: "in" };
  };
  const pay = async (name: string, beneficiaryId: string, amount: string, date: string, reference?: string) => {
    const entry = await ok(`${base}/payouts`, {
      programId: "winter",
      beneficiaryId,
      amount,
      paidOn: date,
      ...(reference ? { reference } : {}),
    });
    book[name] = { seq: entry.seq, date, fen: fen(amount), direction: "out" };
  };
  await collect("february", OPENING, "2010-02-01");
  await collect("dues", "5000.00", "2010-03-03", "DUES-0303");
  await pay("byReference", "hh-d", "450.00", "2010-03-05", "PAY-77");
  await pay("twoDays", "hh-a", "800.00", "2010-03-10");
  await pay("fourDays", "hh-b", "600.00", "2010-03-15");
  await collect("fenOff", "1200.00", "2010-03-20");
  await pay("uncleared", "hh-c", "300.00", "2010-03-29");
});

afterAll(() => {
  vi.restoreAllMocks();
});

/** The reconciliation worked out from the test's own book and statement, not from the API. */
function expected(matched: ReadonlyMap<number, string>) {
  const matchedEntries = new Set(matched.values());
  const bankItems = lines
    .map((line, index) => ({ ...line, line: index + 1 }))
    .filter((line) => !matched.has(line.line));
  const bookItems = Object.entries(book)
    .filter(([name, entry]) => entry.date.startsWith("2010-03") && !matchedEntries.has(name))
    .map(([, entry]) => entry);
  const total = (items: { direction: "in" | "out"; fen: bigint }[], direction: "in" | "out") =>
    items.filter((item) => item.direction === direction).reduce((sum, item) => sum + item.fen, 0n);
  const bankFen = bankItems.map((line) => ({ direction: line.direction, fen: fen(line.amount) }));
  const bankClosing = fen(statement().closingBalance);
  const bookClosing = Object.values(book).reduce((sum, entry) => sum + signed(entry.direction, entry.fen), 0n);
  const adjustedBank = bankClosing + total(bookItems, "in") - total(bookItems, "out");
  const adjustedBook = bookClosing + total(bankFen, "in") - total(bankFen, "out");
  return {
    bank: { opening: OPENING, closing: yuan(bankClosing) },
    book: { opening: OPENING, closing: yuan(bookClosing) },
    bankNotInBook: {
      totalReceipts: yuan(total(bankFen, "in")),
      totalPayments: yuan(total(bankFen, "out")),
      lines: bankItems.map((line) => line.line).sort(),
    },
    bookNotInBank: {
      totalReceipts: yuan(total(bookItems, "in")),
      totalPayments: yuan(total(bookItems, "out")),
      seqs: bookItems.map((entry) => entry.seq).sort((a, b) => a - b),
    },
    adjusted: { bank: yuan(adjustedBank), book: yuan(adjustedBook) },
    balanced: adjustedBank === adjustedBook,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON
function expectReconciliation(actual: any, matched: ReadonlyMap<number, string>) {
  const want = expected(matched);
  const bankLines = [...actual.bankNotInBook.receipts, ...actual.bankNotInBook.payments].map(
    (item: { line: number }) => item.line,
  );
  const bookSeqs = [...actual.bookNotInBank.receipts, ...actual.bookNotInBank.payments].map(
    (item: { entrySeq: number }) => item.entrySeq,
  );
  expect(actual).toMatchObject({
    bank: want.bank,
    book: want.book,
    bankNotInBook: { totalReceipts: want.bankNotInBook.totalReceipts, totalPayments: want.bankNotInBook.totalPayments },
    bookNotInBank: { totalReceipts: want.bookNotInBank.totalReceipts, totalPayments: want.bookNotInBank.totalPayments },
    adjusted: want.adjusted,
    balanced: want.balanced,
  });
  expect(bankLines.sort()).toEqual(want.bankNotInBook.lines);
  expect(bookSeqs.sort((a: number, b: number) => a - b)).toEqual(want.bookNotInBank.seqs);
  expect(actual.matches.map((match: { line: number; entrySeq: number }) => [match.line, match.entrySeq])).toEqual(
    [...matched].map(([line, name]) => [line, book[name]?.seq]),
  );
}

const reconciliation = (query = "", token = auditor) =>
  api.send("GET", `${base}/reconciliations/2010-03?fundId=relief${query}`, { token });

describe("the bank statement in", () => {
  it("matches by reference, then by amount within three days, and lists what is left on both sides", async () => {
    const before = (await journalEvents(api, BOOK)).length;
    const posted = await api.send("POST", `${base}/bank-statements`, { token: finance, body: statement() });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.json.entries.map((entry: { type: string }) => entry.type)).toEqual([
      "BankStatementRecorded",
      "BankLinesMatched",
    ]);
    const matched = new Map([
      [1, "byReference"],
      [2, "dues"],
      [3, "twoDays"],
    ]);
    expectReconciliation(posted.json.reconciliation, matched);
    expect(posted.json.reconciliation.matches.map((match: { rule: string }) => match.rule)).toEqual([
      "reference",
      "reference",
      "amount-date",
    ]);
    // The figures, worked out by hand once: bank 14340.72 + 1200.00 − 900.00 = book 14050.00 + 1203.22 − 612.50.
    expect(posted.json.reconciliation).toMatchObject({
      bank: { closing: "14340.72" },
      book: { closing: "14050.00" },
      adjusted: { bank: "14640.72", book: "14640.72" },
      difference: "0.00",
      balanced: true,
    });

    const events = (await journalEvents(api, BOOK)).slice(before);
    expect(events.map((event) => event.type)).toEqual(["BankStatementRecorded", "BankLinesMatched"]);
    expect(events[0]?.payload).toMatchObject({
      fundId: "relief",
      period: "2010-03",
      openingBalance: "10000.00",
      closingBalance: "14340.72",
      lineCount: 7,
      totalIn: "6203.22",
      totalOut: "1862.50",
      accountLast4: "8866",
    });
    expect(events[1]?.payload.matches).toEqual([
      { line: 1, entrySeq: book.byReference?.seq, rule: "reference" },
      { line: 2, entrySeq: book.dues?.seq, rule: "reference" },
      { line: 3, entrySeq: book.twoDays?.seq, rule: "amount-date" },
    ]);
    // Neither counterparties nor their accounts are journalled.
    const journal = JSON.stringify(await journalEvents(api, BOOK));
    expect(journal).not.toContain("234567890123");
    expect(journal).not.toContain("银行存款利息");
    expect(journal).not.toContain("市总工会");
  });

  it("records the same statement once, and refuses another for the same month", async () => {
    const before = (await journalEvents(api, BOOK)).length;
    const again = await api.send("POST", `${base}/bank-statements`, { token: finance, body: statement() });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ recorded: false, entries: [] });
    expect((await journalEvents(api, BOOK)).length).toBe(before);

    const other = { ...statement(), closingBalance: "14340.73", openingBalance: "10000.01" };
    const refused = await api.send("POST", `${base}/bank-statements`, { token: finance, body: other });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.type).toBe("/problems/bank-statement-exists");
    expect((await journalEvents(api, BOOK)).length).toBe(before);
  });

  it("refuses a statement that does not add up, a month not over, and an auditor's", async () => {
    const bad = await api.send("POST", `${base}/bank-statements`, {
      token: finance,
      body: { ...statement(), period: "2010-02", closingBalance: "1.00", lines: [] },
    });
    expect(bad.status, bad.text).toBe(422);
    expect(bad.json).toMatchObject({ type: "/problems/bank-statement-invalid", errors: [{ path: "closingBalance" }] });
    const april = await api.send("POST", `${base}/bank-statements`, {
      token: finance,
      body: { ...statement(), period: "2010-04", closingBalance: OPENING, lines: [] },
    });
    expect(april.json.type, april.text).toBe("/problems/period-not-over");
    const auditorPost = await api.send("POST", `${base}/bank-statements`, { token: auditor, body: statement() });
    expect(auditorPost.status).toBe(403);
    const none = await api.send("GET", `${base}/reconciliations/2010-02?fundId=relief`, { token: auditor });
    expect(none.status).toBe(404);
    expect(none.json.type).toBe("/problems/bank-statement-not-found");
  });
});

describe("the reconciliation (余额调节表)", () => {
  it("is served as CSV and XLSX, with no account number in either", async () => {
    const summary = await reconciliation("&format=csv&table=reconciliation&lang=zh");
    expect(summary.status, summary.text).toBe(200);
    expect(summary.text.startsWith("\uFEFF")).toBe(true);
    const [header, row] = summary.text.slice(1).trim().split(/\r?\n/);
    expect(header).toContain("银行对账单余额");
    expect(row?.split(",")).toEqual([
      "relief",
      "2010-03",
      "10000.00",
      "14340.72",
      "1200.00",
      "900.00",
      "14640.72",
      "10000.00",
      "14050.00",
      "1203.22",
      "612.50",
      "14640.72",
      "0.00",
      "true",
    ]);
    const items = await reconciliation("&format=csv&table=reconciling-items");
    const rows = items.text.slice(1).trim().split(/\r?\n/);
    expect(rows).toHaveLength(1 + 4 + 3);
    expect(items.text).toContain("手续费");
    expect(items.text).not.toContain("0123");

    const response = await api.app.request(`${base}/reconciliations/2010-03?fundId=relief&format=xlsx&lang=zh`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(response.status).toBe(200);
    const bytes = await response.arrayBuffer();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["余额调节表", "未达账项", "已匹配"]);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (name: string) => sheet.getRow(2).getCell(headers.indexOf(name) + 1).value;
    expect(cell("调节后银行余额")).toBe(14640.72);
    expect(cell("调节后账面余额")).toBe(14640.72);
    expect(workbook.worksheets[1]?.rowCount).toBe(1 + 7);
    expect(workbook.worksheets[2]?.rowCount).toBe(1 + 3);
    const text = JSON.stringify(workbook.worksheets.map((each) => each.getSheetValues()));
    expect(text).not.toContain("0123");
    expect(Buffer.from(bytes).includes(Buffer.from("234567890123"))).toBe(false);
  });

  it("takes a match confirmed or undone by finance, each as an entry, and stays explained", async () => {
    const line = (n: number, verb: string) => `${base}/bank-statements/relief/2010-03/matches/${n}/${verb}`;
    const confirmed = await api.send("POST", line(3, "confirm"), { token: finance, body: { note: "回单已核" } });
    expect(confirmed.status, confirmed.text).toBe(201);
    expect(confirmed.json).toMatchObject({
      type: "BankMatchConfirmed",
      payload: { line: 3, entrySeq: book.twoDays?.seq },
    });
    const twice = await api.send("POST", line(3, "confirm"), { token: finance, body: {} });
    expect(twice.json.type, twice.text).toBe("/problems/bank-match-confirmed");
    const byAuditor = await api.send("POST", line(1, "undo"), { token: auditor, body: { reason: "x" } });
    expect(byAuditor.status).toBe(403);

    const undone = await api.send("POST", line(1, "undo"), { token: finance, body: { reason: "凭证号录错" } });
    expect(undone.status, undone.text).toBe(201);
    expect(undone.json).toMatchObject({
      type: "BankMatchUndone",
      payload: { line: 1, entrySeq: book.byReference?.seq, reason: "凭证号录错" },
    });
    const notMatched = await api.send("POST", line(1, "undo"), { token: finance, body: { reason: "again" } });
    expect(notMatched.status).toBe(404);
    expect(notMatched.json.type).toBe("/problems/bank-match-not-found");

    const after = await reconciliation();
    expect(after.status, after.text).toBe(200);
    const matched = new Map([
      [2, "dues"],
      [3, "twoDays"],
    ]);
    expectReconciliation(after.json, matched);
    expect(after.json.matches.map((match: { status: string }) => match.status)).toEqual(["matched", "confirmed"]);
    expect(after.json.undone).toMatchObject([{ line: 1, entrySeq: book.byReference?.seq, reason: "凭证号录错" }]);
  });

  it("writes no account number to any log", () => {
    expect(logged.join("\n")).not.toContain("234567890123");
  });
});
