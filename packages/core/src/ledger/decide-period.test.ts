import { describe, expect, it } from "vitest";
import { createRollupFold, type Rollup, rollupHash } from "../rollup/rollup.ts";
import type { Command } from "./commands.ts";
import { nextToClose } from "./decide-period.ts";
import { MemoryLedger } from "./memory-ledger.ts";
import {
  acceptable,
  accepted,
  BOOK,
  decideOn,
  given,
  openBook,
  recorded,
  recordedOne,
  refused,
  warmthFund,
} from "./scenario.test-support.ts";

// Given a book with entries, when the monthly job closes a month with its rollup, then
// PeriodClosed and the stored rollup, or why the month cannot close yet.

const collect = (receivedOn: string, amount = "1000"): Command => ({
  type: "record-collection",
  fundId: "warmth",
  source: "upper-subsidy",
  amount,
  receivedOn,
});

// seq 1 BookOpened (2010-01-01), 2 FundOpened (01-04), 3 a collection (01-10), 4 a collection (02-05).
const setup = (): MemoryLedger => given(openBook, warmthFund, collect("2010-01-10"), collect("2010-02-05"));

/** The rollup the monthly job folds from the month's entries as the ledger holds them now. */
const rollupOf = (ledger: MemoryLedger, period: string): Rollup => {
  const fold = createRollupFold(BOOK, period, "CNY", {});
  for (const event of ledger.events) {
    if (event.type !== "PeriodClosed" && event.occurredOn.startsWith(period)) fold.add(event);
  }
  return fold.result();
};

const close = (period: string, rollup: Rollup): Command => ({ type: "close-period", period, rollup });

describe("closing a month", () => {
  it("closes the book's first month with the rollup of its three entries, and stores the rollup", () => {
    const ledger = setup();
    const rollup = rollupOf(ledger, "2010-01");
    expect(rollup).toMatchObject({ period: "2010-01", events: 3, firstSeq: 1, lastSeq: 3 });
    const decision = accepted(decideOn(ledger, close("2010-01", rollup)));
    expect(decision.writes).toEqual([{ ref: "rollup/2010-01", value: rollup }]);
    expect(decision.claims).toEqual([]);
    expect(recordedOne(ledger, close("2010-01", rollup))).toMatchObject({
      type: "PeriodClosed",
      seq: 5,
      occurredOn: "2010-01-31",
      // lastSeq is the journal's head when the month closed: four entries, February's included.
      payload: { period: "2010-01", rollupHash: rollupHash(rollup), lastSeq: 4 },
    });
    expect(ledger.state.closedThrough).toBe("2010-01");
  });

  it("forgets the closed month's count and does not count PeriodClosed in any month", () => {
    const ledger = setup();
    expect(ledger.state.openMonths).toEqual({
      "2010-01": { firstSeq: 1, lastSeq: 3, count: 3 },
      "2010-02": { firstSeq: 4, lastSeq: 4, count: 1 },
    });
    recorded(ledger, close("2010-01", rollupOf(ledger, "2010-01")));
    expect(ledger.state.openMonths).toEqual({ "2010-02": { firstSeq: 4, lastSeq: 4, count: 1 } });
    expect(ledger.state.firstMonth).toBe("2010-01");
  });

  it("refuses an entry dated in the closed month and names the month; the next day is open", () => {
    const ledger = setup();
    recorded(ledger, close("2010-01", rollupOf(ledger, "2010-01")));
    expect(refused(ledger, collect("2010-01-31"))).toMatchObject({
      code: "period-closed",
      on: "2010-01-31",
      closedThrough: "2010-01",
    });
    recordedOne(ledger, collect("2010-02-01"));
    expect(ledger.state.funds.warmth?.balance).toBe(300_000n);
  });

  it("closes months in order: refuses a later or an earlier month, naming the next to close", () => {
    const ledger = setup();
    expect(refused(ledger, close("2010-02", rollupOf(ledger, "2010-02")))).toMatchObject({
      code: "period-out-of-order",
      period: "2010-02",
      next: "2010-01",
    });
    expect(refused(ledger, close("2009-12", rollupOf(ledger, "2009-12")))).toMatchObject({
      code: "period-out-of-order",
      period: "2009-12",
      next: "2010-01",
    });
    recorded(ledger, close("2010-01", rollupOf(ledger, "2010-01")));
    expect(refused(ledger, close("2010-01", rollupOf(ledger, "2010-01")))).toMatchObject({
      code: "period-out-of-order",
      period: "2010-01",
      next: "2010-02",
    });
    recorded(ledger, close("2010-02", rollupOf(ledger, "2010-02")));
    expect(ledger.state.closedThrough).toBe("2010-02");
  });

  it("closes a month only once it is over: not on its last day, from the next day on", () => {
    const ledger = given(openBook, warmthFund, collect("2010-01-10"));
    const rollup = rollupOf(ledger, "2010-01");
    const onLastDay = decideOn(ledger, close("2010-01", rollup), "2010-01-31");
    if (onLastDay.ok) throw new Error("closed on its last day");
    expect(onLastDay.error).toMatchObject({ code: "period-not-over", period: "2010-01", today: "2010-01-31" });
    expect(onLastDay.error.message).toContain("2010-01");
    expect(acceptable(ledger, close("2010-01", rollup), "2010-02-01")).toBe(true);
  });
});

