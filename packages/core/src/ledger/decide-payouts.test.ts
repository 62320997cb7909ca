import { describe, expect, it } from "vitest";
import type { Command, CommandOf } from "./commands.ts";
import {
  acceptable,
  closePeriod,
  generalFund,
  given,
  hardshipFile,
  household,
  openBook,
  recorded,
  recordOf,
  refused,
  student,
  studentAidFund,
  TODAY,
  textileMill,
  warmthFund,
  winterWarmth,
} from "./scenario.test-support.ts";

// Given these commands, when this payout, then this PayoutRecorded or this error, in memory.
const setup: Command[] = [
  openBook,
  warmthFund,
  studentAidFund,
  generalFund,
  textileMill,
  winterWarmth,
  {
    type: "open-program",
    programId: "golden-autumn",
    name: "金秋助学",
    fundId: "student-aid",
    requiresHardshipFile: true,
    methods: ["bank"],
    cap: { perPayment: "3000", perBeneficiaryPerYear: { count: 1 } },
    on: "2010-07-01",
  },
  {
    type: "open-program",
    programId: "model-worker-condolence",
    name: "慰问劳模",
    fundId: "general",
    requiresHardshipFile: false,
    cap: { perBeneficiaryPerYear: { amount: "5000" } },
    on: "2010-01-04",
  },
  {
    type: "open-program",
    programId: "longmen-village-aid",
    name: "三江镇龙门村挂包帮扶",
    fundId: "general",
    budget: "3000",
    requiresHardshipFile: false,
    on: "2010-03-01",
  },
  ...(["warmth", "student-aid", "general"] as const).map(
    (fundId): Command => ({
      type: "record-collection",
      fundId,
      source: "upper-subsidy",
      amount: "50000",
      receivedOn: "2010-01-08",
    }),
  ),
  ...(
    [
      ["hh-wang-guilan", "王桂兰"],
      ["hh-li-deming", "李德明"],
      ["hh-chen-guoqiang", "陈国强"],
      ["hh-liu-shufen", "刘淑芬"],
    ] as const
  ).map(([beneficiaryId, name]) => household(beneficiaryId, name)),
  student("st-wang-xiaoyu", "王小雨", "hh-wang-guilan"),
  student("st-li-jun", "李俊", "hh-li-deming"),
  {
    type: "register-beneficiary",
    beneficiaryId: "mw-he-guangrong",
    kind: "model-worker",
    name: "何光荣",
    on: "2010-01-05",
  },
  { type: "register-beneficiary", beneficiaryId: "vh-gou-dayong", kind: "household", name: "苟大勇", on: "2010-03-02" },
  // 王桂兰's file covers the year; 陈国强's a spring and summer; 刘淑芬's was closed in August.
  hardshipFile("hh-wang-guilan"),
  hardshipFile("hh-chen-guoqiang", {
    tier: "accidental",
    cause: "工伤",
    openedOn: "2010-03-01",
    validUntil: "2010-09-30",
  }),
  hardshipFile("hh-liu-shufen", { tier: "relative", cause: "单亲，收入低" }),
  { type: "close-hardship-file", beneficiaryId: "hh-liu-shufen", closedOn: "2010-08-15", reason: "已再就业" },
];

const warmthTo = (
  beneficiaryId: string,
  amount: string,
  paidOn = "2010-12-20",
  extra: Partial<CommandOf<"record-payout">> = {},
): Command => ({
  type: "record-payout",
  programId: "winter-warmth",
  beneficiaryId,
  amount,
  paidOn,
  method: "cash",
  ...extra,
});
const grant = (beneficiaryId: string, amount: string, paidOn = "2010-08-25"): Command => ({
  type: "record-payout",
  programId: "golden-autumn",
  beneficiaryId,
  amount,
  paidOn,
  method: "bank",
});
const condolence = (amount: string, paidOn = "2010-04-28"): Command => ({
  type: "record-payout",
  programId: "model-worker-condolence",
  beneficiaryId: "mw-he-guangrong",
  amount,
  paidOn,
});

