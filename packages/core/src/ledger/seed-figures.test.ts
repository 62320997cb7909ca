import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../journal-event.ts";
import { CURRENCIES, formatAmount, parseAmount } from "../money.ts";
import type { Command } from "./commands.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import {
  generalFund,
  given,
  hardshipFile,
  openBook,
  student,
  studentAidFund,
  warmthFund,
  winterWarmth,
} from "./scenario.test-support.ts";

// The 2010 work summary of the Bazhou District federation (seed/000_50b9cbe120692619.txt),
// re-enacted in memory: its figures must come out of the events exactly.
//   送温暖: "及时发送温暖资金105.11万元，扶助困难群众1300多人次" (of 6,218 registered households)
//   金秋助学: "全年共发放了助学资金30余万元，帮助了181名学生完成学业", funded by
//   "用足政策，争取项目，本级投入，上级补助" (four sources).
const CNY = CURRENCIES.CNY;
const yuan = (minor: bigint) => formatAmount(minor, CNY);
const minorOf = (text: string) => {
  const parsed = parseAmount(text, CNY);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.value;
};

/** The API records a batch in chunks of 48 lines, so that each chunk is one DynamoDB transaction. */
const CHUNK_LINES = 48;

const SURNAMES = [..."王李张刘陈杨赵黄周吴何苟罗岳蒲谢冯向"];
const GIVEN = [
  "桂兰",
  "德明",
  "秀英",
  "国强",
  "淑芬",
  "建华",
  "玉珍",
  "志刚",
  "春梅",
  "光荣",
  "大勇",
  "素芳",
  "永福",
  "金凤",
  "明春",
];
const CHILD = ["小雨", "俊", "浩", "婷婷", "小红", "磊", "雪梅", "杰"];

