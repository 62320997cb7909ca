import {
  type CommandOf,
  CURRENCIES,
  formatAmount,
  type HardshipTier,
  type ImportRow,
  type PaymentMethod,
  readSignedAmount,
} from "@relief-ledger/core";
import { approve, needsUnder, propose, reject, rulesFor, sendMoney } from "./approvals.ts";
import type { BankBatch } from "./bank.ts";
import { ACTORS, FILE_VALID_UNTIL, HARDSHIP_CAUSES, PROGRAMS, UNITS } from "./catalog.ts";
import { adultName, studentName, surnameOf } from "./names.ts";
import { fitToTotal, type Random } from "./random.ts";
import { addRoster, ROSTER_DAY } from "./roster.ts";
import { addDays, eventsOf, on, type ScriptBuilder, yuan } from "./script.ts";

const { finance } = ACTORS;

/**
 * Lines per chunk, as the API's batch route splits them (packages/api/src/routes/batches.ts):
 * a payout event and a beneficiary record per line, the chunk's summary event, its idempotency
 * record and the book head make 48 × 2 + 3 = 99 of DynamoDB's 100 items per transaction.
 */
export const CHUNK_LINES = 48;

/** Of the 6,218 registered households, the ones the winter relief reached this year. */
export const WINTER_HOUSEHOLDS = 1160;
/** Deep-hardship households (深度困难), visited at New Year as well as at the Spring Festival. */
const DEEP = 290;
const ACCIDENTAL = 116;
const NEW_YEAR_VISITS = 200;
const NEW_YEAR_AMOUNT = 500;
/** "及时发送温暖资金105.11万元": the programme's budget, met to the fen. */
export const WINTER_TOTAL = 1_051_100;

type Household = { id: string; name: string; tier: HardshipTier };
type Line = { beneficiaryId: string; amount: string };

const employers = UNITS.filter((spec) => spec.funding !== "donor");

/** A household's unit, if it has one: a laid-off worker's has none, and three in ten others none either. */
const unitOf = (random: Random, cause: string): string | undefined =>
  cause === "下岗失业" || random.chance(0.3) ? undefined : random.pick(employers).unitId;

/** Registers a household and opens its file the same day: "file first, then aid". */
function fileHousehold(
  b: ScriptBuilder,
  random: Random,
  household: Household,
  date: string,
  cause: string,
  tags?: string[],
): void {
  const laidOff = cause === "下岗失业";
  const unitId = unitOf(random, cause);
  b.add(date, finance, `register/${household.id}`, {
    type: "register-beneficiary",
    beneficiaryId: household.id,
    kind: "household",
    name: household.name,
    ...(unitId ? { unitId } : {}),
    ...(tags ? { tags } : laidOff ? { tags: ["下岗职工"] } : {}),
    on: date,
  });
  b.add(date, finance, `file/${household.id}`, {
    type: "open-hardship-file",
    beneficiaryId: household.id,
    tier: household.tier,
    cause,
    openedOn: date,
    validUntil: FILE_VALID_UNTIL,
  });
}

/**
 * Records lines as a batch of chunks of at most 48, each chunk a step of its own (as the API does).
 * Under a policy, the batch's total decides the approvals every chunk needs: each chunk is proposed,
 * then each approver approves the whole batch, chunk by chunk, and the last approval posts them.
 * Returns the batch as recorded: the keys of the steps that record its chunks, for the bank loop.
 */
