import { describe, expect, it } from "vitest";
import { given, openBook, textileMill } from "../ledger/scenario.test-support.ts";
import { entryAt, eventsOf, foldOf, quarterRollups } from "./quarter.test-support.ts";
import { closingBalances, createRollupFold, openingBalances } from "./rollup.ts";

// The monthly rollup of the Bazhou book's first quarter of 2010 (quarter.test-support.ts lists
// every entry with its seq). Every figure below is worked out by hand from that list.

const nothingUndone = { count: 0, amount: "0.00" };
const noAudit = {
  auditsStarted: 0,
  auditsCompleted: [],
  findingsOpened: 0,
  findingsByCategory: {},
  findingsBySeverity: {},
  findingsResolved: {},
  amountInQuestion: "0.00",
  amountRecovered: "0.00",
  amountReclassified: "0.00",
};
const still = (balance: string) => ({
  opening: balance,
  collections: {},
  payouts: {},
  transfersIn: "0.00",
  transfersOut: "0.00",
  returns: "0.00",
  reversals: "0.00",
  closing: balance,
});

describe("the fixture", () => {
  it("records the quarter's entries under the seqs and dates its description gives", () => {
    const { ledger } = quarterRollups();
    const at = (seq: number) => {
      const event = ledger.entry(seq);
      return [event?.type, event?.occurredOn];
    };
    expect(ledger.events).toHaveLength(51);
    expect(at(21)).toEqual(["TransferRecorded", "2010-01-31"]);
    expect(at(22)).toEqual(["UnitAdded", "2010-02-01"]);
    expect(at(27)).toEqual(["PayoutReturned", "2010-02-05"]);
    expect(at(30)).toEqual(["EntryReversed", "2010-02-15"]);
    expect(at(37)).toEqual(["AuditCompleted", "2010-02-28"]);
    expect(at(39)).toEqual(["PayoutReturned", "2010-03-03"]);
    expect(at(43)).toEqual(["EntryReversed", "2010-03-10"]);
    expect(at(51)).toEqual(["CollectionRecorded", "2010-03-31"]);
  });
});

