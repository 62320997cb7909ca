import { describe, expect, it } from "vitest";
import { CURRENCIES } from "../money.ts";
import type { Command } from "./commands.ts";
import { addToTotals, type EntryTotals, formatTotals, NO_TOTALS } from "./entry-totals.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import { generalFund, given, openBook, studentAidFund } from "./scenario.test-support.ts";

const CNY = CURRENCIES.CNY;

// Given a book where money came in, went out, moved between funds and was undone.
const book = (): MemoryLedger =>
  given(
    openBook,
    generalFund,
    studentAidFund,
    { type: "open-program", programId: "aid", name: "金秋助学", fundId: "student-aid", requiresHardshipFile: false },
    { type: "register-beneficiary", beneficiaryId: "st-1", kind: "student", name: "杨小红" },
    {
      type: "record-collection",
      fundId: "student-aid",
      source: "upper-subsidy",
      amount: "1000",
      receivedOn: "2010-08-10",
    },
    { type: "record-collection", fundId: "general", source: "dues", amount: "500", receivedOn: "2010-08-11" },
    { type: "record-transfer", fromFundId: "general", toFundId: "student-aid", amount: "200", on: "2010-08-12" },
    { type: "record-payout", programId: "aid", beneficiaryId: "st-1", amount: "300", paidOn: "2010-08-20" },
    { type: "record-payout", programId: "aid", beneficiaryId: "st-1", amount: "40", paidOn: "2010-08-21" },
  );

const totalsOf = (ledger: MemoryLedger, fundId?: string, pick = (_: { type: string }) => true): EntryTotals =>
  ledger.events.filter(pick).reduce((totals, event) => addToTotals(totals, event, CNY, fundId), NO_TOTALS);

const seqOf = (ledger: MemoryLedger, type: string, nth = 0) =>
  ledger.events.filter((event) => event.type === type)[nth]?.seq ?? 0;

describe("the totals of a list of entries", () => {
  it("counts collections in and payouts out, and a transfer as neither for the book", () => {
    const ledger = book();
    expect(formatTotals(totalsOf(ledger), CNY)).toEqual({
      count: ledger.events.length,
      amounts: { in: "1500.00", out: "340.00", net: "1160.00" },
    });
    expect(
      formatTotals(
        totalsOf(ledger, undefined, (e) => e.type === "TransferRecorded"),
        CNY,
      ),
    ).toEqual({
      count: 1,
      amounts: { in: "0.00", out: "0.00", net: "0.00" },
    });
  });

  it("counts a transfer out of one fund and into the other when the list is of one fund", () => {
    const ledger = book();
    expect(formatTotals(totalsOf(ledger, "general"), CNY).amounts).toEqual({
      in: "500.00",
      out: "200.00",
      net: "300.00",
    });
    expect(formatTotals(totalsOf(ledger, "student-aid"), CNY).amounts).toEqual({
      in: "1200.00",
      out: "340.00",
      net: "860.00",
    });
  });

  it("counts a reversal or a return as the opposite of what it undoes", () => {
    const ledger = book();
    const undo: Command[] = [
      { type: "reverse-entry", seq: seqOf(ledger, "PayoutRecorded", 0), reason: "录入错误" },
      { type: "return-payout", seq: seqOf(ledger, "PayoutRecorded", 1), returnedOn: "2010-09-03", reason: "银行退回" },
      { type: "reverse-entry", seq: seqOf(ledger, "TransferRecorded"), reason: "调错资金" },
    ];
    ledger.given(...undo);
    const undoings = (e: { type: string }) => e.type === "EntryReversed" || e.type === "PayoutReturned";
    expect(formatTotals(totalsOf(ledger, undefined, undoings), CNY)).toEqual({
      count: 3,
      amounts: { in: "340.00", out: "0.00", net: "340.00" },
    });
    expect(formatTotals(totalsOf(ledger, "general", undoings), CNY).amounts).toEqual({
      in: "200.00",
      out: "0.00",
      net: "200.00",
    });
  });

  it("nets to each fund's balance over the fund's whole journal", () => {
    const ledger = book();
    for (const fundId of ["general", "student-aid"]) {
      const totals = totalsOf(ledger, fundId);
      expect(totals.in - totals.out, fundId).toBe(ledger.state.funds[fundId]?.balance);
    }
  });
});
