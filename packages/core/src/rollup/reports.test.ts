import { describe, expect, it } from "vitest";
import { namesOf, quarterRollups } from "./quarter.test-support.ts";
import {
  auditActivity,
  collectionsReport,
  divideRounded,
  fundsReport,
  type Names,
  percent,
  programmesReport,
} from "./reports.ts";

// Range reports over the monthly rollups of the Bazhou book's first quarter of 2010
// (quarter.test-support.ts lists every entry; rollup.test.ts checks each month's rollup). Every
// figure below is worked out by hand from those months.

/** The quarter's months and the book's names; `shuffled` is the months as a caller might pass them. */
const quarterly = () => {
  const { ledger, january, february, march } = quarterRollups();
  const [months, shuffled] = [
    [january, february, march],
    [march, january, february],
  ];
  return { names: namesOf(ledger), months, shuffled, january, february, march };
};
const noNames: Names = { funds: {}, programs: {}, units: {} };

describe("the programmes report", () => {
  it("nets each programme's payments of reversals and returns, in amount and in person-times", () => {
    const { names, shuffled } = quarterly();
    expect(programmesReport(shuffled, "CNY", names)).toEqual([
      {
        programId: "flood-relief",
        name: "洪灾救助",
        fundId: "general",
        // Paid 500.00 (Jan) + 700.00 + 300.00 (Mar); li's January 500.00 reversed in March.
        amount: "1000.00",
        personTimes: 2,
        // li in January; li and wang in March.
        distinctBeneficiaries: 2,
        averagePerPayout: "500.00",
        budget: "5000.00",
        executionPercent: "20.00",
        gross: { amount: "1500.00", payments: 3 },
        reversed: { count: 1, amount: "500.00" },
        returned: { count: 0, amount: "0.00" },
      },
      {
        // Opened with a budget, never paid: listed, with nothing to average.
        programId: "student-grants",
        name: "金秋助学",
        fundId: "general",
        amount: "0.00",
        personTimes: 0,
        distinctBeneficiaries: 0,
        averagePerPayout: null,
        budget: "2000.00",
        executionPercent: "0.00",
        gross: { amount: "0.00", payments: 0 },
        reversed: { count: 0, amount: "0.00" },
        returned: { count: 0, amount: "0.00" },
      },
      {
        programId: "winter-warmth",
        name: "送温暖",
        fundId: "warmth",
        // Paid 800.00 + 600.00 (Jan) + 700.00 + 900.00 (Feb) = 3000.00 in 4 payments; zhao's
        // 700.00 reversed, wang's 600.00 and li's 900.00 returned: 800.00 in 1 payment.
        amount: "800.00",
        personTimes: 1,
        // li, wang (Jan); li, zhao (Feb): three people, not four.
        distinctBeneficiaries: 3,
        averagePerPayout: "800.00",
        budget: null,
        executionPercent: null,
        gross: { amount: "3000.00", payments: 4 },
        reversed: { count: 1, amount: "700.00" },
        returned: { count: 2, amount: "1500.00" },
      },
    ]);
  });

  it("counts a beneficiary paid in two months once, and one paid in none of the range not at all", () => {
    const { names, january, february, march } = quarterly();
    const [line] = programmesReport([january, february], "CNY", names).filter((l) => l.programId === "winter-warmth");
    // li, wang in January and li, zhao in February; 3000.00 − 700.00 − 600.00 over 4 − 1 − 1 payments.
    expect(line).toMatchObject({
      distinctBeneficiaries: 3,
      amount: "1700.00",
      personTimes: 2,
      averagePerPayout: "850.00",
    });
    const [marchOnly] = programmesReport([march], "CNY", names).filter((l) => l.programId === "winter-warmth");
    // In March the programme only had a payment returned: no one paid, and a negative net.
    expect(marchOnly).toMatchObject({
      distinctBeneficiaries: 0,
      amount: "-900.00",
      personTimes: -1,
      averagePerPayout: null,
    });
  });

  it("names a programme the book no longer knows by its id, with its fund from the rollups", () => {
    const { february } = quarterly();
    expect(programmesReport([february], "CNY", noNames)).toEqual([
      {
        programId: "winter-warmth",
        name: "winter-warmth",
        fundId: "warmth",
        // 1600.00 − 700.00 − 600.00, over 2 − 1 − 1 payments.
        amount: "300.00",
        personTimes: 0,
        distinctBeneficiaries: 2,
        averagePerPayout: null,
        budget: null,
        executionPercent: null,
        gross: { amount: "1600.00", payments: 2 },
        reversed: { count: 1, amount: "700.00" },
        returned: { count: 1, amount: "600.00" },
      },
    ]);
  });

  it("lists every programme of the book even over no months", () => {
    const { names } = quarterly();
    expect(programmesReport([], "CNY", names).map((line) => [line.programId, line.fundId, line.amount])).toEqual([
      ["flood-relief", "general", "0.00"],
      ["student-grants", "general", "0.00"],
      ["winter-warmth", "warmth", "0.00"],
    ]);
  });
});

