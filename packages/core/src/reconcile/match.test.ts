import { describe, expect, it } from "vitest";
import { CURRENCIES } from "../money.ts";
import {
  amountDateHolds,
  type BankLine,
  type BookItem,
  bookItemOf,
  daysBetween,
  matchFault,
  matchStatement,
} from "./match.ts";

const line = (n: number, date: string, amount: bigint, direction: "in" | "out", reference?: string): BankLine => ({
  line: n,
  date,
  amount,
  direction,
  ...(reference ? { reference } : {}),
});
const item = (seq: number, date: string, amount: bigint, direction: "in" | "out", reference?: string): BookItem => ({
  seq,
  date,
  amount,
  direction,
  type: direction === "in" ? "CollectionRecorded" : "PayoutRecorded",
  ...(reference ? { reference } : {}),
});

describe("matching a statement to the book", () => {
  it("matches by reference first, whatever the dates, then by amount within the tolerance", () => {
    const lines = [line(1, "2010-03-20", 50000n, "in", "RCPT-7"), line(2, "2010-03-05", 80000n, "out")];
    const items = [
      item(10, "2010-03-01", 50000n, "in"),
      item(11, "2010-03-12", 50000n, "in", "rcpt-7"),
      item(12, "2010-03-03", 80000n, "out"),
    ];
    expect(matchStatement(lines, items, 3)).toEqual([
      { line: 1, entrySeq: 11, rule: "reference" },
      { line: 2, entrySeq: 12, rule: "amount-date" },
    ]);
  });

  it("leaves a near miss unmatched: four days out, or a fen off", () => {
    const lines = [line(1, "2010-03-10", 10000n, "out"), line(2, "2010-03-10", 20001n, "out")];
    const items = [item(1, "2010-03-06", 10000n, "out"), item(2, "2010-03-10", 20000n, "out")];
    expect(matchStatement(lines, items, 3)).toEqual([]);
    expect(matchStatement(lines, items, 4)).toEqual([{ line: 1, entrySeq: 1, rule: "amount-date" }]);
  });

  it("never matches across directions, and takes each entry and line once, the earliest entry first", () => {
    const lines = [line(1, "2010-03-10", 10000n, "in"), line(2, "2010-03-11", 10000n, "in")];
    const items = [
      item(3, "2010-03-09", 10000n, "in"),
      item(2, "2010-03-08", 10000n, "in"),
      item(4, "2010-03-10", 10000n, "out"),
    ];
    expect(matchStatement(lines, items, 3)).toEqual([
      { line: 1, entrySeq: 2, rule: "amount-date" },
      { line: 2, entrySeq: 3, rule: "amount-date" },
    ]);
  });

  it("is deterministic: the order of the file does not change the outcome", () => {
    const lines = [line(1, "2010-03-10", 10000n, "in"), line(2, "2010-03-09", 10000n, "in")];
    const items = [item(5, "2010-03-10", 10000n, "in"), item(6, "2010-03-12", 10000n, "in")];
    const forward = matchStatement(lines, items, 3);
    expect(matchStatement([...lines].reverse(), [...items].reverse(), 3)).toEqual(forward);
    expect(forward).toEqual([
      { line: 1, entrySeq: 6, rule: "amount-date" },
      { line: 2, entrySeq: 5, rule: "amount-date" },
    ]);
  });

  it("says why a proposed match does not hold", () => {
    const bank = line(1, "2010-03-10", 10000n, "in", "A");
    expect(matchFault(bank, item(1, "2010-03-10", 10000n, "in", "A"), "reference", 3)).toBeUndefined();
    expect(matchFault(bank, item(1, "2010-03-10", 10000n, "in", "B"), "reference", 3)).toMatch(/reference/);
    expect(matchFault(bank, item(1, "2010-03-14", 10000n, "in"), "amount-date", 3)).toMatch(/3 days/);
    expect(matchFault(bank, item(1, "2010-03-10", 10001n, "in"), "amount-date", 3)).toMatch(/amount/);
    expect(matchFault(bank, item(1, "2010-03-10", 10000n, "out"), "amount-date", 3)).toMatch(/moved money out/);
  });

  it("counts days across months and years", () => {
    expect(daysBetween("2010-02-27", "2010-03-02")).toBe(3);
    expect(daysBetween("2010-12-30", "2011-01-02")).toBe(3);
    expect(daysBetween("2010-03-02", "2010-02-27")).toBe(-3);
  });
});

