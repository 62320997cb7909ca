import { describe, expect, it } from "vitest";
import { CURRENCIES } from "../money.ts";
import { reconcile } from "../reconcile/reconcile.ts";
import {
  fundStatementsRef,
  StatementLines,
  StatementRecord,
  statementLinesRef,
  statementRef,
} from "../reconcile/statement.ts";
import type { CommandOf } from "./commands.ts";
import { fundBankAccountRef } from "./decide-bank.ts";
import { decideOn, generalFund, given, openBook, recorded, refused, warmthFund } from "./scenario.test-support.ts";

// Given a book whose general fund collected and transferred money in March 2010, when finance
// records the March bank statement with the matches the rules found, then the statement's figures
// are journalled, its lines kept beside the journal, and the matches checked one by one.

const collect = (amount: string, receivedOn: string, reference?: string): CommandOf<"record-collection"> => ({
  type: "record-collection",
  fundId: "general",
  source: "dues",
  amount,
  receivedOn,
  ...(reference ? { reference } : {}),
});

const book = () =>
  given(
    openBook,
    generalFund,
    warmthFund,
    collect("1000.00", "2010-03-02", "DUES-1"), // seq 4
    collect("250.00", "2010-03-10"), // seq 5
    { type: "record-transfer", fromFundId: "general", toFundId: "warmth", amount: "300.00", on: "2010-03-15" }, // seq 6
    collect("40.00", "2010-03-30"), // seq 7: not in the bank by the month's end
  );

const statement = (
  overrides: Partial<CommandOf<"record-bank-statement">> = {},
): CommandOf<"record-bank-statement"> => ({
  type: "record-bank-statement",
  fundId: "general",
  period: "2010-03",
  openingBalance: "0.00",
  closingBalance: "944.50",
  accountLast4: "1234",
  lines: [
    { date: "2010-03-05", amount: "1000.00", direction: "in", counterparty: "市总工会", reference: "DUES-1" },
    { date: "2010-03-12", amount: "250", direction: "in", counterparty: "纺织厂" },
    { date: "2010-03-16", amount: "300.00", direction: "out" },
    { date: "2010-03-31", amount: "5.50", direction: "out", counterparty: "银行手续费" },
  ],
  matches: [
    { line: 1, entrySeq: 4, rule: "reference" },
    { line: 2, entrySeq: 5, rule: "amount-date" },
    { line: 3, entrySeq: 6, rule: "amount-date" },
  ],
  ...overrides,
});

describe("recording a bank statement", () => {
  it("journals its figures and matches, and keeps its lines beside the journal", () => {
    const ledger = book();
    const events = recorded(ledger, statement());
    expect(events.map((event) => event.type)).toEqual(["BankStatementRecorded", "BankLinesMatched"]);
    expect(events[0]?.occurredOn).toBe("2010-12-31");
    expect(events[0]?.payload).toMatchObject({
      fundId: "general",
      period: "2010-03",
      openingBalance: "0.00",
      closingBalance: "944.50",
      lineCount: 4,
      totalIn: "1250.00",
      totalOut: "305.50",
      toleranceDays: 3,
      accountLast4: "1234",
    });
    expect(JSON.stringify(events)).not.toContain("市总工会");
    const record = StatementRecord.parse(ledger.entities.get(statementRef("general", "2010-03")));
    expect(record.matches.map(({ line, entrySeq }) => [line, entrySeq])).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const lines = StatementLines.parse(ledger.entities.get(statementLinesRef("general", "2010-03")));
    expect(lines.lines[1]).toMatchObject({ line: 2, amount: "250.00", counterparty: "纺织厂" });
  });

  it("records the same statement twice once, and refuses another for the same month", () => {
    const ledger = book();
    recorded(ledger, statement());
    const again = decideOn(ledger, statement());
    expect(again.ok && again.value.events).toEqual([]);
    const other = refused(
      ledger,
      statement({
        closingBalance: "945.50",
        lines: [...statement().lines.slice(0, 3), { date: "2010-03-31", amount: "4.50", direction: "out" }],
      }),
    );
    expect(other.code).toBe("bank-statement-exists");
  });

  it("refuses a statement whose lines do not come to its closing balance, or lie outside its month", () => {
    expect(refused(book(), statement({ closingBalance: "900.00" }))).toMatchObject({
      code: "bank-statement-invalid",
      errors: [{ path: "closingBalance" }],
    });
    const outside = statement({ lines: [{ date: "2010-04-01", amount: "1.00", direction: "in" }], matches: [] });
    expect(refused(book(), outside)).toMatchObject({ errors: [{ path: "lines.0.date" }] });
  });

  it("refuses a month that is not over, and a fund that does not exist", () => {
    expect(refused(book(), statement({ period: "2010-12", lines: [], closingBalance: "0", matches: [] })).code).toBe(
      "period-not-over",
    );
    expect(refused(book(), statement({ fundId: "nope" })).code).toBe("fund-not-found");
  });

  it("checks each proposed match: amount, rule, and each entry once", () => {
    const wrongAmount = statement({ matches: [{ line: 2, entrySeq: 4, rule: "amount-date" }] });
    expect(refused(book(), wrongAmount)).toMatchObject({ errors: [{ path: "matches.0" }] });
    const twice = statement({
      matches: [
        { line: 1, entrySeq: 4, rule: "reference" },
        { line: 1, entrySeq: 5, rule: "amount-date" },
      ],
    });
    expect(refused(book(), twice).code).toBe("bank-statement-invalid");
    const tooFar = statement({ matches: [{ line: 2, entrySeq: 5, rule: "amount-date" }], toleranceDays: 1 });
    expect(refused(book(), tooFar)).toMatchObject({ errors: [{ message: expect.stringMatching(/1 days/) }] });
  });
});