describe("percent", () => {
  it("gives a share with two decimals", () => {
    expect(percent(100_000n, 500_000n)).toBe("20.00");
    expect(percent(1n, 8n)).toBe("12.50");
    expect(percent(0n, 7n)).toBe("0.00");
    expect(percent(3n, 2n)).toBe("150.00");
    expect(percent(7n, 7n)).toBe("100.00");
  });

  it("rounds the second decimal half up", () => {
    expect(percent(1n, 3n)).toBe("33.33");
    expect(percent(2n, 3n)).toBe("66.67");
    // 1/1600 is 0.0625 %; 1/20000 is exactly 0.005 %, 1/20001 just under it.
    expect(percent(1n, 1600n)).toBe("0.06");
    expect(percent(1n, 20_000n)).toBe("0.01");
    expect(percent(1n, 20_001n)).toBe("0.00");
    // 12345/100000 is 12.345 %.
    expect(percent(12_345n, 100_000n)).toBe("12.35");
  });

  it("rounds a negative share as its size, away from zero (a range that reversed more than it paid)", () => {
    expect(percent(-1n, 4n)).toBe("-25.00");
    expect(percent(-90_000n, 500_000n)).toBe("-18.00");
    expect(percent(-1n, 3n)).toBe("-33.33");
    expect(percent(-2n, 3n)).toBe("-66.67");
    expect(percent(-1n, 20_000n)).toBe("-0.01");
    expect(percent(-1n, 20_001n)).toBe("0.00");
  });
});

describe("divideRounded", () => {
  it("rounds to the nearest integer, halves away from zero, whatever the signs", () => {
    expect([divideRounded(7n, 2n), divideRounded(-7n, 2n), divideRounded(7n, -2n), divideRounded(-7n, -2n)]).toEqual([
      4n,
      -4n,
      -4n,
      4n,
    ]);
    expect([divideRounded(10n, 3n), divideRounded(-10n, 3n), divideRounded(11n, 3n), divideRounded(0n, 5n)]).toEqual([
      3n,
      -3n,
      4n,
      0n,
    ]);
  });
});

describe("the funds report", () => {
  it("opens each fund at its first month's opening, closes it at the last month's closing, and sums the rest", () => {
    const { names, shuffled } = quarterly();
    expect(fundsReport(shuffled, "CNY", names)).toEqual([
      {
        fundId: "emergency",
        name: "应急救助资金",
        opening: "0.00",
        collections: { government: "2000.00" },
        collected: "2000.00",
        payouts: {},
        paidOut: "0.00",
        transfersIn: "0.00",
        transfersOut: "0.00",
        returns: "0.00",
        reversals: "0.00",
        closing: "2000.00",
        reserved: "0.00",
        available: "2000.00",
      },
      {
        // 0.00 + 3600.00 − 1500.00 − 1000.00 + 1500.00 = 2600.00.
        fundId: "general",
        name: "工会经费",
        opening: "0.00",
        collections: { allocation: "400.00", donation: "200.00", dues: "3000.00" },
        collected: "3600.00",
        payouts: { "flood-relief": "1500.00" },
        paidOut: "1500.00",
        transfersIn: "0.00",
        transfersOut: "1000.00",
        returns: "0.00",
        reversals: "1500.00",
        closing: "2600.00",
        reserved: "0.00",
        available: "2600.00",
      },
      {
        // 0.00 + 12500.50 − 3000.00 + 1000.00 + 1500.00 − 300.00 = 11700.50.
        fundId: "warmth",
        name: "送温暖资金",
        opening: "0.00",
        collections: { dues: "2500.50", "upper-subsidy": "10000.00" },
        collected: "12500.50",
        payouts: { "winter-warmth": "3000.00" },
        paidOut: "3000.00",
        transfersIn: "1000.00",
        transfersOut: "0.00",
        returns: "1500.00",
        reversals: "-300.00",
        closing: "11700.50",
        reserved: "0.00",
        available: "11700.50",
      },
    ]);
  });

  it("opens a range that starts after the book's first month at that month's opening", () => {
    const { names, february, march } = quarterly();
    const lines = fundsReport([march, february], "CNY", names);
    expect(lines.map((line) => [line.fundId, line.opening, line.closing])).toEqual([
      ["emergency", "0.00", "2000.00"],
      ["general", "1500.00", "2600.00"],
      ["warmth", "12100.50", "11700.50"],
    ]);
    // February's and March's movements only: no January dues, no January transfer.
    expect(lines[1]).toMatchObject({
      collections: { allocation: "400.00", donation: "200.00" },
      collected: "600.00",
      transfersOut: "0.00",
      reversals: "1500.00",
    });
  });

  it("lists the funds and their collections in sorted order, and names an unknown fund by its id", () => {
    const { months } = quarterly();
    const lines = fundsReport(months, "CNY", noNames);
    // emergency first appeared in February, after general and warmth.
    expect(lines.map((line) => [line.fundId, line.name])).toEqual([
      ["emergency", "emergency"],
      ["general", "general"],
      ["warmth", "warmth"],
    ]);
    // general met dues in January, donation in February, allocation in March.
    expect(Object.keys(lines[1]?.collections ?? {})).toEqual(["allocation", "donation", "dues"]);
  });

  it("has no fund over no months", () => {
    const { names } = quarterly();
    expect(fundsReport([], "CNY", names)).toEqual([]);
  });
});

