import { describe, expect, it } from "vitest";
import { CURRENCIES } from "../money.ts";
import { type BankLine, type BookItem, bookItemOf, daysBetween, matchFault, matchStatement } from "./match.ts";

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
