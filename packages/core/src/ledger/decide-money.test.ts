import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../journal-event.ts";
import type { Command, CommandOf } from "./commands.ts";
import { decide } from "./decide.ts";
import { checkMoney } from "./decide-money.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import {
  BOOK,
  closePeriod,
  decideOn,
  FINANCE,
  generalFund,
  given,
  openBook,
  recordedOne,
  recordOf,
  refused,
  studentAidFund,
  TODAY,
  textileMill,
} from "./scenario.test-support.ts";

// Given these commands, when this collection, transfer, reversal or return, then these events or this error.
const balance = (ledger: MemoryLedger, fundId: string) => ledger.state.funds[fundId]?.balance;

const setup: Command[] = [
  openBook,
  generalFund,
  studentAidFund,
  textileMill,
  {
    type: "open-program",
    programId: "golden-autumn",
    name: "金秋助学",
    fundId: "student-aid",
    budget: "300000",
    requiresHardshipFile: false,
    methods: ["bank"],
    cap: { perBeneficiaryPerYear: { count: 1 } },
    on: "2010-07-01",
  },
  {
    type: "register-beneficiary",
    beneficiaryId: "st-yang-xiaohong",
    kind: "student",
    name: "杨小红",
    on: "2010-08-01",
  },
];

const collect = (amount: string, extra: Partial<CommandOf<"record-collection">> = {}): Command => ({
  type: "record-collection",
  fundId: "student-aid",
  source: "upper-subsidy",
  amount,
  receivedOn: "2010-08-10",
  ...extra,
});
const transfer = (amount: string, extra: Partial<CommandOf<"record-transfer">> = {}): Command => ({
  type: "record-transfer",
  fromFundId: "general",
  toFundId: "student-aid",
  amount,
  on: "2010-08-12",
  memo: "本级投入金秋助学",
  ...extra,
});
const grant = (amount: string, paidOn = "2010-08-25"): Command => ({
  type: "record-payout",
  programId: "golden-autumn",
  beneficiaryId: "st-yang-xiaohong",
  amount,
  paidOn,
  method: "bank",
});
const reverse = (seq: number, on?: string): Command =>
  on ? { type: "reverse-entry", seq, reason: "录入错误", on } : { type: "reverse-entry", seq, reason: "录入错误" };
const giveBack = (seq: number, returnedOn = "2010-09-03"): Command => ({
  type: "return-payout",
  seq,
  returnedOn,
  reason: "银行退回：账户已销户",
});

describe("a collection", () => {
  it("moves money from its source into the fund as balanced postings", () => {
    const ledger = given(...setup);
    const event = recordedOne(ledger, collect("1051100", { reference: "川工发〔2010〕12号", memo: "上级补助" }));
    expect(event).toMatchObject({
      type: "CollectionRecorded",
      occurredOn: "2010-08-10",
      payload: {
        fundId: "student-aid",
        source: "upper-subsidy",
        amount: "1051100.00",
        reference: "川工发〔2010〕12号",
        memo: "上级补助",
        postings: [
          { account: "source:upper-subsidy", amount: "-1051100.00" },
          { account: "fund:student-aid", amount: "1051100.00" },
        ],
      },
    });
    expect(balance(ledger, "student-aid")).toBe(105_110_000n);
  });

  it("comes from the paying unit's account when a unit is named", () => {
    const ledger = given(...setup);
    const event = recordedOne(
      ledger,
      collect("3680.5", { fundId: "general", source: "dues", unitId: "zhongxin-textile" }),
    );
    expect(event.payload).toMatchObject({
      unitId: "zhongxin-textile",
      amount: "3680.50",
      postings: [
        { account: "unit:zhongxin-textile", amount: "-3680.50" },
        { account: "fund:general", amount: "3680.50" },
      ],
    });
  });

  it("refuses an unknown fund or unit, another currency, a bad amount, a closed or future date", () => {
    const ledger = given(...setup);
    expect(refused(ledger, collect("100", { fundId: "culture-palace" }))).toMatchObject({
      code: "fund-not-found",
      fundId: "culture-palace",
    });
    expect(refused(ledger, collect("100", { unitId: "huifeng-sanitation" }))).toMatchObject({
      code: "unit-not-found",
      unitId: "huifeng-sanitation",
    });
    expect(refused(ledger, collect("100", { currency: "USD" }))).toMatchObject({ code: "currency-mismatch" });
    expect(refused(ledger, collect("100.001"))).toMatchObject({ code: "invalid-amount", field: "amount" });
    expect(refused(ledger, collect("100", { receivedOn: "2011-01-01" }))).toMatchObject({ code: "future-date" });
    closePeriod(ledger, "2010-08");
    expect(refused(ledger, collect("100"))).toMatchObject({ code: "period-closed", closedThrough: "2010-08" });
  });

  it("names an unknown fund before judging the date", () => {
    const ledger = given(...setup);
    closePeriod(ledger, "2010-08");
    expect(refused(ledger, collect("100", { fundId: "culture-palace" }))).toMatchObject({
      code: "fund-not-found",
      fundId: "culture-palace",
    });
  });
});