describe("a payout", () => {
  it("moves money from the programme's fund to the beneficiary as balanced postings", () => {
    const ledger = given(...setup);
    const events = recorded(
      ledger,
      warmthTo("hh-wang-guilan", "800", "2010-12-20", { reference: "送温暖-0001", memo: "春节慰问" }),
    );
    expect(events).toEqual([
      expect.objectContaining({
        type: "PayoutRecorded",
        occurredOn: "2010-12-20",
        payload: {
          programId: "winter-warmth",
          fundId: "warmth",
          beneficiaryId: "hh-wang-guilan",
          amount: "800.00",
          method: "cash",
          reference: "送温暖-0001",
          memo: "春节慰问",
          postings: [
            { account: "fund:warmth", amount: "-800.00" },
            { account: "beneficiary:hh-wang-guilan", amount: "800.00" },
          ],
        },
      }),
    ]);
  });

  it("lowers the fund, raises the programme's paid total and the beneficiary's yearly totals", () => {
    const ledger = given(...setup);
    recorded(ledger, warmthTo("hh-wang-guilan", "800"));
    recorded(ledger, warmthTo("hh-wang-guilan", "650.50", "2010-12-28"));
    expect(ledger.state.funds.warmth?.balance).toBe(5_000_000n - 145_050n);
    expect(ledger.state.programs["winter-warmth"]?.paid).toBe(145_050n);
    expect(recordOf(ledger, "hh-wang-guilan")?.totals).toEqual({
      "winter-warmth|2010": { count: 2, amount: "145050" },
    });
  });

  it("refuses a payout that would overdraw the fund, naming the fund, its balance and the amount", () => {
    const ledger = given(...setup, condolence("4000"), {
      type: "record-payout",
      programId: "longmen-village-aid",
      beneficiaryId: "vh-gou-dayong",
      amount: "1000",
      paidOn: "2010-05-10",
    });
    // The general fund now holds 45,000.00; a transfer leaves 500.00 of it.
    recorded(ledger, {
      type: "record-transfer",
      fromFundId: "general",
      toFundId: "warmth",
      amount: "44500",
      on: "2010-06-01",
    });
    // Nothing is reserved: all of the balance is available, and the message does not speak of reservations.
    expect(refused(ledger, condolence("800", "2010-06-02"))).toEqual({
      code: "fund-overdrawn",
      message: "fund general holds 500.00; the entry needs 800.00",
      fundId: "general",
      balance: "500.00",
      reserved: "0.00",
      available: "500.00",
      requested: "800.00",
    });
    recorded(ledger, condolence("500", "2010-06-02"));
    expect(ledger.state.funds.general?.balance).toBe(0n);
  });

  it("refuses a programme or beneficiary the book does not have, and amounts that are not amounts", () => {
    const ledger = given(...setup);
    expect(refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-20", { programId: "mid-autumn" }))).toMatchObject(
      {
        code: "program-not-found",
        programId: "mid-autumn",
      },
    );
    expect(refused(ledger, warmthTo("hh-zhao-jianhua", "800"))).toMatchObject({
      code: "beneficiary-not-found",
      beneficiaryId: "hh-zhao-jianhua",
    });
    for (const amount of ["0", "-800", "800.001", "8e2", "八百"]) {
      expect(refused(ledger, warmthTo("hh-wang-guilan", amount)), amount).toMatchObject({
        code: "invalid-amount",
        field: "amount",
      });
    }
  });
});

