import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../journal-event.ts";
import { type BeneficiaryRecord, evolveBeneficiary } from "./beneficiary.ts";
import type { Command, CommandOf } from "./commands.ts";
import {
  BOOK,
  closePeriod,
  decideOn,
  given,
  hardshipFile,
  openBook,
  recorded,
  recordOf,
  refused,
  student,
  studentAidFund,
  warmthFund,
  winterWarmth,
} from "./scenario.test-support.ts";

// Given these commands, when this chunk of a payout batch, then these events or this error.
const households = [
  ["hh-wang-guilan", "王桂兰"],
  ["hh-chen-guoqiang", "陈国强"],
  ["hh-zhang-xiuying", "张秀英"],
  ["hh-liu-shufen", "刘淑芬"],
] as const;

const setup = (warmthFunds = "5000"): Command[] => [
  openBook,
  warmthFund,
  studentAidFund,
  winterWarmth,
  {
    type: "open-program",
    programId: "golden-autumn",
    name: "金秋助学",
    fundId: "student-aid",
    budget: "5000",
    requiresHardshipFile: true,
    methods: ["bank"],
    cap: { perBeneficiaryPerYear: { count: 1 } },
    on: "2010-07-01",
  },
  {
    type: "record-collection",
    fundId: "warmth",
    source: "upper-subsidy",
    amount: warmthFunds,
    receivedOn: "2010-01-08",
  },
  { type: "record-collection", fundId: "student-aid", source: "government", amount: "20000", receivedOn: "2010-07-08" },
  ...households.flatMap(([beneficiaryId, name]): Command[] => [
    { type: "register-beneficiary", beneficiaryId, kind: "household", name, on: "2010-01-05" },
    hardshipFile(beneficiaryId, { cause: "下岗，家庭困难" }),
  ]),
  { type: "register-beneficiary", beneficiaryId: "hh-li-deming", kind: "household", name: "李德明", on: "2010-01-05" },
  student("st-wang-xiaoyu", "王小雨", "hh-wang-guilan"),
  student("st-chen-hao", "陈浩", "hh-chen-guoqiang"),
];

type Line = CommandOf<"record-payout-chunk">["lines"][number];
const chunk = (lines: Line[], extra: Partial<CommandOf<"record-payout-chunk">> = {}): Command => ({
  type: "record-payout-chunk",
  batchId: "warmth-2010-spring",
  programId: "winter-warmth",
  paidOn: "2010-02-08",
  method: "bank",
  chunk: 0,
  firstLine: 0,
  totalLines: lines.length,
  lines,
  ...extra,
});
/** The autumn student-aid batch, paid by bank in late August. */
const autumnGrants = { batchId: "golden-autumn-2010", programId: "golden-autumn", paidOn: "2010-08-25" };
const line = (beneficiaryId: string, amount: string, reference?: string): Line =>
  reference ? { beneficiaryId, amount, reference } : { beneficiaryId, amount };

const summaryOf = (events: JournalEvent[]) => events.find((event) => event.type === "PayoutBatchChunkRecorded");
const payoutsOf = (events: JournalEvent[]) => events.filter((event) => event.type === "PayoutRecorded");

