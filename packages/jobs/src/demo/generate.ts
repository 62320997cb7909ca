import { APPROVAL_TTL_DAYS, BOOK_APPROVALS, PROGRAM_APPROVALS } from "./approvals.ts";
import { addAudits } from "./audits.ts";
import { addBankLoop, addRosterAccounts } from "./bank.ts";
import { ACTORS, DEMO_BOOK, DEMO_BOOK_NAME, FUNDS, PROGRAMS, UNITS } from "./catalog.ts";
import { computeFigures, type DemoFigures } from "./figures.ts";
import { addFunding } from "./funding.ts";
import { createRandom } from "./random.ts";
import { addStudentAid, addWinterRelief, WINTER_TOTAL } from "./relief.ts";
import { ROSTER_DAY, ROSTER_KEY } from "./roster.ts";
import { type DemoScript, on, ScriptBuilder, yuan } from "./script.ts";
import { addIllnessInsurance, addModelWorkers, addVillageAid, VILLAGE_TOTAL } from "./welfare.ts";

export { DEMO_BOOK, PROGRAMS } from "./catalog.ts";
export type { DemoFigures, ProgramFigures } from "./figures.ts";
export type { DemoAccount, DemoBankFiles, DemoScript, DemoStep } from "./script.ts";

export const DEFAULT_SEED = 2010;
/** Mixed into the seed for the bank loop's own draws (bank.ts): accounts and failed lines. */
const BANK_STREAM = 0x0ba4c;

const { admin, finance } = ACTORS;

/**
 * The demo book `bazhou-2010`: the 2010 work summary of the Bazhou District federation
 * (seed/000_50b9cbe120692619.txt) re-enacted as the individual commands of a year, in calendar
 * order. Pure and deterministic: the same seed gives the same script, names, dates and amounts;
 * every seed gives the summary's figures (see DEMO_FIGURES and the test beside this file).
 * Months are not closed here: that is the monthly rollup's job, for `monthsToClose`.
 */
export function generateDemo(options: { seed?: number } = {}): DemoScript {
  const seed = options.seed ?? DEFAULT_SEED;
  const random = createRandom(seed);
  // The bank loop draws from a stream of its own, so that the rest of the book stays as it was.
  const bank = createRandom(seed ^ BANK_STREAM);
  const b = new ScriptBuilder(DEMO_BOOK);
  addRegistry(b);
  addFunding(b, random);
  const { households, spring } = addWinterRelief(b, random);
  const accounts = addRosterAccounts(b, bank, ROSTER_KEY, ROSTER_DAY, households);
  addModelWorkers(b, random);
  addVillageAid(b, random);
  addIllnessInsurance(b, random);
  addStudentAid(b, random, households);
  addAudits(b);
  const bankFiles = addBankLoop(b, bank, spring, accounts);
  const monthsToClose = Array.from({ length: 12 }, (_, i) => `2010-${String(i + 1).padStart(2, "0")}`);
  return b.build({ book: DEMO_BOOK, seed, monthsToClose, bankFiles });
}

/** What the funds held when the 2009 books closed, in yuan: the demo book starts from it. */
export const OPENING_BALANCES = [{ fundId: "general", amount: 186_420 }] as const;

function addRegistry(b: ScriptBuilder): void {
  const day = on(1, 1);
  b.add(day, admin, "open-book", {
    type: "open-book",
    name: DEMO_BOOK_NAME,
    currency: "CNY",
    timeZone: "Asia/Shanghai",
    approvals: [...BOOK_APPROVALS],
    approvalTtlDays: APPROVAL_TTL_DAYS,
    on: day,
  });
  for (const fund of FUNDS) b.add(day, finance, `fund/${fund.fundId}`, { type: "open-fund", ...fund, on: day });
  // The book takes over from the 2009 ledger: what the union funds held at its close (期初余额).
  b.add(
    day,
    finance,
    "opening-balances",
    {
      type: "record-opening-balances",
      asOf: day,
      funds: OPENING_BALANCES.map(({ fundId, amount }) => ({ fundId, amount: yuan(amount) })),
      memo: "2009年末账面余额结转",
    },
    { phase: 1 },
  );
  for (const { unitId, name, kind } of UNITS) {
    b.add(day, finance, `unit/${unitId}`, { type: "add-unit", unitId, name, kind, on: day });
  }
  const programs = [
    {
      on: on(1, 4),
      programId: PROGRAMS.winterRelief,
      name: "2010年送温暖（元旦、春节）",
      fundId: "relief",
      budget: yuan(WINTER_TOTAL),
      requiresHardshipFile: true,
      methods: ["cash", "bank"] as const,
      // New Year and Spring Festival: at most two visits a household.
      cap: { perBeneficiaryPerYear: { count: 2 } },
    },
    {
      on: on(1, 6),
      programId: PROGRAMS.modelWorker,
      name: "2010年劳模慰问",
      fundId: "model-worker",
      requiresHardshipFile: false,
      methods: ["cash", "bank"] as const,
      cap: { perPayment: yuan(10_000) },
    },
    {
      on: on(3, 1),
      programId: PROGRAMS.illnessClaims,
      name: "2010年女职工大病互助保险理赔",
      fundId: "insurance",
      requiresHardshipFile: false,
      methods: ["bank"] as const,
      cap: { perBeneficiaryPerYear: { count: 1 } },
    },
    {
      on: on(3, 10),
      programId: PROGRAMS.villageAid,
      name: "挂包帮扶·三江镇龙门村",
      fundId: "village-aid",
      budget: yuan(VILLAGE_TOTAL),
      requiresHardshipFile: true,
      methods: ["bank", "in-kind"] as const,
    },
    {
      on: on(7, 1),
      programId: PROGRAMS.studentAid,
      name: "2010年金秋助学",
      fundId: "student-aid",
      budget: yuan(350_000),
      requiresHardshipFile: true,
      methods: ["bank"] as const,
      cap: { perPayment: yuan(2_000), perBeneficiaryPerYear: { count: 1 } },
    },
  ];
  for (const { on: date, ...program } of programs) {
    const { programId } = program;
    b.add(date, finance, `program/${programId}`, { type: "open-program", ...program, on: date });
    // The admin sets a programme's own policy once it is open: the office whose payouts it holds cannot.
    const approvals = PROGRAM_APPROVALS[programId];
    if (approvals) {
      b.add(date, admin, `program/${programId}/approval-policy`, {
        type: "set-approval-policy",
        programId,
        approvals: [...approvals],
        on: date,
      });
    }
  }
}

/** What the default script records: the figures the annual report of `bazhou-2010` must show. */
export const DEMO_FIGURES: DemoFigures = computeFigures(generateDemo());
