import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * Outstanding items (未达账项) carried from month to month, over HTTP on DynamoDB Local. The book
 * and the bank's statements of January to March 2010 are recorded as the finance office would,
 * each statement a few days after its month: a January payout the bank clears only in March stays
 * in the book-side items of January and February; January's interest, which the office books only
 * in March, stays on the bank side until March's matching pairs it; a February fee the office never
 * books stays on. Every figure is worked out by the test from its own data, not from the API.
 */

const BOOK = "recon-months";
const base = `/v1/books/${BOOK}`;
let today = "2010-01-31";
let api: Api;
let finance: string;
let auditor: string;

type Direction = "in" | "out";
/** What the book records, by name; each entry's seq is filled in as it is recorded. */
type Entry = { name: string; date: string; amount: string; direction: Direction; seq: number };
const entries: Entry[] = [];
/** A statement line; `clears` names the entry the bank moved for, when the book has one. */
type Line = { date: string; amount: string; direction: Direction; reference?: string; clears?: string };
const STATEMENTS: Record<string, { opening: string; lines: Line[] }> = {
  "2010-01": {
    opening: "0.00",
    lines: [
      { date: "2010-01-05", amount: "10000.00", direction: "in", reference: "DUES-01", clears: "dues" },
      { date: "2010-01-31", amount: "3.21", direction: "in", clears: "interest" }, // booked in March
    ],
  },
  "2010-02": {
    opening: "10003.21",
    lines: [
      { date: "2010-02-11", amount: "2000.00", direction: "in", clears: "subsidy" },
      { date: "2010-02-28", amount: "12.50", direction: "out" }, // a fee the office never books
    ],
  },
  "2010-03": {
    opening: "11990.71",
    lines: [
      { date: "2010-03-04", amount: "450.00", direction: "out", reference: "PAY-9", clears: "condolence" },
      { date: "2010-03-09", amount: "800.00", direction: "out", clears: "cheque" }, // January's payout
    ],
  },
};
const MONTHS = Object.keys(STATEMENTS);

const fen = (amount: string) => BigInt(amount.replace(".", ""));
const yuan = (minor: bigint) => {
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};
const signed = (direction: Direction, minor: bigint) => (direction === "in" ? minor : -minor);
const endOf = (month: string) => `${month}-31`; // January to March: every one ends on or before the 31st
const closingOf = (month: string) => {
  const { opening, lines } = STATEMENTS[month] as { opening: string; lines: Line[] };
  return lines.reduce((sum, line) => sum + signed(line.direction, fen(line.amount)), fen(opening));
};

const statementBody = (month: string) => ({
  fundId: "relief",
  period: month,
  openingBalance: STATEMENTS[month]?.opening,
  closingBalance: yuan(closingOf(month)),
  lines: STATEMENTS[month]?.lines.map(({ clears: _, ...line }) => line),
});

/**
 * The 余额调节表 at the end of `month`, from the test's own book and statements: an entry is
 * outstanding while no line of a statement up to the month clears it; a line while the entry it
 * clears is not yet in the book by the month's end, or it clears none.
 */