describe("a rollup that does not match the head's count of the month", () => {
  it("refuses a rollup folded before a late entry arrived, naming both counts; a fresh fold closes", () => {
    const ledger = setup();
    const early = rollupOf(ledger, "2010-01");
    recordedOne(ledger, collect("2010-01-20", "500"));
    expect(refused(ledger, close("2010-01", early))).toMatchObject({
      code: "rollup-stale",
      period: "2010-01",
      events: 3,
      recorded: 4,
    });
    const fresh = rollupOf(ledger, "2010-01");
    expect(fresh).toMatchObject({ events: 4, lastSeq: 5 });
    recordedOne(ledger, close("2010-01", fresh));
  });

  const wrong: [string, (rollup: Rollup) => Rollup, number][] = [
    ["of another month", (rollup) => ({ ...rollup, period: "2010-02" }), 3],
    ["of another book", (rollup) => ({ ...rollup, book: "tongjiang" }), 3],
    ["with one event too few", (rollup) => ({ ...rollup, events: 2 }), 2],
    ["ending at another entry", (rollup) => ({ ...rollup, lastSeq: 2 }), 3],
  ];

  it.each(wrong)("refuses a rollup %s", (_, change, events) => {
    const ledger = setup();
    expect(refused(ledger, close("2010-01", change(rollupOf(ledger, "2010-01"))))).toMatchObject({
      code: "rollup-stale",
      period: "2010-01",
      events,
      recorded: 3,
    });
  });
});

describe("heads stored before months were counted", () => {
  /** A head without firstMonth and openMonths, as stored before they existed. */
  const oldHead = (openedOn: string | undefined) => {
    const ledger = given({ ...openBook, on: "2010-03-15" });
    const { firstMonth: _first, openMonths: _open, book: opened, ...head } = ledger.state;
    if (!opened) throw new Error("no book");
    const { openedOn: _opened, ...book } = opened;
    ledger.state = { ...head, book: openedOn ? { ...book, openedOn } : book };
    return ledger;
  };
  const bookOf = (ledger: MemoryLedger) => {
    if (!ledger.state.book) throw new Error("no book");
    return ledger.state.book;
  };
  const empty = (period: string) => createRollupFold(BOOK, period, "CNY", {}).result();

  it("closes first the month the book was opened in, with a rollup of no events", () => {
    const ledger = oldHead("2010-03-15");
    expect(nextToClose(ledger.state, bookOf(ledger))).toBe("2010-03");
    // April closes only with the months before it that have no events: March's rollup comes with it.
    expect(refused(ledger, close("2010-04", empty("2010-04")))).toMatchObject({ code: "rollup-stale" });
    recordedOne(ledger, close("2010-03", empty("2010-03")));
    expect(ledger.state.closedThrough).toBe("2010-03");
    expect(ledger.state.openMonths).toEqual({});
  });

  it("with no opening date either, closes the month it is asked to", () => {
    const ledger = oldHead(undefined);
    expect(nextToClose(ledger.state, bookOf(ledger))).toBeUndefined();
    recordedOne(ledger, close("2010-05", empty("2010-05")));
    expect(ledger.state.closedThrough).toBe("2010-05");
  });
});