describe("a month's rollup", () => {
  it("folds January in full: every fund from a zero opening, every programme, collection and count", () => {
    const { january } = quarterRollups();
    expect(january).toEqual({
      book: "bazhou",
      period: "2010-01",
      currency: "CNY",
      // The registry's 14 events count as much as the 7 money entries.
      events: 21,
      firstSeq: 1,
      lastSeq: 21,
      funds: {
        // 3000.00 in, 500.00 paid out, 1000.00 transferred to warmth.
        general: {
          opening: "0.00",
          collections: { dues: "3000.00" },
          payouts: { "flood-relief": "500.00" },
          transfersIn: "0.00",
          transfersOut: "1000.00",
          returns: "0.00",
          reversals: "0.00",
          closing: "1500.00",
        },
        // 10000.00 + 2500.50 in, 800.00 + 600.00 paid out, 1000.00 from general.
        warmth: {
          opening: "0.00",
          collections: { dues: "2500.50", "upper-subsidy": "10000.00" },
          payouts: { "winter-warmth": "1400.00" },
          transfersIn: "1000.00",
          transfersOut: "0.00",
          returns: "0.00",
          reversals: "0.00",
          closing: "12100.50",
        },
      },
      programs: {
        "flood-relief": {
          fundId: "general",
          paid: "500.00",
          payments: 1,
          beneficiaries: ["hh-li"],
          reversed: nothingUndone,
          returned: nothingUndone,
        },
        "winter-warmth": {
          fundId: "warmth",
          paid: "1400.00",
          payments: 2,
          beneficiaries: ["hh-li", "hh-wang"],
          reversed: nothingUndone,
          returned: nothingUndone,
        },
      },
      collections: {
        bySource: { dues: "5500.50", "upper-subsidy": "10000.00" },
        // A collection with no payer unit is counted under "".
        byUnit: { "": "10000.00", "machinery-union": "3000.00", "zhongxin-textile": "2500.50" },
      },
      audit: noAudit,
      corrections: [],
    });
  });

  it("opens each fund at the month before's closing and closes it at opening plus what moved", () => {
    const { february } = quarterRollups();
    expect(february.funds).toEqual({
      // Opened this month: it was in no opening, so it starts at zero.
      emergency: {
        opening: "0.00",
        collections: { government: "2000.00" },
        payouts: {},
        transfersIn: "0.00",
        transfersOut: "0.00",
        returns: "0.00",
        reversals: "0.00",
        closing: "2000.00",
      },
      // 1500.00 + 200.00 donated + 1000.00 back from the reversed transfer.
      general: {
        opening: "1500.00",
        collections: { donation: "200.00" },
        payouts: {},
        transfersIn: "0.00",
        transfersOut: "0.00",
        returns: "0.00",
        reversals: "1000.00",
        closing: "2700.00",
      },
      // 12100.50 − 700.00 − 900.00 paid + 600.00 returned + 700.00 (zhao's reversal) − 1000.00
      // (the transfer's reversal): the two reversals net to −300.00.
      warmth: {
        opening: "12100.50",
        collections: {},
        payouts: { "winter-warmth": "1600.00" },
        transfersIn: "0.00",
        transfersOut: "0.00",
        returns: "600.00",
        reversals: "-300.00",
        closing: "10800.50",
      },
    });
  });

  it("keeps a fund that nothing touched this month, at its opening", () => {
    const { march } = quarterRollups();
    expect(march.funds.emergency).toEqual(still("2000.00"));
  });

  it("counts each programme's gross payments and who received them, and what was undone apart", () => {
    const { february } = quarterRollups();
    expect(february.programs).toEqual({
      "winter-warmth": {
        fundId: "warmth",
        // zhao 700.00 and li 900.00: gross, though zhao's was reversed the same month.
        paid: "1600.00",
        payments: 2,
        beneficiaries: ["hh-li", "hh-zhao"],
        reversed: { count: 1, amount: "700.00" },
        returned: { count: 1, amount: "600.00" },
      },
    });
  });

  it("folds a reversal or return in the month it was recorded, not the month of the entry it undoes", () => {
    const { january, march } = quarterRollups();
    // li's February payout came back in March; wang's January payout in February.
    expect(march.programs["winter-warmth"]).toEqual({
      fundId: "warmth",
      paid: "0.00",
      payments: 0,
      beneficiaries: [],
      reversed: nothingUndone,
      returned: { count: 1, amount: "900.00" },
    });
    expect(march.funds.warmth).toMatchObject({ opening: "10800.50", returns: "900.00", closing: "11700.50" });
    expect(january.programs["winter-warmth"]?.returned).toEqual(nothingUndone);
    // li's January flood-relief payout, reversed in March, beside March's two payments.
    expect(march.programs["flood-relief"]).toEqual({
      fundId: "general",
      paid: "1000.00",
      payments: 2,
      beneficiaries: ["hh-li", "hh-wang"],
      reversed: { count: 1, amount: "500.00" },
      returned: nothingUndone,
    });
    // 2700.00 + 400.00 − 700.00 − 300.00 + 500.00.
    expect(march.funds.general).toEqual({
      opening: "2700.00",
      collections: { allocation: "400.00" },
      payouts: { "flood-relief": "1000.00" },
      transfersIn: "0.00",
      transfersOut: "0.00",
      returns: "0.00",
      reversals: "500.00",
      closing: "2600.00",
    });
  });

  it("lists as corrections the undos of an earlier month's entries, in seq order, and not a same-month undo", () => {
    const { february, march } = quarterRollups();
    // zhao's payout [26] was reversed [28] in its own month: no correction.
    expect(february.corrections).toEqual([
      { seq: 27, type: "PayoutReturned", entrySeq: 19, entryOccurredOn: "2010-01-21", amount: "600.00" },
      { seq: 30, type: "EntryReversed", entrySeq: 21, entryOccurredOn: "2010-01-31", amount: "1000.00" },
    ]);
    expect(march.corrections).toEqual([
      { seq: 39, type: "PayoutReturned", entrySeq: 29, entryOccurredOn: "2010-02-12", amount: "900.00" },
      { seq: 43, type: "EntryReversed", entrySeq: 20, entryOccurredOn: "2010-01-25", amount: "500.00" },
    ]);
  });

  it("takes a programme's fund from the postings of an undo when the programme paid nothing that month", () => {
    const { ledger } = quarterRollups();
    const only = createRollupFold("bazhou", "2010-03", "CNY", {});
    only.add(entryAt(ledger, 39));
    expect(only.result().programs).toEqual({
      "winter-warmth": {
        fundId: "warmth",
        paid: "0.00",
        payments: 0,
        beneficiaries: [],
        reversed: nothingUndone,
        returned: { count: 1, amount: "900.00" },
      },
    });
  });

  it("counts collections by source and by payer unit across funds", () => {
    const { february, march } = quarterRollups();
    expect(february.collections).toEqual({
      bySource: { donation: "200.00", government: "2000.00" },
      byUnit: { "": "2000.00", "auto-parts": "200.00" },
    });
    expect(march.collections).toEqual({ bySource: { allocation: "400.00" }, byUnit: { "zhongxin-textile": "400.00" } });
  });

  it("counts the month's audit work: audits, findings by kind, resolutions and amounts", () => {
    const { february, march } = quarterRollups();
    expect(february.audit).toEqual({
      auditsStarted: 2,
      auditsCompleted: ["a-textile-2010"],
      findingsOpened: 3,
      findingsByCategory: { "incomplete-vouchers": 2, "over-standard": 1 },
      findingsBySeverity: { high: 1, low: 1, medium: 1 },
      findingsResolved: {},
      // 1200.00 + 350.50; f-3 named no amount.
      amountInQuestion: "1550.50",
      amountRecovered: "0.00",
      amountReclassified: "0.00",
    });
    expect(march.audit).toEqual({
      auditsStarted: 1,
      auditsCompleted: ["a-machinery-2010", "a-textile-2009"],
      findingsOpened: 1,
      findingsByCategory: { "banned-payment-form": 1 },
      findingsBySeverity: { low: 1 },
      findingsResolved: { closed: 1, waived: 1 },
      amountInQuestion: "100.00",
      // 300.00 + 50.25; only f-1's evidence reclassified anything.
      amountRecovered: "350.25",
      amountReclassified: "900.00",
    });
  });

  it("counts every event of the month and names its first and last seq", () => {
    const { february, march } = quarterRollups();
    expect([february.events, february.firstSeq, february.lastSeq]).toEqual([16, 22, 37]);
    expect([march.events, march.firstSeq, march.lastSeq]).toEqual([14, 38, 51]);
  });

  it("writes every record's keys and every list in sorted order, whatever order the events came in", () => {
    const { january, february, march } = quarterRollups();
    // January met warmth before general, winter-warmth before flood-relief, upper-subsidy before
    // dues, and the units "", zhongxin-textile, machinery-union in that order.
    expect(Object.keys(january.funds)).toEqual(["general", "warmth"]);
    expect(Object.keys(january.programs)).toEqual(["flood-relief", "winter-warmth"]);
    expect(Object.keys(january.funds.warmth?.collections ?? {})).toEqual(["dues", "upper-subsidy"]);
    expect(Object.keys(january.collections.bySource)).toEqual(["dues", "upper-subsidy"]);
    expect(Object.keys(january.collections.byUnit)).toEqual(["", "machinery-union", "zhongxin-textile"]);
    // February met general, then emergency, then warmth; the findings medium, high, low.
    expect(Object.keys(february.funds)).toEqual(["emergency", "general", "warmth"]);
    expect(Object.keys(february.audit.findingsBySeverity)).toEqual(["high", "low", "medium"]);
    // March paid wang before li, and completed a-textile-2009 before a-machinery-2010.
    expect(march.programs["flood-relief"]?.beneficiaries).toEqual(["hh-li", "hh-wang"]);
    expect(march.audit.auditsCompleted).toEqual(["a-machinery-2010", "a-textile-2009"]);
  });

  it("counts a finding and its evidence, and no amount where they name none", () => {
    const ledger = given(
      openBook,
      textileMill,
      {
        type: "start-audit",
        auditId: "a-textile",
        unitId: "zhongxin-textile",
        period: { from: "2009-01-01", to: "2009-12-31" },
        scope: "2009年度经费审计",
        startedOn: "2010-04-01",
      },
      {
        type: "record-finding",
        findingId: "f-1",
        auditId: "a-textile",
        unitId: "zhongxin-textile",
        category: "missing-receipt",
        severity: "low",
        description: "缺少收据",
        recordedOn: "2010-04-02",
      },
      { type: "submit-rectification-plan", findingId: "f-1", note: "补收据", submittedOn: "2010-04-03" },
      { type: "submit-rectification-evidence", findingId: "f-1", note: "已补收据", submittedOn: "2010-04-05" },
    );
    expect(foldOf(ledger, "2010-04").audit).toEqual({
      ...noAudit,
      auditsStarted: 1,
      findingsOpened: 1,
      findingsByCategory: { "missing-receipt": 1 },
      findingsBySeverity: { low: 1 },
    });
  });

  it("carries every fund's balance through a month with no entries", () => {
    const { march } = quarterRollups();
    const april = createRollupFold("bazhou", "2010-04", "CNY", closingBalances(march)).result();
    expect(april).toEqual({
      book: "bazhou",
      period: "2010-04",
      currency: "CNY",
      events: 0,
      firstSeq: null,
      lastSeq: null,
      funds: { emergency: still("2000.00"), general: still("2600.00"), warmth: still("11700.50") },
      programs: {},
      collections: { bySource: {}, byUnit: {} },
      audit: noAudit,
      corrections: [],
    });
  });

  it("refuses an event dated outside its month, on either side", () => {
    const { ledger } = quarterRollups();
    const fold = createRollupFold("bazhou", "2010-01", "CNY", {});
    expect(() => fold.add(entryAt(ledger, 23))).toThrow("event 23 is dated 2010-02-01, not in 2010-01");
    const next = createRollupFold("bazhou", "2010-02", "CNY", {});
    expect(() => next.add(entryAt(ledger, 21))).toThrow("event 21 is dated 2010-01-31, not in 2010-02");
  });

  it("gives the same rollup however often a month is folded", () => {
    const { ledger, january, february } = quarterRollups();
    expect(foldOf(ledger, "2010-02", closingBalances(january))).toEqual(february);
    expect(eventsOf(ledger, "2010-02")).toHaveLength(february.events);
  });
});

describe("balances of a rollup", () => {
  it("reads each fund's closing as minor units, the next month's opening", () => {
    const { january, february } = quarterRollups();
    expect(closingBalances(january)).toEqual({ general: 150_000n, warmth: 1_210_050n });
    expect(closingBalances(february)).toEqual({ emergency: 200_000n, general: 270_000n, warmth: 1_080_050n });
  });

  it("reads each fund's opening as minor units", () => {
    const { january, march } = quarterRollups();
    expect(openingBalances(january)).toEqual({ general: 0n, warmth: 0n });
    expect(openingBalances(march)).toEqual({ emergency: 200_000n, general: 270_000n, warmth: 1_080_050n });
  });
});