function expected(month: string) {
  const end = endOf(month);
  const statements = MONTHS.filter((each) => each <= month);
  const lines = statements.flatMap((each) =>
    (STATEMENTS[each]?.lines ?? []).map((line, index) => ({ ...line, month: each, line: index + 1 })),
  );
  const clearedBy = new Map(lines.filter((line) => line.clears).map((line) => [line.clears, line]));
  const entryOf = (name: string | undefined) => entries.find((entry) => entry.name === name);
  const bookItems = entries.filter((entry) => entry.date <= end && !clearedBy.has(entry.name));
  const bankItems = lines.filter((line) => {
    const entry = entryOf(line.clears);
    return !entry || entry.date > end;
  });
  const total = (items: { direction: Direction; amount: string }[], direction: Direction) =>
    items.filter((item) => item.direction === direction).reduce((sum, item) => sum + fen(item.amount), 0n);
  const bookAt = (date: string) =>
    entries
      .filter((entry) => entry.date <= date)
      .reduce((sum, entry) => sum + signed(entry.direction, fen(entry.amount)), 0n);
  const bankClosing = closingOf(month);
  const bookClosing = bookAt(end);
  const adjustedBank = bankClosing + total(bookItems, "in") - total(bookItems, "out");
  const adjustedBook = bookClosing + total(bankItems, "in") - total(bankItems, "out");
  return {
    bank: { opening: STATEMENTS[month]?.opening, closing: yuan(bankClosing) },
    book: { opening: yuan(bookAt(`${month}-00`)), closing: yuan(bookClosing) },
    bookNotInBank: {
      totalReceipts: yuan(total(bookItems, "in")),
      totalPayments: yuan(total(bookItems, "out")),
    },
    bankNotInBook: {
      totalReceipts: yuan(total(bankItems, "in")),
      totalPayments: yuan(total(bankItems, "out")),
    },
    adjusted: { bank: yuan(adjustedBank), book: yuan(adjustedBook) },
    difference: yuan(adjustedBank - adjustedBook),
    balanced: adjustedBank === adjustedBook,
    bookItems: bookItems.map((entry) => ({ entrySeq: entry.seq, month: entry.date.slice(0, 7) })),
    bankItems: lines.filter((line) => bankItems.includes(line)).map((line) => ({ month: line.month, line: line.line })),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON
function expectReconciliation(actual: any, month: string) {
  const want = expected(month);
  const { bookItems, bankItems, ...figures } = want;
  expect(actual).toMatchObject(figures);
  const book = [...actual.bookNotInBank.receipts, ...actual.bookNotInBank.payments]
    .map((item: { entrySeq: number; month: string }) => ({ entrySeq: item.entrySeq, month: item.month }))
    .sort((a, b) => a.entrySeq - b.entrySeq);
  const bank = [...actual.bankNotInBook.receipts, ...actual.bankNotInBook.payments]
    .map((item: { month: string; line: number }) => ({ month: item.month, line: item.line }))
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.line - b.line));
  expect(book).toEqual(bookItems);
  expect(bank).toEqual(bankItems);
}

const reconciliation = async (month: string) => {
  const response = await api.send("GET", `${base}/reconciliations/${month}?fundId=relief`, { token: auditor });
  expect(response.status, response.text).toBe(200);
  return response.json;
};

beforeAll(async () => {
  api = await startApi({ clock: () => new Date(`${today}T04:00:00Z`) });
  const admin = await api.token("admin");
  [finance, auditor] = await Promise.all([api.token("finance"), api.token("auditor")]);
  const ok = poster(api, { admin, finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false });
  for (const id of ["hh-a", "hh-b", "hh-c"]) await ok(`${base}/beneficiaries`, { id, kind: "household", name: id });
});

const collect = async (name: string, amount: string, date: string, reference?: string) => {
  const ok = poster(api, { admin: "", finance });
  const entry = await ok(`${base}/collections`, {
    fundId: "relief",
    source: name === "interest" ? "other" : "dues",
    amount,
    receivedOn: date,
    ...(reference ? { reference } : {}),
  });
  entries.push({ name, date, amount, direction: "in", seq: entry.seq });
};
const pay = async (name: string, beneficiaryId: string, amount: string, date: string, reference?: string) => {
  const ok = poster(api, { admin: "", finance });
  const entry = await ok(`${base}/payouts`, {
    programId: "winter",
    beneficiaryId,
    amount,
    paidOn: date,
    ...(reference ? { reference } : {}),
  });
  entries.push({ name, date, amount, direction: "out", seq: entry.seq });
};
const record = async (month: string) => {
  const posted = await api.send("POST", `${base}/bank-statements`, { token: finance, body: statementBody(month) });
  expect(posted.status, posted.text).toBe(201);
  return posted.json;
};