describe("the two rules of every money entry", () => {
  const book = { id: BOOK, name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai" } as const;

  it("refuses postings that do not sum to zero, even when no fund would go below zero", () => {
    const ledger = given(...setup, collect("100"));
    const into = (amount: bigint) => ({ account: "fund:student-aid" as const, amount });
    const from = (amount: bigint) => ({ account: "source:dues" as const, amount });
    expect(checkMoney(ledger.state, book, [from(-10_000n), into(10_001n)])).toMatchObject({
      ok: false,
      error: { code: "unbalanced-postings" },
    });
    expect(checkMoney(ledger.state, book, [from(-10_000n), into(10_000n)])).toEqual({ ok: true, value: undefined });
  });

  it("refuses postings to a fund the book does not have, naming it", () => {
    const ledger = given(...setup);
    const postings = [
      { account: "source:dues" as const, amount: -100n },
      { account: "fund:culture-palace" as const, amount: 100n },
    ];
    expect(checkMoney(ledger.state, book, postings)).toMatchObject({
      ok: false,
      error: { code: "fund-not-found", fundId: "culture-palace" },
    });
  });
});

describe("a transfer", () => {
  it("moves money between two funds as balanced postings", () => {
    const ledger = given(...setup, collect("100000", { fundId: "general", source: "allocation" }));
    const event = recordedOne(ledger, transfer("57000"));
    expect(event).toMatchObject({
      type: "TransferRecorded",
      occurredOn: "2010-08-12",
      payload: {
        fromFundId: "general",
        toFundId: "student-aid",
        amount: "57000.00",
        memo: "本级投入金秋助学",
        postings: [
          { account: "fund:general", amount: "-57000.00" },
          { account: "fund:student-aid", amount: "57000.00" },
        ],
      },
    });
    expect(balance(ledger, "general")).toBe(4_300_000n);
    expect(balance(ledger, "student-aid")).toBe(5_700_000n);
  });

  it("refuses an amount that is not an amount, and a date in a closed month or after today", () => {
    const ledger = given(...setup, collect("100000", { fundId: "general", source: "allocation" }));
    expect(refused(ledger, transfer("57000.001"))).toMatchObject({ code: "invalid-amount", field: "amount" });
    expect(refused(ledger, transfer("57000", { on: "2011-01-01" }))).toMatchObject({
      code: "future-date",
      on: "2011-01-01",
      today: TODAY,
    });
    closePeriod(ledger, "2010-08");
    expect(refused(ledger, transfer("57000"))).toMatchObject({
      code: "period-closed",
      on: "2010-08-12",
      closedThrough: "2010-08",
    });
    recordedOne(ledger, transfer("57000", { on: "2010-09-01" }));
  });

  it("refuses a transfer within one fund", () => {
    const ledger = given(...setup, collect("100"));
    expect(refused(ledger, transfer("50", { fromFundId: "student-aid" }))).toMatchObject({
      code: "same-fund",
      fundId: "student-aid",
    });
  });

  it("refuses a transfer that would overdraw the fund it leaves", () => {
    const ledger = given(...setup, collect("100000", { fundId: "general", source: "allocation" }));
    expect(refused(ledger, transfer("100000.01"))).toMatchObject({
      code: "fund-overdrawn",
      fundId: "general",
      balance: "100000.00",
      requested: "100000.01",
    });
    recordedOne(ledger, transfer("100000"));
    expect(balance(ledger, "general")).toBe(0n);
  });

  it("refuses a transfer to or from a fund the book does not have", () => {
    const ledger = given(...setup, collect("100000", { fundId: "general", source: "allocation" }));
    expect(refused(ledger, transfer("10", { toFundId: "culture-palace" }))).toMatchObject({
      code: "fund-not-found",
      fundId: "culture-palace",
    });
    expect(refused(ledger, transfer("10", { fromFundId: "culture-palace" }))).toMatchObject({ code: "fund-not-found" });
  });
});

describe("a reversal", () => {
  it("reverses a collection: postings negated, balance restored, the entry marked undone", () => {
    const ledger = given(...setup);
    const collection = recordedOne(ledger, collect("300000"));
    const decision = decideOn(ledger, reverse(collection.seq));
    if (!decision.ok) throw new Error(decision.error.code);
    expect(decision.value.writes).toContainEqual({
      ref: `undo/${collection.seq}`,
      value: expect.objectContaining({ seq: collection.seq, undoneBy: "reversed" }),
    });
    const reversal = recordedOne(ledger, reverse(collection.seq));
    expect(reversal).toMatchObject({
      type: "EntryReversed",
      occurredOn: TODAY,
      payload: {
        entrySeq: collection.seq,
        entryType: "CollectionRecorded",
        entryOccurredOn: "2010-08-10",
        reason: "录入错误",
        amount: "300000.00",
        postings: [
          { account: "source:upper-subsidy", amount: "300000.00" },
          { account: "fund:student-aid", amount: "-300000.00" },
        ],
      },
    });
    expect(balance(ledger, "student-aid")).toBe(0n);
    // Nothing in the journal changes: the collection is still there.
    expect(ledger.entry(collection.seq)).toEqual(collection);
  });

  it("reverses a payout: the fund, the programme's paid total and the student's yearly totals go back, freeing the cap", () => {
    const ledger = given(...setup, collect("10000"));
    const payout = recordedOne(ledger, grant("2000"));
    expect(refused(ledger, grant("1500", "2010-08-26"))).toMatchObject({ code: "cap-exceeded", cap: "per-year-count" });
    const reversal = recordedOne(ledger, reverse(payout.seq, "2010-08-26"));
    expect(reversal.payload).toMatchObject({
      entryType: "PayoutRecorded",
      programId: "golden-autumn",
      beneficiaryId: "st-yang-xiaohong",
      amount: "2000.00",
      postings: [
        { account: "fund:student-aid", amount: "2000.00" },
        { account: "beneficiary:st-yang-xiaohong", amount: "-2000.00" },
      ],
    });
    expect(balance(ledger, "student-aid")).toBe(1_000_000n);
    expect(ledger.state.programs["golden-autumn"]?.paid).toBe(0n);
    expect(recordOf(ledger, "st-yang-xiaohong")?.totals).toEqual({ "golden-autumn|2010": { count: 0, amount: "0" } });
    recordedOne(ledger, grant("1500", "2010-08-26"));
    expect(ledger.state.programs["golden-autumn"]?.paid).toBe(150_000n);
  });

  it("reverses a transfer: both funds back where they were", () => {
    const ledger = given(...setup, collect("100000", { fundId: "general", source: "allocation" }));
    const moved = recordedOne(ledger, transfer("57000"));
    const reversal = recordedOne(ledger, reverse(moved.seq));
    expect(reversal.payload).toMatchObject({
      entryType: "TransferRecorded",
      amount: "57000.00",
      postings: [
        { account: "fund:general", amount: "57000.00" },
        { account: "fund:student-aid", amount: "-57000.00" },
      ],
    });
    expect(balance(ledger, "general")).toBe(10_000_000n);
    expect(balance(ledger, "student-aid")).toBe(0n);
  });

  it("refuses to reverse an entry that moves no money, a reversal included", () => {
    const ledger = given(...setup, collect("100"));
    const fundOpened = ledger.events.find((event) => event.type === "FundOpened") as JournalEvent;
    expect(refused(ledger, reverse(fundOpened.seq))).toMatchObject({
      code: "entry-not-reversible",
      seq: fundOpened.seq,
      entryType: "FundOpened",
    });
    const reversal = recordedOne(ledger, reverse(ledger.events.length));
    expect(refused(ledger, reverse(reversal.seq))).toMatchObject({
      code: "entry-not-reversible",
      entryType: "EntryReversed",
    });
  });

  it("refuses an entry the journal does not have", () => {
    const ledger = given(...setup);
    expect(refused(ledger, reverse(999))).toMatchObject({ code: "entry-not-found", seq: 999 });
  });

  it("refuses an entry the store found missing as not found, and throws for one it did not load", () => {
    const ledger = given(...setup, collect("100"));
    const context = (entities: () => null | undefined) => ({
      book: BOOK,
      actor: FINANCE,
      today: TODAY,
      headSeq: ledger.head.seq,
      entities,
    });
    for (const command of [reverse(ledger.head.seq), giveBack(ledger.head.seq)]) {
      expect(
        decide(
          command,
          ledger.state,
          context(() => null),
        ),
      ).toMatchObject({
        ok: false,
        error: { code: "entry-not-found", seq: ledger.head.seq },
      });
      // A read the command never asked for is a bug in its reads, not an entry the journal lacks.
      expect(() =>
        decide(
          command,
          ledger.state,
          context(() => undefined),
        ),
      ).toThrow(`entity event/${ledger.head.seq} was not loaded for command ${command.type}`);
    }
  });

  it("refuses to reverse a collection whose money was already paid out", () => {
    const ledger = given(...setup, collect("5000"));
    const collection = ledger.events.at(-1) as JournalEvent;
    recordedOne(ledger, grant("2000"));
    expect(refused(ledger, reverse(collection.seq))).toMatchObject({
      code: "fund-overdrawn",
      fundId: "student-aid",
      balance: "3000.00",
      requested: "5000.00",
    });
  });

  it("refuses to undo one entry twice", () => {
    const ledger = given(...setup, collect("5000"), collect("5000", { receivedOn: "2010-08-11" }));
    const collection = ledger.events.at(-1) as JournalEvent;
    const payout = recordedOne(ledger, grant("2000"));
    recordedOne(ledger, reverse(collection.seq));
    recordedOne(ledger, reverse(payout.seq));
    expect(refused(ledger, reverse(collection.seq))).toMatchObject({
      code: "entry-already-undone",
      seq: collection.seq,
    });
    expect(refused(ledger, reverse(payout.seq))).toMatchObject({ code: "entry-already-undone", seq: payout.seq });
    expect(balance(ledger, "student-aid")).toBe(500_000n);
  });

  it("says a collection was already reversed, not that its fund is short, when it is reversed again", () => {
    // The fund held only this collection: the second reversal must fail on the undo mark, but
    // decide's balance check runs first and the caller hears "fund-overdrawn" about money
    // that was never in question.
    const ledger = given(...setup, collect("5000"));
    const collection = ledger.events.at(-1) as JournalEvent;
    recordedOne(ledger, reverse(collection.seq));
    expect(refused(ledger, reverse(collection.seq))).toMatchObject({
      code: "entry-already-undone",
      seq: collection.seq,
    });
  });

  it("dates a correction to a closed month in the open period, referencing what it corrects", () => {
    const ledger = given(...setup, collect("5000", { receivedOn: "2010-03-10" }));
    const collection = ledger.events.at(-1) as JournalEvent;
    closePeriod(ledger, "2010-06");
    expect(refused(ledger, reverse(collection.seq, "2010-05-01"))).toMatchObject({ code: "period-closed" });
    expect(refused(ledger, reverse(collection.seq, "2011-01-04"))).toMatchObject({ code: "future-date" });
    expect(recordedOne(ledger, reverse(collection.seq))).toMatchObject({
      occurredOn: TODAY,
      payload: { entrySeq: collection.seq, entryOccurredOn: "2010-03-10" },
    });
  });
});

describe("a reversal's date", () => {
  it("is the day it names, in the open period: the entry's own day or any day after it", () => {
    const ledger = given(...setup, collect("5000", { receivedOn: "2010-03-10" }), collect("5000"));
    const [march, august] = ledger.events.slice(-2) as [JournalEvent, JournalEvent];
    closePeriod(ledger, "2010-02");
    expect(recordedOne(ledger, reverse(march.seq, "2010-03-10"))).toMatchObject({
      type: "EntryReversed",
      occurredOn: "2010-03-10",
      payload: { entrySeq: march.seq, entryOccurredOn: "2010-03-10" },
    });
    expect(recordedOne(ledger, reverse(august.seq, "2010-11-30"))).toMatchObject({ occurredOn: "2010-11-30" });
  });

  it("refuses a day before the entry it reverses, naming both days, and writes nothing", () => {
    const ledger = given(...setup, collect("5000"));
    const collection = ledger.events.at(-1) as JournalEvent;
    const before = ledger.head.seq;
    const refusal = refused(ledger, reverse(collection.seq, "2010-08-09"));
    expect(refusal).toMatchObject({
      code: "reversal-before-entry",
      seq: collection.seq,
      on: "2010-08-09",
      entryOccurredOn: "2010-08-10",
    });
    expect(refusal.message).toContain("2010-08-10");
    expect(ledger.head.seq).toBe(before);
  });

  it("judges a closed period, the book's opening and a future day as any business date is judged", () => {
    const ledger = given(...setup, collect("5000", { receivedOn: "2010-03-10" }));
    const collection = ledger.events.at(-1) as JournalEvent;
    closePeriod(ledger, "2010-03");
    // Closed, and before the entry too: the closed period is what the caller must hear.
    expect(refused(ledger, reverse(collection.seq, "2010-03-01"))).toMatchObject({
      code: "period-closed",
      closedThrough: "2010-03",
    });
    expect(refused(ledger, reverse(collection.seq, "2010-03-31"))).toMatchObject({ code: "period-closed" });
    expect(refused(ledger, reverse(collection.seq, "2011-01-01"))).toMatchObject({ code: "future-date", today: TODAY });
    recordedOne(ledger, reverse(collection.seq, "2010-04-01"));
  });

  it("refuses a day before the book opened as before the book opened", () => {
    const ledger = given(...setup, collect("5000", { receivedOn: "2010-03-10" }));
    const collection = ledger.events.at(-1) as JournalEvent;
    const openedOn = ledger.state.book?.openedOn as string;
    expect(refused(ledger, reverse(collection.seq, "2009-12-31"))).toMatchObject({
      code: "before-book-opened",
      openedOn,
    });
  });
});

describe("a returned payout", () => {
  it("brings the money back to the fund and frees the student's cap; the payout stays in the journal", () => {
    const ledger = given(...setup, collect("10000"));
    const payout = recordedOne(ledger, grant("2000"));
    const decision = decideOn(ledger, giveBack(payout.seq));
    if (!decision.ok) throw new Error(decision.error.code);
    expect(decision.value.writes).toContainEqual({
      ref: `undo/${payout.seq}`,
      value: expect.objectContaining({ seq: payout.seq, undoneBy: "returned" }),
    });
    const returned = recordedOne(ledger, giveBack(payout.seq));
    expect(returned).toMatchObject({
      type: "PayoutReturned",
      occurredOn: "2010-09-03",
      payload: {
        entrySeq: payout.seq,
        entryOccurredOn: "2010-08-25",
        reason: "银行退回：账户已销户",
        programId: "golden-autumn",
        beneficiaryId: "st-yang-xiaohong",
        amount: "2000.00",
        postings: [
          { account: "fund:student-aid", amount: "2000.00" },
          { account: "beneficiary:st-yang-xiaohong", amount: "-2000.00" },
        ],
      },
    });
    expect(ledger.entry(payout.seq)).toEqual(payout);
    expect(balance(ledger, "student-aid")).toBe(1_000_000n);
    expect(ledger.state.programs["golden-autumn"]?.paid).toBe(0n);
    expect(recordOf(ledger, "st-yang-xiaohong")?.totals["golden-autumn|2010"]).toEqual({ count: 0, amount: "0" });
    recordedOne(ledger, grant("2000", "2010-09-06"));
  });

  it("only a payout can be returned", () => {
    const ledger = given(...setup, collect("10000"));
    const collection = ledger.events.at(-1) as JournalEvent;
    expect(refused(ledger, giveBack(collection.seq))).toMatchObject({
      code: "entry-not-reversible",
      seq: collection.seq,
      entryType: "CollectionRecorded",
    });
    expect(refused(ledger, giveBack(999))).toMatchObject({ code: "entry-not-found", seq: 999 });
  });

  it("refuses a return dated before the payout; the same day is allowed", () => {
    const ledger = given(...setup, collect("10000"));
    const payout = recordedOne(ledger, grant("2000"));
    expect(refused(ledger, giveBack(payout.seq, "2010-08-24"))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-08-25",
      to: "2010-08-24",
    });
    recordedOne(ledger, giveBack(payout.seq, "2010-08-25"));
  });

  it("refuses a return dated in a closed period or after today", () => {
    const ledger = given(...setup, collect("10000"));
    const payout = recordedOne(ledger, grant("2000"));
    closePeriod(ledger, "2010-09");
    expect(refused(ledger, giveBack(payout.seq, "2010-09-03"))).toMatchObject({ code: "period-closed" });
    expect(refused(ledger, giveBack(payout.seq, "2011-01-03"))).toMatchObject({ code: "future-date" });
    recordedOne(ledger, giveBack(payout.seq, "2010-10-08"));
  });

  it("shares one undo mark with reversal: a returned payout cannot be reversed, nor a reversed one returned", () => {
    const ledger = given(...setup, collect("10000"));
    const first = recordedOne(ledger, grant("2000"));
    recordedOne(ledger, giveBack(first.seq));
    expect(refused(ledger, reverse(first.seq))).toMatchObject({ code: "entry-already-undone", seq: first.seq });
    expect(refused(ledger, giveBack(first.seq, "2010-09-04"))).toMatchObject({ code: "entry-already-undone" });

    const second = recordedOne(ledger, grant("2000", "2010-09-06"));
    recordedOne(ledger, reverse(second.seq));
    expect(refused(ledger, giveBack(second.seq, "2010-09-07"))).toMatchObject({
      code: "entry-already-undone",
      seq: second.seq,
    });
    // Each payout was undone exactly once: the fund holds what it collected.
    expect(balance(ledger, "student-aid")).toBe(1_000_000n);
  });
});
