import { describe, expect, it } from "vitest";
import { createRollupFold } from "../rollup/rollup.ts";
import type { Command } from "./commands.ts";
import { nextToClose } from "./decide-period.ts";
import {
  acceptable,
  given,
  hardshipFile,
  household,
  openBook,
  recorded,
  refused,
  TODAY,
  textileMill,
  warmthFund,
  winterWarmth,
} from "./scenario.test-support.ts";

// Given a book opened on 2010-01-01, no command records anything dated before that day: the first
// month to close is the book's first with an entry, and one entry dated 1900-01-01 would have the
// monthly close start in 1900.
const OPENED = "2010-01-01";
const BEFORE = "2009-12-31";

const setup = (): Command[] => [
  openBook,
  warmthFund,
  { ...warmthFund, fundId: "general", name: "工会经费", restricted: false },
  textileMill,
  winterWarmth,
  household("hh-wang-guilan", "王桂兰", { on: OPENED }),
  hardshipFile("hh-wang-guilan", { openedOn: OPENED }),
  { type: "record-collection", fundId: "warmth", source: "upper-subsidy", amount: "5000", receivedOn: OPENED },
  {
    type: "start-audit",
    auditId: "audit-textile",
    unitId: "zhongxin-textile",
    period: { from: "2009-01-01", to: "2009-12-31" },
    scope: "2009年度经费审计",
    startedOn: OPENED,
  },
  {
    type: "record-finding",
    findingId: "f-1",
    auditId: "audit-textile",
    unitId: "zhongxin-textile",
    category: "incomplete-vouchers",
    severity: "low",
    description: "慰问品发放无签收单",
    recordedOn: OPENED,
  },
  {
    type: "record-finding",
    findingId: "f-2",
    unitId: "zhongxin-textile",
    category: "incomplete-vouchers",
    severity: "low",
    description: "报销单据不全",
    recordedOn: OPENED,
  },
  { type: "submit-rectification-plan", findingId: "f-2", note: "补齐单据", submittedOn: OPENED },
];

/** Every command that carries a date, dated `on`; the collection at seq 8 is the entry a reversal undoes. */
const dated = (on: string): [string, Command][] => [
  ["a collection", { type: "record-collection", fundId: "warmth", source: "dues", amount: "100", receivedOn: on }],
  [
    "a payout",
    {
      type: "record-payout",
      programId: "winter-warmth",
      beneficiaryId: "hh-wang-guilan",
      amount: "800",
      paidOn: on,
      method: "cash",
    },
  ],
  [
    "a chunk of a payout batch",
    {
      type: "record-payout-chunk",
      batchId: "warmth-2010",
      programId: "winter-warmth",
      paidOn: on,
      method: "cash",
      chunk: 0,
      firstLine: 0,
      totalLines: 1,
      lines: [{ beneficiaryId: "hh-wang-guilan", amount: "800" }],
    },
  ],
  ["a transfer", { type: "record-transfer", fromFundId: "warmth", toFundId: "general", amount: "100", on }],
  ["a reversal", { type: "reverse-entry", seq: 8, reason: "重复入账", on }],
  [
    "a hardship file",
    {
      type: "open-hardship-file",
      beneficiaryId: "hh-li",
      tier: "deep",
      cause: "因病",
      openedOn: on,
      validUntil: TODAY,
    },
  ],
  [
    "a file's review",
    { type: "review-hardship-file", beneficiaryId: "hh-wang-guilan", reviewedOn: on, validUntil: TODAY },
  ],
  [
    "a file's closing",
    { type: "close-hardship-file", beneficiaryId: "hh-wang-guilan", closedOn: on, reason: "再就业" },
  ],
  [
    "an audit",
    {
      type: "start-audit",
      auditId: "audit-2",
      unitId: "zhongxin-textile",
      period: { from: "2009-01-01", to: "2009-12-31" },
      scope: "专项审计",
      startedOn: on,
    },
  ],
  ["an audit's completion", { type: "complete-audit", auditId: "audit-textile", completedOn: on, summary: "完成" }],
  [
    "a finding",
    {
      type: "record-finding",
      findingId: "f-3",
      unitId: "zhongxin-textile",
      category: "incomplete-vouchers",
      severity: "low",
      description: "缺签收单",
      recordedOn: on,
    },
  ],
  ["a rectification plan", { type: "submit-rectification-plan", findingId: "f-1", note: "补签", submittedOn: on }],
  [
    "rectification evidence",
    { type: "submit-rectification-evidence", findingId: "f-2", note: "已补", submittedOn: on },
  ],
  [
    "a finding's resolution",
    { type: "resolve-finding", findingId: "f-1", outcome: "waived", note: "免", resolvedOn: on },
  ],
  ["a fund filed under a date", { type: "open-fund", fundId: "aid", name: "互助金", restricted: true, on }],
  ["a unit filed under a date", { type: "add-unit", unitId: "mill-2", name: "机械厂", kind: "enterprise", on }],
  [
    "a programme filed under a date",
    { type: "open-program", programId: "aid", name: "互助", fundId: "general", requiresHardshipFile: false, on },
  ],
  ["a programme's closing", { type: "close-program", programId: "winter-warmth", reason: "结束", on }],
  ["a registration", { type: "register-beneficiary", beneficiaryId: "hh-zhao", kind: "household", name: "赵建华", on }],
  ["an audit plan", { type: "set-audit-plan", year: 2010, targetCount: 5, on }],
];