describe("a journal entry as a book item of a fund", () => {
  const CNY = CURRENCIES.CNY;
  const event = (type: string, postings: { account: string; amount: string }[], extra = {}) => ({
    seq: 7,
    type,
    occurredOn: "2010-03-04",
    payload: { postings, ...extra },
  });

  it("reads its net effect on the fund: a collection in, a payout out, a transfer by side", () => {
    const collection = event(
      "CollectionRecorded",
      [
        { account: "source:dues", amount: "-100.00" },
        { account: "fund:relief", amount: "100.00" },
      ],
      { reference: "R-1" },
    );
    expect(bookItemOf(collection, "relief", CNY)).toEqual({
      seq: 7,
      date: "2010-03-04",
      amount: 10000n,
      direction: "in",
      type: "CollectionRecorded",
      reference: "R-1",
    });
    const transfer = event("TransferRecorded", [
      { account: "fund:relief", amount: "-30.00" },
      { account: "fund:general", amount: "30.00" },
    ]);
    expect(bookItemOf(transfer, "relief", CNY)).toMatchObject({ amount: 3000n, direction: "out" });
    expect(bookItemOf(transfer, "general", CNY)).toMatchObject({ amount: 3000n, direction: "in" });
    expect(bookItemOf(transfer, "warmth", CNY)).toBeUndefined();
  });

  it("leaves opening balances out: they were brought forward, not moved through the bank", () => {
    const opening = event("OpeningBalancesRecorded", [
      { account: "equity:brought-forward", amount: "-100.00" },
      { account: "fund:relief", amount: "100.00" },
    ]);
    expect(bookItemOf(opening, "relief", CNY)).toBeUndefined();
  });
});

describe("an outstanding item carried forward (未达账项)", () => {
  const january = item(3, "2010-01-28", 80000n, "out");

  it("is matched by a later month's line by amount, at any age, when the line is dated on or after it", () => {
    expect(matchStatement([line(1, "2010-03-09", 80000n, "out")], [january], 3)).toEqual([
      { line: 1, entrySeq: 3, rule: "amount-date" },
    ]);
    expect(amountDateHolds(line(1, "2010-03-09", 80000n, "out"), january, 3)).toBe(true);
    expect(matchFault(line(1, "2010-03-09", 80000n, "out"), january, "amount-date", 3)).toBeUndefined();
  });

  it("is matched by reference at any age", () => {
    const old = item(4, "2009-11-02", 80000n, "out", "CHQ-118");
    expect(matchStatement([line(1, "2010-03-09", 80000n, "out", "chq-118")], [old], 3)).toEqual([
      { line: 1, entrySeq: 4, rule: "reference" },
    ]);
  });

  it("does not reach forward: an entry of the month more than the tolerance after the line stays unmatched", () => {
    const later = item(5, "2010-03-20", 80000n, "out");
    expect(matchStatement([line(1, "2010-03-09", 80000n, "out")], [later], 3)).toEqual([]);
    expect(amountDateHolds(line(1, "2010-03-09", 80000n, "out"), later, 3)).toBe(false);
  });

  it("pairs an earlier statement's outstanding line with what the book recorded in a later month", () => {
    const fee = { ...line(7, "2010-01-31", 500n, "out"), period: "2010-01" };
    const recorded = item(20, "2010-03-02", 500n, "out");
    expect(matchStatement([line(1, "2010-03-20", 500n, "in"), fee], [recorded], 3)).toEqual([
      { period: "2010-01", line: 7, entrySeq: 20, rule: "amount-date" },
    ]);
    expect(matchFault(fee, recorded, "amount-date", 3)).toBeUndefined();
  });

  it("gives way to an entry of the month within the tolerance, the closer evidence", () => {
    const march = item(9, "2010-03-08", 80000n, "out");
    const lines = [line(1, "2010-03-09", 80000n, "out"), line(2, "2010-03-25", 80000n, "out")];
    expect(matchStatement(lines, [january, march], 3)).toEqual([
      { line: 1, entrySeq: 9, rule: "amount-date" },
      { line: 2, entrySeq: 3, rule: "amount-date" },
    ]);
  });
});