describe("a run of months without events, and the year's close", () => {
  const empty = (period: string, opening: Record<string, bigint> = {}) =>
    createRollupFold(BOOK, period, "CNY", opening).result();
  // Entries in January and May 2010 only.
  const quiet = () =>
    new MemoryLedger(BOOK, "2011-02-15").given(openBook, warmthFund, collect("2010-01-10"), collect("2010-05-05"));
  const withEmpty = (command: Command, months: string[]): Command =>
    ({ ...command, empty: months.map((month) => empty(month)) }) as Command;

  it("closes the months without events before a month with events under one PeriodClosed, storing each rollup", () => {
    const ledger = quiet();
    recordedOne(ledger, close("2010-01", rollupOf(ledger, "2010-01")));
    const may = withEmpty(close("2010-05", rollupOf(ledger, "2010-05")), ["2010-02", "2010-03", "2010-04"]);
    const event = recordedOne(ledger, may);
    expect(event.payload).toMatchObject({ period: "2010-05", from: "2010-02" });
    expect(ledger.state.closedThrough).toBe("2010-05");
    for (const month of ["2010-02", "2010-03", "2010-04", "2010-05"])
      expect(ledger.entities.has(`rollup/${month}`)).toBe(true);
  });

  it("refuses to close past a month with events, naming it, and a run whose empty months do not fit", () => {
    const ledger = quiet();
    expect(refused(ledger, close("2010-02", empty("2010-02")))).toMatchObject({
      code: "period-out-of-order",
      next: "2010-01",
    });
    recordedOne(ledger, close("2010-01", rollupOf(ledger, "2010-01")));
    const short = withEmpty(close("2010-05", rollupOf(ledger, "2010-05")), ["2010-03", "2010-04"]);
    expect(refused(ledger, short)).toMatchObject({ code: "rollup-stale" });
  });

  it("never runs across a December: the year closes on its own, freezing its annual report", () => {
    const ledger = quiet();
    recordedOne(ledger, close("2010-01", rollupOf(ledger, "2010-01")));
    recordedOne(ledger, withEmpty(close("2010-05", rollupOf(ledger, "2010-05")), ["2010-02", "2010-03", "2010-04"]));
    const run = ["2010-06", "2010-07", "2010-08", "2010-09", "2010-10", "2010-11"];
    // January 2011 cannot close before December 2010.
    expect(refused(ledger, withEmpty(close("2011-01", empty("2011-01")), [...run, "2010-12"]))).toMatchObject({
      code: "period-out-of-order",
      next: "2010-12",
    });
    // December closes with its annual report, and only with one.
    const december = withEmpty(close("2010-12", empty("2010-12")), run);
    expect(refused(ledger, december)).toMatchObject({ code: "annual-report-required", period: "2010-12" });
    const annual = { book: BOOK, year: "2010", funds: [] };
    const event = recordedOne(ledger, { ...december, annual } as Command);
    expect(event.payload).toMatchObject({ period: "2010-12", from: "2010-06" });
    expect(event.payload.annualReportHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ledger.entities.get("annual/2010")).toEqual(annual);
    expect(ledger.state.closedThrough).toBe("2010-12");
  });

  it("refuses an annual report with a month that is not a December", () => {
    const ledger = quiet();
    const january = { ...close("2010-01", rollupOf(ledger, "2010-01")), annual: { year: "2010" } } as Command;
    expect(refused(ledger, january)).toMatchObject({ code: "annual-report-required", period: "2010-01" });
  });

  it("records the book's close policy, from its opening or a later change", () => {
    const manual = given({ ...openBook, close: { mode: "manual" } } as Command);
    expect(manual.state.close).toEqual({ mode: "manual" });
    recordedOne(manual, { type: "set-close-policy", close: { mode: "auto", afterDays: 5 } });
    expect(manual.state.close).toEqual({ mode: "auto", afterDays: 5 });
  });
});