describe("a book's opening date", () => {
  // A fresh book per test: a refusal that fails would otherwise leave its entry to the next one.
  const book = () => given(...setup(), household("hh-li", "李德明", { on: OPENED }));

  it.each(dated(BEFORE))("refuses %s dated the day before the book opened", (_, command) => {
    expect(refused(book(), command)).toMatchObject({ code: "before-book-opened", on: BEFORE, openedOn: OPENED });
  });

  it.each(dated(OPENED))("accepts %s dated the day the book opened", (_, command) => {
    expect(acceptable(book(), command)).toBe(true);
  });

  it("refuses a date long before the opening, as the attack run sent it", () => {
    const payout = dated("1900-01-01")[1]?.[1] as Command;
    expect(refused(book(), payout)).toMatchObject({ code: "before-book-opened", on: "1900-01-01" });
  });

  it("names the opening before a closed period: the date could never be right", () => {
    const closed = given(...setup());
    closed.state = { ...closed.state, closedThrough: "2010-03" };
    const collection = dated(BEFORE)[0]?.[1] as Command;
    expect(refused(closed, collection)).toMatchObject({ code: "before-book-opened" });
  });

  it("opens a book as of a past date, never a future one", () => {
    const fresh = given();
    expect(refused(fresh, { ...openBook, on: "2011-01-01" })).toMatchObject({ code: "future-date", today: TODAY });
    expect(recorded(fresh, { ...openBook, on: "2010-06-01" })).toMatchObject([
      { type: "BookOpened", occurredOn: "2010-06-01" },
    ]);
    expect(fresh.state.book?.openedOn).toBe("2010-06-01");
  });
});

describe("a book stored before the rule, with an entry dated before its opening", () => {
  // Such a book's first month to close is still its first with an entry, and it can be closed.
  const legacy = () => {
    const ledger = given(openBook, warmthFund, {
      type: "record-collection",
      fundId: "warmth",
      source: "dues",
      amount: "100",
      receivedOn: "2010-01-10",
    });
    const book = ledger.state.book;
    if (!book) throw new Error("no book");
    ledger.state = { ...ledger.state, book: { ...book, openedOn: "2010-03-01" } };
    return ledger;
  };

  it("closes from the month of its earliest entry", () => {
    const ledger = legacy();
    expect(nextToClose(ledger.state, ledger.state.book as never)).toBe("2010-01");
    const fold = createRollupFold(ledger.state.book?.id as string, "2010-01", "CNY", {});
    for (const event of ledger.events) fold.add(event);
    expect(recorded(ledger, { type: "close-period", period: "2010-01", rollup: fold.result() })).toMatchObject([
      { type: "PeriodClosed", occurredOn: "2010-01-31" },
    ]);
  });

  it("takes no new entry before its opening", () => {
    const collection = dated("2010-02-15")[0]?.[1] as Command;
    expect(refused(legacy(), collection)).toMatchObject({ code: "before-book-opened", openedOn: "2010-03-01" });
  });
});