describe("confirming and undoing a match", () => {
  it("confirms a match once, and undoes one with its reason", () => {
    const ledger = book();
    recorded(ledger, statement());
    const [confirmed] = recorded(ledger, { type: "confirm-bank-match", fundId: "general", period: "2010-03", line: 1 });
    expect(confirmed?.payload).toMatchObject({ line: 1, entrySeq: 4 });
    expect(refused(ledger, { type: "confirm-bank-match", fundId: "general", period: "2010-03", line: 1 }).code).toBe(
      "bank-match-confirmed",
    );
    const [undone] = recorded(ledger, {
      type: "undo-bank-match",
      fundId: "general",
      period: "2010-03",
      line: 2,
      reason: "纺织厂的款项另有凭证",
    });
    expect(undone).toMatchObject({ type: "BankMatchUndone", payload: { line: 2, entrySeq: 5 } });
    const record = StatementRecord.parse(ledger.entities.get(statementRef("general", "2010-03")));
    expect(record.matches.map((match) => [match.line, match.confirmedSeq !== undefined])).toEqual([
      [1, true],
      [3, false],
    ]);
    expect(record.undone).toMatchObject([{ line: 2, entrySeq: 5, reason: "纺织厂的款项另有凭证" }]);
    expect(
      refused(ledger, { type: "undo-bank-match", fundId: "general", period: "2010-03", line: 2, reason: "x" }).code,
    ).toBe("bank-match-not-found");
    expect(refused(ledger, { type: "confirm-bank-match", fundId: "general", period: "2010-04", line: 1 }).code).toBe(
      "bank-statement-not-found",
    );
  });
});