const households = Array.from({ length: 1300 }, (_, i) => ({
  id: `hh-${String(i + 1).padStart(4, "0")}`,
  name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`,
  tier: i % 10 < 3 ? ("deep" as const) : ("relative" as const),
}));

/**
 * The payment register, fixed data: each household's New Year payment by a repeating scale of
 * 700 to 1,000 yuan, then a Spring Festival second payment of 800 yuan to fourteen deep-hardship
 * households. Nothing here is derived from the figure the test expects.
 */
const NEW_YEAR_SCALE = ["700", "800", "700", "900", "800", "700", "1000", "800"];
const firstRound = households.map((household, i) => ({
  beneficiaryId: household.id,
  amount: NEW_YEAR_SCALE[i % NEW_YEAR_SCALE.length] as string,
}));
const secondRound = [
  "hh-0001",
  "hh-0002",
  "hh-0003",
  "hh-0011",
  "hh-0012",
  "hh-0013",
  "hh-0021",
  "hh-0022",
  "hh-0023",
  "hh-0031",
  "hh-0032",
  "hh-0033",
  "hh-0041",
  "hh-0042",
].map((beneficiaryId) => ({ beneficiaryId, amount: "800" }));

/** The seed's figures, as the summary states them. */
const SEED = {
  /** 及时发送温暖资金105.11万元 */
  warmthPaid: "1051100.00",
  /** 扶助困难群众1300多人次: more than 1,300 person-times, fewer than 1,400. */
  warmthPersonTimes: { above: 1300, below: 1400 },
  /** 帮助了181名学生完成学业 */
  students: 181,
  /** 全年共发放了助学资金30余万元: more than 300,000 yuan, less than 400,000. */
  studentAid: { above: minorOf("300000"), below: minorOf("400000") },
} as const;

const students = Array.from({ length: SEED.students }, (_, i) => {
  const household = households[i] as (typeof households)[number];
  return {
    id: `st-${String(i + 1).padStart(4, "0")}`,
    name: `${household.name.slice(0, 1)}${CHILD[i % CHILD.length]}`,
    householdId: household.id,
    // University students 2,000 yuan, high-school students 1,500.
    amount: i < 91 ? "2000" : "1500",
  };
});

/** Records a batch as the API does: chunk after chunk, each line numbered within the batch. */
function payBatch(
  ledger: MemoryLedger,
  batch: { batchId: string; programId: string; paidOn: string; method: "bank" | "cash" },
  lines: readonly { beneficiaryId: string; amount: string }[],
): JournalEvent[] {
  const events: JournalEvent[] = [];
  for (let first = 0; first < lines.length; first += CHUNK_LINES) {
    const result = ledger.execute({
      type: "record-payout-chunk",
      ...batch,
      chunk: first / CHUNK_LINES,
      firstLine: first,
      totalLines: lines.length,
      lines: lines.slice(first, first + CHUNK_LINES),
    });
    if (!result.ok) throw new Error(`chunk at line ${first}: ${result.error.code}: ${result.error.message}`);
    events.push(...result.value);
  }
  return events;
}

const payoutsOf = (events: readonly JournalEvent[], programId: string) =>
  events.filter((event) => event.type === "PayoutRecorded" && event.payload.programId === programId);
const refusedLines = (events: readonly JournalEvent[]) =>
  events.flatMap((event) => (event.type === "PayoutBatchChunkRecorded" ? (event.payload.refused as unknown[]) : []));
const sumOf = (events: readonly JournalEvent[]) =>
  events.reduce((sum, event) => sum + minorOf(event.payload.amount as string), 0n);

function bazhou2010(): MemoryLedger {
  return given(
    openBook,
    warmthFund,
    studentAidFund,
    generalFund,
    { ...winterWarmth, programId: "winter-warmth-2010", name: "2010年元旦春节送温暖" },
    {
      type: "record-collection",
      fundId: "warmth",
      source: "upper-subsidy",
      amount: "600000",
      receivedOn: "2010-01-08",
      memo: "市总工会送温暖资金",
    },
    {
      type: "record-collection",
      fundId: "warmth",
      source: "allocation",
      amount: "351100",
      receivedOn: "2010-01-12",
      memo: "区财政安排",
    },
    {
      type: "record-collection",
      fundId: "warmth",
      source: "donation",
      amount: "100000",
      receivedOn: "2010-01-15",
      memo: "企业捐助",
    },
    ...households.flatMap(({ id, name, tier }): Command[] => [
      { type: "register-beneficiary", beneficiaryId: id, kind: "household", name, on: "2010-01-05" },
      hardshipFile(id, { tier, cause: tier === "deep" ? "下岗失业，家有重病" : "收入低，居住条件差" }),
    ]),
  );
}

describe("the Bazhou District federation's 2010 figures, from events", () => {
  it("送温暖: 1,051,100.00 yuan to 1,300+ person-times, the fund spent to the fen", () => {
    const ledger = bazhou2010();
    const collected = ledger.events.filter(
      (event) => event.type === "CollectionRecorded" && event.payload.fundId === "warmth",
    );
    expect(yuan(sumOf(collected))).toBe(SEED.warmthPaid);

    const newYear = payBatch(
      ledger,
      { batchId: "warmth-2010-new-year", programId: "winter-warmth-2010", paidOn: "2010-01-28", method: "bank" },
      firstRound,
    );
    const springFestival = payBatch(
      ledger,
      { batchId: "warmth-2010-spring-festival", programId: "winter-warmth-2010", paidOn: "2010-02-10", method: "cash" },
      secondRound,
    );
    expect(refusedLines([...newYear, ...springFestival])).toEqual([]);

    const payouts = payoutsOf(ledger.events, "winter-warmth-2010");
    const personTimes = payouts.length;
    const distinct = new Set(payouts.map((event) => event.payload.beneficiaryId)).size;
    expect(yuan(sumOf(payouts))).toBe(SEED.warmthPaid);
    expect(personTimes).toBe(firstRound.length + secondRound.length);
    expect(personTimes).toBeGreaterThan(SEED.warmthPersonTimes.above);
    expect(personTimes).toBeLessThan(SEED.warmthPersonTimes.below);
    expect(distinct).toBe(households.length);
    expect(yuan(ledger.state.programs["winter-warmth-2010"]?.paid ?? -1n)).toBe(SEED.warmthPaid);
    expect(yuan(ledger.state.funds.warmth?.balance ?? -1n)).toBe("0.00");
  });

  it("金秋助学: 181 students, one grant each, 300,000+ yuan from four sources", () => {
    const ledger = bazhou2010();
    ledger.given(
      {
        type: "record-collection",
        fundId: "general",
        source: "dues",
        amount: "200000",
        receivedOn: "2010-03-31",
        memo: "财政代扣工会经费",
      },
      {
        type: "open-program",
        programId: "golden-autumn-2010",
        name: "2010年金秋助学",
        fundId: "student-aid",
        budget: "320000",
        requiresHardshipFile: true,
        methods: ["bank"],
        cap: { perBeneficiaryPerYear: { count: 1 } },
        on: "2010-07-01",
      },
      // 用足政策, 争取项目, 本级投入 (from the federation's own funds), 上级补助.
      {
        type: "record-collection",
        fundId: "student-aid",
        source: "government",
        amount: "120000",
        receivedOn: "2010-07-20",
        memo: "助学政策资金",
      },
      {
        type: "record-collection",
        fundId: "student-aid",
        source: "other",
        amount: "80000",
        receivedOn: "2010-07-26",
        memo: "争取项目资金",
      },
      {
        type: "record-transfer",
        fromFundId: "general",
        toFundId: "student-aid",
        amount: "57000",
        on: "2010-08-02",
        memo: "本级投入",
      },
      {
        type: "record-collection",
        fundId: "student-aid",
        source: "upper-subsidy",
        amount: "60000",
        receivedOn: "2010-08-06",
        memo: "上级补助",
      },
      ...students.map(({ id, name, householdId }) => student(id, name, householdId, { on: "2010-08-10" })),
    );
    const batch = {
      batchId: "golden-autumn-2010",
      programId: "golden-autumn-2010",
      paidOn: "2010-08-25",
      method: "bank" as const,
    };
    const events = payBatch(
      ledger,
      batch,
      students.map(({ id, amount }) => ({ beneficiaryId: id, amount })),
    );
    expect(refusedLines(events)).toEqual([]);

    const grants = payoutsOf(ledger.events, "golden-autumn-2010");
    const total = sumOf(grants);
    expect(grants).toHaveLength(SEED.students);
    expect(new Set(grants.map((event) => event.payload.beneficiaryId)).size).toBe(SEED.students);
    // 91 university grants of 2,000 and 90 high-school grants of 1,500, as the register says.
    expect(yuan(total)).toBe("317000.00");
    expect(total).toBeGreaterThan(SEED.studentAid.above);
    expect(total).toBeLessThan(SEED.studentAid.below);
    expect(yuan(ledger.state.funds["student-aid"]?.balance ?? -1n)).toBe("0.00");

    // One grant per student a year: a batch whose one line is a second grant is refused, by line.
    const again = ledger.execute({
      type: "record-payout-chunk",
      ...batch,
      batchId: "golden-autumn-2010-extra",
      paidOn: "2010-09-01",
      chunk: 0,
      firstLine: 0,
      totalLines: 1,
      lines: [{ beneficiaryId: "st-0001", amount: "500" }],
    });
    expect(again).toMatchObject({
      ok: false,
      error: { code: "batch-refused", refused: [{ line: 0, code: "cap-exceeded" }] },
    });
    expect(payoutsOf(ledger.events, "golden-autumn-2010")).toHaveLength(SEED.students);
  });
});