function addBatch(
  b: ScriptBuilder,
  batchId: string,
  programId: string,
  paidOn: string,
  method: PaymentMethod,
  lines: readonly Line[],
): BankBatch {
  const batchAmount = formatAmount(
    lines.reduce((sum, line) => sum + readSignedAmount(line.amount, CURRENCIES.CNY), 0n),
    CURRENCIES.CNY,
  );
  const needs = needsUnder(rulesFor(programId), batchAmount);
  const chunks: CommandOf<"record-payout-chunk">[] = [];
  for (let start = 0, chunk = 0; start < lines.length; start += CHUNK_LINES, chunk++) {
    chunks.push({
      type: "record-payout-chunk",
      batchId,
      programId,
      paidOn,
      method,
      chunk,
      firstLine: start,
      totalLines: lines.length,
      lines: lines.slice(start, start + CHUNK_LINES),
      batchAmount,
    });
  }
  const keys = chunks.map((chunk) => `batch/${batchId}#${chunk.chunk}`);
  chunks.forEach((chunk, index) => {
    b.add(paidOn, finance, keys[index] as string, chunk, needs > 0 ? { events: 1 } : {});
  });
  const [first] = chunks;
  const chunkSteps =
    needs > 0 && first
      ? approve(b, paidOn, keys, { needs, phase: b.phaseOf(first), events: chunks.map(eventsOf) })
      : keys;
  return { batchId, paidOn, batchAmount, lines, chunkSteps, chunkLines: CHUNK_LINES };
}

/**
 * A household of the register as a row of its roster (困难职工档案名册), the spreadsheet's row
 * `row`: its file as brought up to date on `openedOn`. A roster has no tags: a laid-off worker's
 * household says so by its cause alone.
 */
function rosterRow(random: Random, household: Household, row: number, openedOn: string, cause: string): ImportRow {
  const unitId = unitOf(random, cause);
  return {
    row,
    beneficiaryId: household.id,
    kind: "household",
    name: household.name,
    ...(unitId ? { unitId } : {}),
    file: { tier: household.tier, cause, openedOn, validUntil: FILE_VALID_UNTIL },
  };
}

/**
 * 送温暖: the registered households' files brought up to date in the first week of January and
 * their roster imported once the update is done (ROSTER_DAY), then New Year visits to deep-hardship
 * households and the Spring Festival disbursement to every household, 1,051,100.00 yuan in 1,360
 * payments. The spring batches are paid by bank: their files and the bank's answer are bank.ts's.
 */
export function addWinterRelief(b: ScriptBuilder, random: Random): { households: Household[]; spring: BankBatch[] } {
  const tiers = random.shuffle(
    Array.from(
      { length: WINTER_HOUSEHOLDS },
      (_, i): HardshipTier => (i < DEEP ? "deep" : i < DEEP + ACCIDENTAL ? "accidental" : "relative"),
    ),
  );
  const households = tiers.map(
    (tier, i): Household => ({
      id: `hh-${String(i + 1).padStart(4, "0")}`,
      name: adultName(random),
      tier,
    }),
  );
  const roster = households.map((household, i) => {
    const cause =
      household.tier === "accidental"
        ? random.pick(["因灾致困", "工伤致困", "因病致困"])
        : random.pick(HARDSHIP_CAUSES);
    // The spreadsheet's rows, under its header row.
    return rosterRow(random, household, i + 2, i < WINTER_HOUSEHOLDS / 2 ? on(1, 4) : on(1, 5), cause);
  });
  addRoster(b, ROSTER_DAY, roster);

  const visited = random.shuffle(households.filter((household) => household.tier === "deep")).slice(0, NEW_YEAR_VISITS);
  const half = NEW_YEAR_VISITS / 2;
  const newYear = visited.map((household) => ({ beneficiaryId: household.id, amount: yuan(NEW_YEAR_AMOUNT) }));
  addBatch(b, "winter-2010-new-year-1", PROGRAMS.winterRelief, on(1, 6), "cash", newYear.slice(0, half));
  addBatch(b, "winter-2010-new-year-2", PROGRAMS.winterRelief, on(1, 7), "cash", newYear.slice(half));

  const drafts = households.map((household) =>
    household.tier === "deep" ? 1000 : household.tier === "accidental" ? 800 : 700,
  );
  const springTotal = WINTER_TOTAL - NEW_YEAR_VISITS * NEW_YEAR_AMOUNT;
  const amounts = fitToTotal(random, drafts, springTotal, { min: 500, max: 1500, step: 100 });
  const spring = households.map((household, i) => ({
    beneficiaryId: household.id,
    amount: yuan(amounts[i] as number),
  }));
  const days = [on(2, 1), on(2, 2), on(2, 3), on(2, 4), on(2, 5)];
  const size = Math.ceil(spring.length / days.length);
  const batches = days.map((day, i) =>
    addBatch(
      b,
      `winter-2010-spring-${i + 1}`,
      PROGRAMS.winterRelief,
      day,
      "bank",
      spring.slice(i * size, (i + 1) * size),
    ),
  );
  return { households, spring: batches };
}