describe("the collections report", () => {
  it("totals the range's collections by source and by payer unit, the unit-less ones first", () => {
    const { names, shuffled } = quarterly();
    expect(collectionsReport(shuffled, "CNY", names)).toEqual({
      // 10000.00 + 2500.50 + 3000.00 + 200.00 + 2000.00 + 400.00.
      total: "18100.50",
      bySource: {
        allocation: "400.00",
        donation: "200.00",
        dues: "5500.50",
        government: "2000.00",
        "upper-subsidy": "10000.00",
      },
      byUnit: [
        // The upper-level subsidy (Jan) and the government grant (Feb) came from no unit.
        { unitId: null, name: null, amount: "12000.00" },
        { unitId: "auto-parts", name: "汽配厂", amount: "200.00" },
        { unitId: "machinery-union", name: "机械厂工会", amount: "3000.00" },
        // 2500.50 dues in January, 400.00 allocation in March.
        { unitId: "zhongxin-textile", name: "中兴纺织厂", amount: "2900.50" },
      ],
    });
  });

  it("writes the sources in sorted order and names an unknown unit by its id", () => {
    const { months } = quarterly();
    const report = collectionsReport(months, "CNY", noNames);
    expect(Object.keys(report.bySource)).toEqual(["allocation", "donation", "dues", "government", "upper-subsidy"]);
    expect(report.byUnit.map((line) => [line.unitId, line.name])).toEqual([
      [null, null],
      ["auto-parts", "auto-parts"],
      ["machinery-union", "machinery-union"],
      ["zhongxin-textile", "zhongxin-textile"],
    ]);
  });

  it("totals nothing over no months", () => {
    const { names } = quarterly();
    expect(collectionsReport([], "CNY", names)).toEqual({ total: "0.00", bySource: {}, byUnit: [] });
  });
});

describe("the audit activity", () => {
  it("adds up the months' audits, findings, resolutions and amounts", () => {
    const { shuffled } = quarterly();
    expect(auditActivity(shuffled, "CNY")).toEqual({
      auditsStarted: 3,
      auditsCompleted: ["a-machinery-2010", "a-textile-2009", "a-textile-2010"],
      findingsOpened: 4,
      findingsByCategory: { "banned-payment-form": 1, "incomplete-vouchers": 2, "over-standard": 1 },
      // f-3 (Feb) and f-4 (Mar) were both low.
      findingsBySeverity: { high: 1, low: 2, medium: 1 },
      findingsResolved: { closed: 1, waived: 1 },
      // 1200.00 + 350.50 (Feb) + 100.00 (Mar).
      amountInQuestion: "1650.50",
      amountRecovered: "350.25",
      amountReclassified: "900.00",
    });
  });

  it("lists completed audits and categories in sorted order across months", () => {
    const { february, march } = quarterly();
    const activity = auditActivity([february, march], "CNY");
    // a-textile-2010 was completed in February, the other two in March.
    expect(activity.auditsCompleted).toEqual(["a-machinery-2010", "a-textile-2009", "a-textile-2010"]);
    // banned-payment-form first came up in March.
    expect(Object.keys(activity.findingsByCategory)).toEqual([
      "banned-payment-form",
      "incomplete-vouchers",
      "over-standard",
    ]);
  });

  it("reports no activity over no months", () => {
    expect(auditActivity([], "CNY")).toEqual({
      auditsStarted: 0,
      auditsCompleted: [],
      findingsOpened: 0,
      findingsByCategory: {},
      findingsBySeverity: {},
      findingsResolved: {},
      amountInQuestion: "0.00",
      amountRecovered: "0.00",
      amountReclassified: "0.00",
    });
  });
});