describe("the reconciliation (余额调节表)", () => {
  it("explains the difference between bank and book by the items on either side", () => {
    const ledger = book();
    recorded(ledger, statement());
    const record = StatementRecord.parse(ledger.entities.get(statementRef("general", "2010-03")));
    const { lines } = StatementLines.parse(ledger.entities.get(statementLinesRef("general", "2010-03")));
    const items = [
      {
        seq: 4,
        date: "2010-03-02",
        amount: 100000n,
        direction: "in" as const,
        type: "CollectionRecorded",
        reference: "DUES-1",
      },
      { seq: 5, date: "2010-03-10", amount: 25000n, direction: "in" as const, type: "CollectionRecorded" },
      { seq: 6, date: "2010-03-15", amount: 30000n, direction: "out" as const, type: "TransferRecorded" },
      { seq: 7, date: "2010-03-30", amount: 4000n, direction: "in" as const, type: "CollectionRecorded" },
    ];
    const result = reconcile({
      currency: CURRENCIES.CNY,
      statements: [{ record, lines }],
      items,
      clearedLater: new Map(),
      bookOpening: 0n,
      bookClosing: 99000n, // 1000 + 250 - 300 + 40
    });
    // Bank 944.50 + 40.00 (企收银未收) = 984.50; book 990.00 − 5.50 (银付企未付) = 984.50.
    expect(result).toMatchObject({
      bank: { opening: "0.00", closing: "944.50" },
      book: { opening: "0.00", closing: "990.00" },
      bankNotInBook: {
        totalReceipts: "0.00",
        totalPayments: "5.50",
        payments: [{ line: 4, counterparty: "银行手续费" }],
      },
      bookNotInBank: { totalReceipts: "40.00", totalPayments: "0.00", receipts: [{ entrySeq: 7 }] },
      adjusted: { bank: "984.50", book: "984.50" },
      difference: "0.00",
      balanced: true,
    });
    expect(result.matches).toHaveLength(3);
  });
});

describe("outstanding items carried from month to month", () => {
  // seq 4: a payout of sorts (a transfer out) in January that the bank clears only in March.
  const carried = () =>
    given(
      openBook,
      generalFund,
      warmthFund,
      collect("1000.00", "2010-01-04"), // seq 4
      { type: "record-transfer", fromFundId: "general", toFundId: "warmth", amount: "300.00", on: "2010-01-29" }, // seq 5
    );
  const month = (period: string, opening: string, closing: string, lines = [] as Statement["lines"]) =>
    ({
      type: "record-bank-statement",
      fundId: "general",
      period,
      openingBalance: opening,
      closingBalance: closing,
      lines,
      matches: [],
    }) as Statement;
  type Statement = CommandOf<"record-bank-statement">;

  it("lists the fund's statements, and refuses an entry an earlier statement, not only the one before, matched", () => {
    const ledger = carried();
    recorded(ledger, {
      ...month("2010-01", "0.00", "1000.00", [{ date: "2010-01-05", amount: "1000.00", direction: "in" }]),
      matches: [{ line: 1, entrySeq: 4, rule: "amount-date" }],
    });
    recorded(ledger, month("2010-02", "1000.00", "1000.00"));
    expect(ledger.entities.get(fundStatementsRef("general"))).toEqual({
      fundId: "general",
      periods: ["2010-01", "2010-02"],
    });
    const again = refused(ledger, {
      ...month("2010-03", "1000.00", "2000.00", [{ date: "2010-03-05", amount: "1000.00", direction: "in" }]),
      matches: [{ line: 1, entrySeq: 4, rule: "amount-date" }],
    });
    expect(again).toMatchObject({ errors: [{ message: "entry 4 is matched already" }] });
  });

  it("takes a line of a later month for an outstanding item by amount, and the reconciliation carries it until then", () => {
    const ledger = carried();
    const january = month("2010-01", "0.00", "1000.00", [{ date: "2010-01-05", amount: "1000.00", direction: "in" }]);
    recorded(ledger, { ...january, matches: [{ line: 1, entrySeq: 4, rule: "amount-date" }] });
    recorded(ledger, month("2010-02", "1000.00", "1000.00"));
    const march = month("2010-03", "1000.00", "700.00", [{ date: "2010-03-09", amount: "300.00", direction: "out" }]);
    recorded(ledger, { ...march, matches: [{ line: 1, entrySeq: 5, rule: "amount-date" }] });

    const statementOf = (period: string) => ({
      record: StatementRecord.parse(ledger.entities.get(statementRef("general", period))),
      lines: StatementLines.parse(ledger.entities.get(statementLinesRef("general", period))).lines,
    });
    const items = [
      { seq: 4, date: "2010-01-04", amount: 100000n, direction: "in" as const, type: "CollectionRecorded" },
      { seq: 5, date: "2010-01-29", amount: 30000n, direction: "out" as const, type: "TransferRecorded" },
    ];
    const at = (period: string, clearedLater: Map<number, string>) =>
      reconcile({
        currency: CURRENCIES.CNY,
        statements: ["2010-01", "2010-02", "2010-03"].filter((p) => p <= period).map(statementOf),
        items,
        clearedLater,
        bookOpening: 70000n,
        bookClosing: 70000n,
      });
    // February: bank 1000.00 − 300.00 (企付银未付, from January) = book 700.00.
    expect(at("2010-02", new Map([[5, "2010-03"]]))).toMatchObject({
      bookNotInBank: { payments: [{ entrySeq: 5, month: "2010-01", clearedIn: "2010-03" }], totalPayments: "300.00" },
      adjusted: { bank: "700.00", book: "700.00" },
      balanced: true,
    });
    expect(at("2010-03", new Map())).toMatchObject({
      bookNotInBank: { payments: [] },
      bankNotInBook: { payments: [] },
      balanced: true,
    });
  });

  it("matches an earlier statement's outstanding line into that statement, once", () => {
    const ledger = carried();
    const fee = { date: "2010-01-31", amount: "300.00", direction: "out" as const };
    recorded(ledger, {
      ...month("2010-01", "0.00", "700.00", [{ date: "2010-01-05", amount: "1000.00", direction: "in" }, fee]),
      matches: [{ line: 1, entrySeq: 4, rule: "amount-date" }],
    });
    // January's line 2 and the transfer of January 29: within the tolerance, matched as January's.
    const events = recorded(ledger, {
      ...month("2010-02", "700.00", "700.00"),
      matches: [{ period: "2010-01", line: 2, entrySeq: 5, rule: "amount-date" }],
    });
    expect(events.map((event) => [event.type, event.payload.period])).toEqual([
      ["BankStatementRecorded", "2010-02"],
      ["BankLinesMatched", "2010-01"],
    ]);
    const january = StatementRecord.parse(ledger.entities.get(statementRef("general", "2010-01")));
    expect(january.matches.map(({ line, entrySeq, matchedSeq }) => [line, entrySeq, matchedSeq])).toEqual([
      [1, 4, 7],
      [2, 5, events[1]?.seq],
    ]);
    const matchedLine = refused(ledger, {
      ...month("2010-03", "700.00", "700.00"),
      matches: [{ period: "2010-01", line: 1, entrySeq: 5, rule: "amount-date" }],
    });
    expect(matchedLine).toMatchObject({ errors: [{ message: "line 1 of 2010-01 cannot be matched" }] });
    const later = refused(ledger, {
      ...month("2010-01", "0.00", "0.00"),
      period: "2009-12",
      matches: [{ period: "2010-01", line: 2, entrySeq: 5, rule: "amount-date" }],
    });
    expect(later).toMatchObject({ errors: [{ message: "line 2 of 2010-01 cannot be matched" }] });
  });
});