describe("a chunk of a payout batch", () => {
  it("records each accepted line as a PayoutRecorded with the batch id and its line, then a summary", () => {
    const ledger = given(...setup());
    const events = recorded(
      ledger,
      chunk([
        line("hh-wang-guilan", "800", "春节-001"),
        line("hh-chen-guoqiang", "700"),
        line("hh-zhang-xiuying", "900"),
      ]),
    );
    expect(events.map((event) => event.type)).toEqual([
      "PayoutRecorded",
      "PayoutRecorded",
      "PayoutRecorded",
      "PayoutBatchChunkRecorded",
    ]);
    expect(events[0]).toMatchObject({
      occurredOn: "2010-02-08",
      payload: {
        programId: "winter-warmth",
        fundId: "warmth",
        beneficiaryId: "hh-wang-guilan",
        amount: "800.00",
        method: "bank",
        reference: "春节-001",
        batchId: "warmth-2010-spring",
        line: 0,
        postings: [
          { account: "fund:warmth", amount: "-800.00" },
          { account: "beneficiary:hh-wang-guilan", amount: "800.00" },
        ],
      },
    });
    expect(payoutsOf(events).map((event) => [event.payload.batchId, event.payload.line])).toEqual([
      ["warmth-2010-spring", 0],
      ["warmth-2010-spring", 1],
      ["warmth-2010-spring", 2],
    ]);
    expect(summaryOf(events)?.payload).toEqual({
      batchId: "warmth-2010-spring",
      programId: "winter-warmth",
      chunk: 0,
      firstLine: 0,
      lineCount: 3,
      totalLines: 3,
      recorded: 3,
      refused: [],
    });
    expect(ledger.state.funds.warmth?.balance).toBe(500_000n - 240_000n);
    expect(ledger.state.programs["winter-warmth"]?.paid).toBe(240_000n);
  });

  it("checks each line against the state earlier lines left: a second grant to one student is refused", () => {
    const ledger = given(...setup());
    const events = recorded(
      ledger,
      chunk([line("st-wang-xiaoyu", "2000"), line("st-wang-xiaoyu", "2000")], autumnGrants),
    );
    expect(payoutsOf(events).map((event) => event.payload.line)).toEqual([0]);
    expect(summaryOf(events)?.payload).toMatchObject({
      recorded: 1,
      refused: [{ line: 1, code: "cap-exceeded", message: expect.stringContaining("st-wang-xiaoyu") }],
    });
    expect(recordOf(ledger, "st-wang-xiaoyu")?.totals).toEqual({
      "golden-autumn|2010": { count: 1, amount: "200000" },
    });
  });

  it("refuses the line that would overdraw the fund and records the lines before and after it", () => {
    const ledger = given(...setup("2000"));
    const events = recorded(
      ledger,
      chunk([
        line("hh-wang-guilan", "800"),
        line("hh-chen-guoqiang", "800"),
        line("hh-zhang-xiuying", "800"),
        line("hh-liu-shufen", "300"),
      ]),
    );
    expect(payoutsOf(events).map((event) => [event.payload.line, event.payload.beneficiaryId])).toEqual([
      [0, "hh-wang-guilan"],
      [1, "hh-chen-guoqiang"],
      [3, "hh-liu-shufen"],
    ]);
    expect(summaryOf(events)?.payload.refused).toEqual([
      { line: 2, code: "fund-overdrawn", message: "fund warmth holds 400.00; the entry needs 800.00" },
    ]);
    expect(ledger.state.funds.warmth?.balance).toBe(10_000n);
  });

  it("shares the programme's budget between its lines", () => {
    const ledger = given(...setup());
    const events = recorded(ledger, chunk([line("st-wang-xiaoyu", "3000"), line("st-chen-hao", "3000")], autumnGrants));
    expect(summaryOf(events)?.payload).toMatchObject({ recorded: 1, refused: [{ line: 1, code: "budget-exceeded" }] });
    expect(ledger.state.programs["golden-autumn"]?.paid).toBe(300_000n);
  });

  it("names every refused line in the summary with its code and message, numbered within the whole batch", () => {
    const ledger = given(...setup());
    const events = recorded(
      ledger,
      chunk(
        [
          line("hh-zhao-jianhua", "800"),
          line("hh-li-deming", "800"),
          line("hh-chen-guoqiang", "1200"),
          line("hh-zhang-xiuying", "900"),
        ],
        { chunk: 1, firstLine: 48, totalLines: 52 },
      ),
    );
    const summary = summaryOf(events)?.payload;
    expect(summary).toMatchObject({ chunk: 1, firstLine: 48, lineCount: 4, totalLines: 52, recorded: 1 });
    expect(summary?.refused).toEqual([
      { line: 48, code: "beneficiary-not-found", message: expect.stringContaining("hh-zhao-jianhua") },
      { line: 49, code: "hardship-file-required", message: expect.stringContaining("hh-li-deming") },
      { line: 50, code: "cap-exceeded", message: expect.stringContaining("1000.00") },
    ]);
    expect(payoutsOf(events)).toMatchObject([{ payload: { line: 51, beneficiaryId: "hh-zhang-xiuying" } }]);
  });

  it("writes one record per beneficiary, with the totals after all its lines", () => {
    const ledger = given(...setup());
    const command = chunk([
      line("hh-wang-guilan", "700"),
      line("hh-chen-guoqiang", "800"),
      line("hh-wang-guilan", "300"),
    ]);
    const decision = decideOn(ledger, command);
    if (!decision.ok) throw new Error(decision.error.code);
    expect(decision.value.writes.map((write) => write.ref)).toEqual([
      "beneficiary/hh-wang-guilan",
      "beneficiary/hh-chen-guoqiang",
    ]);
    const wang = decision.value.writes[0]?.value as unknown as BeneficiaryRecord;
    expect(wang.totals).toEqual({ "winter-warmth|2010": { count: 2, amount: "100000" } });
    // The same record a replay of the journal would fold.
    const replayed = decision.value.events
      .filter((event) => event.payload.beneficiaryId === "hh-wang-guilan")
      .reduce(
        (record, event) => evolveBeneficiary(record, { ...event, book: BOOK }, "CNY"),
        recordOf(ledger, "hh-wang-guilan"),
      );
    expect(wang).toEqual(replayed);
    recorded(ledger, command);
    expect(recordOf(ledger, "hh-wang-guilan")).toEqual(wang);
  });

  it("pays a student on the household's file within a chunk", () => {
    const ledger = given(...setup(), student("st-li-jun", "李俊", "hh-li-deming"));
    const events = recorded(ledger, chunk([line("st-chen-hao", "1500"), line("st-li-jun", "1500")], autumnGrants));
    expect(payoutsOf(events).map((event) => event.payload.beneficiaryId)).toEqual(["st-chen-hao"]);
    expect(summaryOf(events)?.payload.refused).toMatchObject([{ line: 1, code: "hardship-file-required" }]);
  });
});