describe("outstanding items carried from month to month", () => {
  it("keeps January's uncleared payout and unbooked interest in January's and February's reconciliations", async () => {
    await collect("dues", "10000.00", "2010-01-04", "DUES-01");
    await pay("cheque", "hh-a", "800.00", "2010-01-27");
    today = "2010-02-05";
    const january = await record("2010-01");
    expectReconciliation(january.reconciliation, "2010-01");
    expect(january.reconciliation).toMatchObject({ adjusted: { bank: "9203.21" }, balanced: true });

    today = "2010-02-28";
    await collect("subsidy", "2000.00", "2010-02-10");
    await pay("condolence", "hh-b", "450.00", "2010-02-26", "PAY-9");
    today = "2010-03-05";
    const february = await record("2010-02");
    expectReconciliation(february.reconciliation, "2010-02");
    // Worked by hand once: bank 11990.71 − (800.00 + 450.00) = book 10750.00 + 3.21 − 12.50 = 10740.71.
    expect(february.reconciliation).toMatchObject({
      adjusted: { bank: "10740.71", book: "10740.71" },
      balanced: true,
    });
    const cheque = entries.find((entry) => entry.name === "cheque");
    expect(february.reconciliation.bookNotInBank.payments).toContainEqual(
      expect.objectContaining({ entrySeq: cheque?.seq, month: "2010-01", date: "2010-01-27" }),
    );
    expect(february.reconciliation.bankNotInBook.receipts).toEqual([
      expect.objectContaining({ month: "2010-01", line: 2, amount: "3.21" }),
    ]);
  });

  it("clears them in March: the payout by a March line, the interest once the book records it", async () => {
    today = "2010-03-31";
    await collect("interest", "3.21", "2010-03-02");
    await pay("uncleared", "hh-c", "300.00", "2010-03-15");
    today = "2010-04-06";
    const before = (await journalEvents(api, BOOK)).length;
    const march = await record("2010-03");
    expectReconciliation(march.reconciliation, "2010-03");
    expect(march.reconciliation).toMatchObject({ adjusted: { bank: "10440.71", book: "10440.71" }, balanced: true });
    const seqOf = (name: string) => entries.find((entry) => entry.name === name)?.seq;
    const events = (await journalEvents(api, BOOK)).slice(before);
    // March's own matches, and the January line the book has since recorded, journalled as January's.
    expect(events.map((event) => [event.type, event.payload.period])).toEqual([
      ["BankStatementRecorded", "2010-03"],
      ["BankLinesMatched", "2010-03"],
      ["BankLinesMatched", "2010-01"],
    ]);
    expect(events[1]?.payload.matches).toEqual([
      { line: 1, entrySeq: seqOf("condolence"), rule: "reference" },
      { line: 2, entrySeq: seqOf("cheque"), rule: "amount-date" },
    ]);
    expect(events[2]?.payload.matches).toEqual([{ line: 2, entrySeq: seqOf("interest"), rule: "amount-date" }]);
  });

  it("gives every month's reconciliation from the same rules afterwards, each item naming its month", async () => {
    for (const month of MONTHS) expectReconciliation(await reconciliation(month), month);
    const january = await reconciliation("2010-01");
    const cheque = entries.find((entry) => entry.name === "cheque");
    expect(january.bookNotInBank.payments).toEqual([
      expect.objectContaining({ entrySeq: cheque?.seq, month: "2010-01", clearedIn: "2010-03" }),
    ]);
    // January's interest line is now matched, to an entry the book dated in March: still an item of January's and February's.
    expect((await reconciliation("2010-02")).bankNotInBook.receipts).toEqual([
      expect.objectContaining({ month: "2010-01", line: 2, entrySeq: entries.find((e) => e.name === "interest")?.seq }),
    ]);
    const csv = await api.send(
      "GET",
      `${base}/reconciliations/2010-02?fundId=relief&format=csv&table=reconciling-items`,
      {
        token: auditor,
      },
    );
    const [header, ...rows] = csv.text.slice(1).trim().split(/\r?\n/);
    expect(header?.split(",").slice(0, 2)).toEqual(["Side", "Month"]);
    expect(rows.map((row) => row.split(",").slice(0, 2))).toEqual([
      ["bank-not-in-book", "2010-01"],
      ["bank-not-in-book", "2010-02"],
      ["book-not-in-bank", "2010-01"],
      ["book-not-in-bank", "2010-02"],
    ]);
  });
});