describe("a fund's own bank account", () => {
  const sealed = { v: 1 as const, key: "k", fields: { accountNumber: { iv: "i", data: "d", tag: "t" } } };
  const link = {
    type: "set-fund-bank-account" as const,
    fundId: "general",
    bank: "中国工商银行巴中分行",
    last4: "8866",
    accountHash: "a".repeat(64),
    sealed,
  };

  it("is journalled by its last four digits and keyed hash, and sealed in the registry", () => {
    const ledger = book();
    const [event] = recorded(ledger, link);
    expect(event).toMatchObject({
      type: "FundBankAccountSet",
      payload: { fundId: "general", last4: "8866", accountHash: "a".repeat(64) },
    });
    expect(ledger.entities.get(fundBankAccountRef("general"))).toMatchObject({
      bank: link.bank,
      last4: "8866",
      sealed,
    });
    expect(refused(ledger, { ...link, fundId: "nope" }).code).toBe("fund-not-found");
  });

  it("refuses a statement of another account, and takes one naming none as of it", () => {
    const ledger = book();
    recorded(ledger, link);
    expect(refused(ledger, statement({ accountLast4: "1234" }))).toMatchObject({
      code: "bank-account-mismatch",
      linkedLast4: "8866",
    });
    const { accountLast4: _, ...unnamed } = statement();
    const [recordedStatement] = recorded(ledger, unnamed);
    expect(recordedStatement?.payload).toMatchObject({ accountLast4: "8866" });
  });
});