describe("a chunk refused as a whole", () => {
  const lines = [line("hh-wang-guilan", "800"), line("hh-chen-guoqiang", "700")];

  it.each([
    ["negative", "-1.00", "format"],
    ["zero", "0.00", "not-positive"],
    ["with a third decimal", "1.001", "too-many-decimals"],
  ])("refuses the whole chunk, deciding no line, when a line's amount is %s", (_, amount, reason) => {
    const ledger = given(...setup());
    const bad = chunk([line("hh-wang-guilan", "800"), line("hh-chen-guoqiang", amount)], { firstLine: 96 });
    expect(refused(ledger, bad)).toMatchObject({ code: "invalid-amount", reason, field: "lines.97.amount" });
  });

  it("refuses a chunk none of whose lines can be recorded, naming each line's reason, and writes nothing", () => {
    const ledger = given(...setup("500"));
    const hopeless = chunk(
      [
        line("hh-li-deming", "800"),
        line("hh-zhao-jianhua", "800"),
        line("hh-wang-guilan", "1200"),
        line("hh-chen-guoqiang", "900"),
      ],
      { firstLine: 48 },
    );
    expect(refused(ledger, hopeless)).toEqual({
      code: "batch-refused",
      message: expect.stringContaining("warmth-2010-spring"),
      batchId: "warmth-2010-spring",
      refused: [
        { line: 48, code: "hardship-file-required", message: expect.stringContaining("hh-li-deming") },
        { line: 49, code: "beneficiary-not-found", message: expect.stringContaining("hh-zhao-jianhua") },
        { line: 50, code: "cap-exceeded", message: expect.stringContaining("1000.00") },
        { line: 51, code: "fund-overdrawn", message: "fund warmth holds 500.00; the entry needs 900.00" },
      ],
    });
  });

  it("records only the summary of an all-refused chunk when its batch recorded lines elsewhere", () => {
    const ledger = given(...setup());
    const events = recorded(
      ledger,
      chunk([line("hh-li-deming", "800"), line("hh-zhao-jianhua", "800")], { recordIfAllRefused: true }),
    );
    expect(events.map((event) => event.type)).toEqual(["PayoutBatchChunkRecorded"]);
    expect(summaryOf(events)?.payload).toMatchObject({ recorded: 0, lineCount: 2 });
    expect(ledger.state.funds.warmth?.balance).toBe(500_000n);
  });

  it("refuses a chunk for a programme the book does not have", () => {
    expect(refused(given(...setup()), chunk(lines, { programId: "mid-autumn" }))).toMatchObject({
      code: "program-not-found",
      programId: "mid-autumn",
    });
  });

  it("refuses a chunk for a closed programme", () => {
    const ledger = given(...setup(), { type: "close-program", programId: "winter-warmth", reason: "活动结束" });
    expect(refused(ledger, chunk(lines))).toMatchObject({ code: "program-closed", programId: "winter-warmth" });
  });

  it("refuses a chunk paid by a method the programme does not use, or by none", () => {
    const ledger = given(...setup());
    expect(refused(ledger, chunk(lines, { method: "in-kind" }))).toMatchObject({
      code: "method-not-allowed",
      method: "in-kind",
    });
    expect(refused(ledger, chunk(lines, { method: undefined }))).toMatchObject({
      code: "method-not-allowed",
      method: "(none)",
    });
  });

  it("refuses a chunk dated in a closed period or after today", () => {
    const ledger = given(...setup());
    closePeriod(ledger, "2010-02");
    expect(refused(ledger, chunk(lines))).toMatchObject({ code: "period-closed", closedThrough: "2010-02" });
    expect(refused(ledger, chunk(lines, { paidOn: "2011-01-20" }))).toMatchObject({ code: "future-date" });
    recorded(ledger, chunk(lines, { paidOn: "2010-03-01" }));
  });
});

describe("a chunk's payment method", () => {
  it("records every line of a chunk with the batch's method", () => {
    const lines = [line("hh-wang-guilan", "800"), line("hh-chen-guoqiang", "700")];
    const events = recorded(given(...setup()), chunk(lines, { method: "cash" }));
    const methods = events.filter((event) => event.type === "PayoutRecorded").map((event) => event.payload.method);
    expect(methods).toEqual(lines.map(() => "cash"));
  });

  it("records every line with the programme's only method when the batch names none", () => {
    const ledger = given(...setup());
    const students = [line("st-wang-xiaoyu", "2000"), line("st-chen-hao", "1500")];
    const events = recorded(ledger, chunk(students, { ...autumnGrants, method: undefined }));
    const methods = events.filter((event) => event.type === "PayoutRecorded").map((event) => event.payload.method);
    expect(methods).toEqual(["bank", "bank"]);
    expect(refused(ledger, chunk(students, { ...autumnGrants, method: "cash" }))).toMatchObject({
      code: "method-not-allowed",
      method: "cash",
      allowed: ["bank"],
    });
  });
});