describe("hardship files gate the programmes that require them (file first, then aid)", () => {
  it("pays only on a date the beneficiary's file covers: from opening through validUntil", () => {
    const ledger = given(...setup);
    const chen = (paidOn: string) => acceptable(ledger, warmthTo("hh-chen-guoqiang", "800", paidOn));
    expect(chen("2010-02-28")).toBe("hardship-file-required");
    expect(chen("2010-03-01")).toBe(true);
    expect(chen("2010-09-30")).toBe(true);
    expect(chen("2010-10-01")).toBe("hardship-file-required");
  });

  it("pays nothing on or after the day a file was closed", () => {
    const ledger = given(...setup);
    const liu = (paidOn: string) => acceptable(ledger, warmthTo("hh-liu-shufen", "800", paidOn));
    expect(liu("2010-08-14")).toBe(true);
    expect(liu("2010-08-15")).toBe("hardship-file-required");
    expect(liu("2010-12-20")).toBe("hardship-file-required");
  });

  it("refuses a beneficiary who never had a file, naming beneficiary, programme and date", () => {
    const ledger = given(...setup);
    expect(refused(ledger, warmthTo("hh-li-deming", "800"))).toMatchObject({
      code: "hardship-file-required",
      beneficiaryId: "hh-li-deming",
      programId: "winter-warmth",
      on: "2010-12-20",
    });
  });

  it("pays a student on the household's file", () => {
    const ledger = given(...setup);
    recorded(ledger, grant("st-wang-xiaoyu", "2000"));
    expect(refused(ledger, grant("st-li-jun", "2000"))).toMatchObject({
      code: "hardship-file-required",
      beneficiaryId: "st-li-jun",
    });
  });

  it("pays anyone registered when the programme does not require a file", () => {
    const ledger = given(...setup);
    expect(recorded(ledger, condolence("3000"))).toMatchObject([{ payload: { beneficiaryId: "mw-he-guangrong" } }]);
  });
});

describe("a programme's rules", () => {
  it("refuses a method the programme does not pay by, and a payout that names none", () => {
    const ledger = given(...setup);
    const inKind = refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-20", { method: "in-kind" }));
    expect(inKind).toMatchObject({
      code: "method-not-allowed",
      programId: "winter-warmth",
      method: "in-kind",
      allowed: ["bank", "cash"],
    });
    expect(inKind.message).toContain("in-kind");
    const none = refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-20", { method: undefined }));
    expect(none).toMatchObject({ code: "method-not-allowed", method: "(none)", allowed: ["bank", "cash"] });
    // The message says which methods the programme takes, not that it does not pay by "undefined".
    expect(none.message).toContain("bank");
    expect(none.message).not.toContain("undefined");
    recorded(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-20", { method: "bank" }));
    // A programme without a method list takes any method, or none.
    recorded(ledger, { ...condolence("100"), method: "in-kind" } as Command);
    recorded(ledger, condolence("100"));
  });

  it("pays by the programme's only method when a payout names none, and refuses any other", () => {
    const ledger = given(...setup);
    const { method: _, ...unnamed } = grant("st-wang-xiaoyu", "2000") as CommandOf<"record-payout">;
    expect(recorded(ledger, unnamed)).toMatchObject([{ type: "PayoutRecorded", payload: { method: "bank" } }]);
    expect(refused(ledger, { ...unnamed, beneficiaryId: "st-li-jun", method: "cash" })).toMatchObject({
      code: "method-not-allowed",
      method: "cash",
      allowed: ["bank"],
    });
  });

  it("refuses a payment above the per-payment cap; the cap itself is allowed", () => {
    const ledger = given(...setup);
    expect(refused(ledger, warmthTo("hh-wang-guilan", "1000.01"))).toMatchObject({
      code: "cap-exceeded",
      programId: "winter-warmth",
      cap: "per-payment",
      limit: "1000.00",
    });
    recorded(ledger, warmthTo("hh-wang-guilan", "1000"));
  });

  it("student aid: one grant per student a year; a second in 2010 is refused, one in 2011 paid", () => {
    const ledger = given(...setup);
    recorded(ledger, grant("st-wang-xiaoyu", "2000"));
    expect(refused(ledger, grant("st-wang-xiaoyu", "500", "2010-09-01"))).toMatchObject({
      code: "cap-exceeded",
      programId: "golden-autumn",
      cap: "per-year-count",
      limit: "1",
    });
    ledger.setToday("2011-08-31");
    recorded(ledger, {
      type: "review-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      reviewedOn: "2010-12-20",
      validUntil: "2011-12-31",
    });
    recorded(ledger, grant("st-wang-xiaoyu", "2000", "2011-08-25"));
    expect(recordOf(ledger, "st-wang-xiaoyu")?.totals).toEqual({
      "golden-autumn|2010": { count: 1, amount: "200000" },
      "golden-autumn|2011": { count: 1, amount: "200000" },
    });
  });

  it("counts the yearly cap per programme: other programmes' payouts do not use it", () => {
    const ledger = given(...setup);
    recorded(ledger, warmthTo("hh-wang-guilan", "800"));
    recorded(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-21"));
    expect(refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-22"))).toMatchObject({
      cap: "per-year-count",
      limit: "2",
    });
    recorded(ledger, {
      type: "record-payout",
      programId: "longmen-village-aid",
      beneficiaryId: "hh-wang-guilan",
      amount: "800",
      paidOn: "2010-12-22",
    });
  });

  it("refuses what would take a beneficiary past the yearly amount cap; reaching it is allowed", () => {
    const ledger = given(...setup, condolence("3000"));
    expect(refused(ledger, condolence("2000.01", "2010-05-01"))).toMatchObject({
      code: "cap-exceeded",
      programId: "model-worker-condolence",
      cap: "per-year-amount",
      limit: "5000.00",
    });
    recorded(ledger, condolence("2000", "2010-05-01"));
    expect(recordOf(ledger, "mw-he-guangrong")?.totals["model-worker-condolence|2010"]).toEqual({
      count: 2,
      amount: "500000",
    });
  });

  it("refuses a payout beyond the programme's budget, naming budget, paid and requested", () => {
    const village = (amount: string, beneficiaryId = "vh-gou-dayong"): Command => ({
      type: "record-payout",
      programId: "longmen-village-aid",
      beneficiaryId,
      amount,
      paidOn: "2010-06-15",
    });
    const ledger = given(...setup, village("2000"));
    expect(refused(ledger, village("1500", "hh-li-deming"))).toEqual({
      code: "budget-exceeded",
      message: "programme longmen-village-aid has paid 2000.00 of its 3000.00 budget; 1500.00 would exceed it",
      programId: "longmen-village-aid",
      budget: "3000.00",
      paid: "2000.00",
      reserved: "0.00",
      requested: "1500.00",
    });
    recorded(ledger, village("1000", "hh-li-deming"));
    expect(ledger.state.programs["longmen-village-aid"]?.paid).toBe(300_000n);
  });

  it("refuses a payout in another currency than the book's", () => {
    const ledger = given(...setup);
    expect(refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-20", { currency: "USD" }))).toMatchObject({
      code: "currency-mismatch",
      currency: "USD",
      bookCurrency: "CNY",
    });
    recorded(ledger, warmthTo("hh-wang-guilan", "800", "2010-12-20", { currency: "CNY" }));
  });
});