/** 金秋助学: "帮助了181名学生完成学业", by level of study. */
const LEVELS = [
  { tag: "大学本科", count: 82, amount: 2000 },
  { tag: "大学专科", count: 54, amount: 1800 },
  { tag: "高中", count: 45, amount: 1500 },
] as const;
export const STUDENTS = LEVELS.reduce((sum, level) => sum + level.count, 0);
/** Households put on file in July after a disaster (因灾致困), whose children applied for aid. */
const FLOODED = 11;

export function addStudentAid(b: ScriptBuilder, random: Random, households: readonly Household[]): void {
  const flooded = Array.from(
    { length: FLOODED },
    (_, i): Household => ({
      id: `hh-${String(WINTER_HOUSEHOLDS + i + 1).padStart(4, "0")}`,
      name: adultName(random),
      tier: "accidental",
    }),
  );
  for (const household of flooded) fileHousehold(b, random, household, on(7, 12), "因灾致困", ["2010年7月新建档"]);

  const families = [...random.shuffle(households).slice(0, STUDENTS - FLOODED), ...flooded];
  const levels = random.shuffle(LEVELS.flatMap((level) => Array.from({ length: level.count }, () => level)));
  const payDays = [on(8, 23), on(8, 24), on(8, 25), on(8, 26), on(8, 27), on(8, 30), on(8, 31), on(9, 1)];
  let returned = false;
  let rejected = false;
  random.shuffle(families).forEach((family, i) => {
    const level = levels[i] as (typeof LEVELS)[number];
    const id = `stu-${String(i + 1).padStart(3, "0")}`;
    const registeredOn = on(7, 20 + (i % 12));
    b.add(registeredOn, finance, `register/${id}`, {
      type: "register-beneficiary",
      beneficiaryId: id,
      kind: "student",
      name: studentName(random, surnameOf(family.name)),
      householdId: family.id,
      tags: [level.tag],
      on: registeredOn,
    });
    const paidOn = payDays[Math.floor((i * payDays.length) / STUDENTS)] as string;
    const payout = {
      type: "record-payout" as const,
      programId: PROGRAMS.studentAid,
      beneficiaryId: id,
      amount: yuan(level.amount),
      paidOn,
      method: "bank" as const,
      memo: `2010年金秋助学（${level.tag}）`,
    };
    if (!rejected && level.tag === "高中") {
      // Proposed at the undergraduates' rate: the head of finance rejects it, and the office
      // proposes the rate of the student's level.
      rejected = true;
      const wrong = `pay/student-aid/${id}/wrong-level`;
      const undergraduate = LEVELS[0];
      propose(b, paidOn, wrong, { ...payout, amount: yuan(undergraduate.amount) });
      reject(b, paidOn, wrong, {
        by: ACTORS.financeHead,
        reason: `档次有误：${level.tag}学生资助标准为${level.amount}元，不是${undergraduate.amount}元`,
        phase: b.phaseOf(payout),
      });
    }
    const entry = sendMoney(b, paidOn, `pay/student-aid/${id}`, payout);
    if (!returned && level.tag === "大学本科" && i >= STUDENTS / 2) {
      // The bank sent one grant back (the account had been closed); it is paid again to the new account.
      returned = true;
      const returnedOn = addDays(paidOn, 7);
      b.add(
        returnedOn,
        finance,
        `return/student-aid/${id}`,
        (seqOf) => ({
          type: "return-payout",
          seq: seqOf(b.keyOf(entry)),
          returnedOn,
          reason: "银行退回：收款账户已销户",
        }),
        { phase: 9 },
      );
      const againOn = addDays(paidOn, 12);
      sendMoney(b, againOn, `pay/student-aid/${id}/again`, {
        ...payout,
        paidOn: againOn,
        reference: "更正收款账户后重新发放",
      });
    }
  });
}