describe("a payout's date", () => {
  it("refuses a date in a closed period; the day after it is open", () => {
    const ledger = given(...setup);
    closePeriod(ledger, "2010-06");
    expect(refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-06-30"))).toMatchObject({
      code: "period-closed",
      on: "2010-06-30",
      closedThrough: "2010-06",
    });
    expect(refused(ledger, warmthTo("hh-wang-guilan", "800", "2010-01-20"))).toMatchObject({ code: "period-closed" });
    recorded(ledger, warmthTo("hh-wang-guilan", "800", "2010-07-01"));
  });

  it("knows how long each month is when a period closes", () => {
    const ledger = given(...setup);
    closePeriod(ledger, "2010-02");
    expect(acceptable(ledger, warmthTo("hh-wang-guilan", "800", "2010-02-28"))).toBe("period-closed");
    expect(acceptable(ledger, warmthTo("hh-wang-guilan", "800", "2010-03-01"))).toBe(true);
    closePeriod(ledger, "2010-09");
    expect(acceptable(ledger, warmthTo("hh-wang-guilan", "800", "2010-09-30"))).toBe("period-closed");
    expect(acceptable(ledger, warmthTo("hh-wang-guilan", "800", "2010-10-01"))).toBe(true);
  });

  it("refuses a date after today in the book's time zone", () => {
    const ledger = given(...setup);
    expect(refused(ledger, warmthTo("hh-wang-guilan", "800", "2011-01-01"))).toMatchObject({
      code: "future-date",
      on: "2011-01-01",
      today: TODAY,
    });
    recorded(ledger, warmthTo("hh-wang-guilan", "800", TODAY));
  });
});
