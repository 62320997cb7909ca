import type { JournalEvent } from "../journal-event.ts";
import type { CommandOf } from "../ledger/commands.ts";
import type { MemoryLedger } from "../ledger/memory-ledger.ts";
import {
  generalFund,
  given,
  hardshipFile,
  household,
  openBook,
  recordedOne,
  textileMill,
  warmthFund,
  winterWarmth,
} from "../ledger/scenario.test-support.ts";
import type { Minor } from "../money.ts";
import type { Names } from "./reports.ts";
import { closingBalances, createRollupFold, type PendingFigures, pendingAtEnd, type Rollup } from "./rollup.ts";

// The first quarter of 2010 in the Bazhou book, entry by entry, with every figure the rollups and
// reports must show worked out by hand in rollup.test.ts and reports.test.ts. Only *.test.ts files
// import this; the name keeps vitest from running it and Stryker from mutating it.

export const machineryUnion: CommandOf<"add-unit"> = {
  type: "add-unit",
  unitId: "machinery-union",
  name: "机械厂工会",
  kind: "grassroots-union",
  on: "2010-01-04",
};

/** A unit first heard of in February, whose id sorts before January's units. */
export const autoParts: CommandOf<"add-unit"> = {
  type: "add-unit",
  unitId: "auto-parts",
  name: "汽配厂",
  kind: "enterprise",
  on: "2010-02-01",
};

/** A fund opened in February, whose id sorts before January's funds. */
export const emergencyFund: CommandOf<"open-fund"> = {
  type: "open-fund",
  fundId: "emergency",
  name: "应急救助资金",
  restricted: true,
  on: "2010-02-02",
};

/** A programme of the general fund with a budget and no hardship-file rule. */
export const floodRelief: CommandOf<"open-program"> = {
  type: "open-program",
  programId: "flood-relief",
  name: "洪灾救助",
  fundId: "general",
  budget: "5000",
  requiresHardshipFile: false,
  on: "2010-01-04",
};

/** A programme opened with a budget that pays nothing in the quarter. */
export const studentGrants: CommandOf<"open-program"> = {
  type: "open-program",
  programId: "student-grants",
  name: "金秋助学",
  fundId: "general",
  budget: "2000",
  requiresHardshipFile: false,
  on: "2010-01-04",
};

const collection = (
  fundId: string,
  source: CommandOf<"record-collection">["source"],
  amount: string,
  receivedOn: string,
  unitId?: string,
): CommandOf<"record-collection"> => ({
  type: "record-collection",
  fundId,
  source,
  amount,
  receivedOn,
  ...(unitId ? { unitId } : {}),
});

const payout = (
  programId: string,
  beneficiaryId: string,
  amount: string,
  paidOn: string,
  method?: "bank" | "cash",
): CommandOf<"record-payout"> => ({
  type: "record-payout",
  programId,
  beneficiaryId,
  amount,
  paidOn,
  ...(method ? { method } : {}),
});

const startAudit = (auditId: string, unitId: string, year: string, startedOn: string): CommandOf<"start-audit"> => ({
  type: "start-audit",
  auditId,
  unitId,
  period: { from: `${year}-01-01`, to: `${year}-12-31` },
  scope: `${year}年度工会经费收支审计`,
  startedOn,
});

const completeAudit = (auditId: string, completedOn: string): CommandOf<"complete-audit"> => ({
  type: "complete-audit",
  auditId,
  completedOn,
  summary: "审计完成",
});

const plan = (findingId: string, submittedOn: string): CommandOf<"submit-rectification-plan"> => ({
  type: "submit-rectification-plan",
  findingId,
  note: "整改方案",
  submittedOn,
});

const finding = (
  findingId: string,
  unitId: string,
  category: CommandOf<"record-finding">["category"],
  severity: CommandOf<"record-finding">["severity"],
  recordedOn: string,
  extra: Partial<CommandOf<"record-finding">> = {},
): CommandOf<"record-finding"> => ({
  type: "record-finding",
  findingId,
  unitId,
  category,
  severity,
  description: "问题描述",
  recordedOn,
  ...extra,
});

/**
 * The quarter. Seqs in brackets; every command of a month is dated in that month.
 *
 * January [1–21]: the registry [1–14] (book, funds warmth and general, two units, programmes
 * winter-warmth, flood-relief and student-grants, households li, wang and zhao with hardship
 * files), then
 *   [15] warmth   collection upper-subsidy 10000.00, no unit          01-10
 *   [16] warmth   collection dues 2500.50 from zhongxin-textile        01-12
 *   [17] general  collection dues 3000.00 from machinery-union         01-15
 *   [18] winter-warmth pays li 800.00                                  01-20
 *   [19] winter-warmth pays wang 600.00                                01-21
 *   [20] flood-relief pays li 500.00                                   01-25
 *   [21] transfer general → warmth 1000.00                             01-31
 * February [22–37]:
 *   [22] unit auto-parts added                                         02-01
 *   [23] general  collection donation 200.00 from auto-parts           02-01
 *   [24] fund emergency opened                                         02-02
 *   [25] emergency collection government 2000.00, no unit             02-02
 *   [26] winter-warmth pays zhao 700.00                                02-03
 *   [27] wang's January payout [19] comes back (600.00)                02-05
 *   [28] zhao's payout [26] is reversed (700.00)                       02-10
 *   [29] winter-warmth pays li 900.00                                  02-12
 *   [30] January's transfer [21] is reversed (1000.00)                 02-15
 *   [31] audit a-textile-2010 starts, [32] audit a-machinery-2010 starts   02-20, 02-21
 *   [33] finding f-1 incomplete-vouchers/medium, 1200.00 in question   02-22
 *   [34] finding f-2 over-standard/high, 350.50 in question            02-24
 *   [35] finding f-3 incomplete-vouchers/low, no amount                02-25
 *   [36] rectification plan for f-1                                    02-26
 *   [37] audit a-textile-2010 completed                                02-28
 * March [38–51]:
 *   [38] audit a-textile-2009 starts                                   03-01
 *   [39] li's February payout [29] comes back (900.00)                 03-03
 *   [40] flood-relief pays wang 700.00                                 03-05
 *   [41] finding f-4 banned-payment-form/low, 100.00 in question       03-05
 *   [42] flood-relief pays li 300.00                                   03-08
 *   [43] li's January flood-relief payout [20] is reversed (500.00)    03-10
 *   [44] audit a-textile-2009 completed                                03-12
 *   [45] rectification plan for f-2                                    03-14
 *   [46] evidence on f-1: 300.00 recovered, 900.00 reclassified        03-18
 *   [47] evidence on f-2: 50.25 recovered                              03-19
 *   [48] audit a-machinery-2010 completed                              03-20
 *   [49] f-1 resolved closed, [50] f-3 resolved waived                 03-25, 03-26
 *   [51] general  collection allocation 400.00 from zhongxin-textile   03-31
 */
export function quarter() {
  const ledger = given(
    openBook,
    warmthFund,
    generalFund,
    textileMill,
    machineryUnion,
    winterWarmth,
    floodRelief,
    studentGrants,
    household("hh-li", "李秀英"),
    household("hh-wang", "王建国"),
    household("hh-zhao", "赵德明"),
    hardshipFile("hh-li"),
    hardshipFile("hh-wang"),
    hardshipFile("hh-zhao"),
  );
  const record = (command: Parameters<typeof recordedOne>[1]) => recordedOne(ledger, command);

  // January
  record(collection("warmth", "upper-subsidy", "10000", "2010-01-10"));
  record(collection("warmth", "dues", "2500.50", "2010-01-12", "zhongxin-textile"));
  record(collection("general", "dues", "3000", "2010-01-15", "machinery-union"));
  record(payout("winter-warmth", "hh-li", "800", "2010-01-20", "bank"));
  const wangJanuary = record(payout("winter-warmth", "hh-wang", "600", "2010-01-21", "cash"));
  const liFloodJanuary = record(payout("flood-relief", "hh-li", "500", "2010-01-25"));
  const transferJanuary = record({
    type: "record-transfer",
    fromFundId: "general",
    toFundId: "warmth",
    amount: "1000",
    on: "2010-01-31",
  });

  // February
  record(autoParts);
  record(collection("general", "donation", "200", "2010-02-01", "auto-parts"));
  record(emergencyFund);
  record(collection("emergency", "government", "2000", "2010-02-02"));
  const zhaoFebruary = record(payout("winter-warmth", "hh-zhao", "700", "2010-02-03", "bank"));
  record({ type: "return-payout", seq: wangJanuary.seq, returnedOn: "2010-02-05", reason: "账户已销户" });
  record({ type: "reverse-entry", seq: zhaoFebruary.seq, reason: "重复发放", on: "2010-02-10" });
  const liFebruary = record(payout("winter-warmth", "hh-li", "900", "2010-02-12", "cash"));
  record({ type: "reverse-entry", seq: transferJanuary.seq, reason: "调拨有误", on: "2010-02-15" });
  record(startAudit("a-textile-2010", "zhongxin-textile", "2009", "2010-02-20"));
  record(startAudit("a-machinery-2010", "machinery-union", "2009", "2010-02-21"));
  record(
    finding("f-1", "zhongxin-textile", "incomplete-vouchers", "medium", "2010-02-22", {
      auditId: "a-textile-2010",
      amountInQuestion: "1200",
    }),
  );
  record(
    finding("f-2", "zhongxin-textile", "over-standard", "high", "2010-02-24", {
      auditId: "a-textile-2010",
      amountInQuestion: "350.50",
    }),
  );
  record(finding("f-3", "machinery-union", "incomplete-vouchers", "low", "2010-02-25"));
  record(plan("f-1", "2010-02-26"));
  record(completeAudit("a-textile-2010", "2010-02-28"));

  // March
  record(startAudit("a-textile-2009", "zhongxin-textile", "2008", "2010-03-01"));
  record({ type: "return-payout", seq: liFebruary.seq, returnedOn: "2010-03-03", reason: "银行退回" });
  record(payout("flood-relief", "hh-wang", "700", "2010-03-05"));
  record(
    finding("f-4", "zhongxin-textile", "banned-payment-form", "low", "2010-03-05", {
      auditId: "a-textile-2009",
      amountInQuestion: "100",
    }),
  );
  record(payout("flood-relief", "hh-li", "300", "2010-03-08"));
  record({ type: "reverse-entry", seq: liFloodJanuary.seq, reason: "冒领", on: "2010-03-10" });
  record(completeAudit("a-textile-2009", "2010-03-12"));
  record(plan("f-2", "2010-03-14"));
  record({
    type: "submit-rectification-evidence",
    findingId: "f-1",
    note: "已追回并调账",
    submittedOn: "2010-03-18",
    amountRecovered: "300",
    amountReclassified: "900",
  });
  record({
    type: "submit-rectification-evidence",
    findingId: "f-2",
    note: "已追回超标部分",
    submittedOn: "2010-03-19",
    amountRecovered: "50.25",
  });
  record(completeAudit("a-machinery-2010", "2010-03-20"));
  record({ type: "resolve-finding", findingId: "f-1", outcome: "closed", note: "同意销号", resolvedOn: "2010-03-25" });
  record({ type: "resolve-finding", findingId: "f-3", outcome: "waived", note: "金额轻微", resolvedOn: "2010-03-26" });
  record(collection("general", "allocation", "400", "2010-03-31", "zhongxin-textile"));

  return ledger;
}

/** The events of one month, in seq order, as the monthly job streams them to the fold. */
export const eventsOf = (ledger: MemoryLedger, period: string): JournalEvent[] =>
  ledger.events.filter((event) => event.occurredOn.startsWith(period));

/** Folds one month of the ledger from the given opening balances and the proposals pending then. */
export function foldOf(
  ledger: MemoryLedger,
  period: string,
  opening: Record<string, Minor> = {},
  pending: Record<string, PendingFigures> = {},
): Rollup {
  const fold = createRollupFold("bazhou", period, "CNY", opening, pending);
  for (const event of eventsOf(ledger, period)) fold.add(event);
  return fold.result();
}

/** Months folded in order, each opening where the one before closed, as rollupsFor chains them. */
export function foldMonths(ledger: MemoryLedger, periods: readonly string[]): Rollup[] {
  const rollups: Rollup[] = [];
  let opening: Record<string, Minor> = {};
  let pending: Record<string, PendingFigures> = {};
  for (const period of periods) {
    const rollup = foldOf(ledger, period, opening, pending);
    rollups.push(rollup);
    opening = closingBalances(rollup);
    pending = pendingAtEnd(rollup);
  }
  return rollups;
}

/**
 * The quarter and its three monthly rollups, made afresh for each test: folding inside the test
 * (not at import) lets mutation testing tell which tests run which code.
 */
export function quarterRollups() {
  const ledger = quarter();
  const [january, february, march] = foldMonths(ledger, ["2010-01", "2010-02", "2010-03"]) as [Rollup, Rollup, Rollup];
  return { ledger, january, february, march };
}

/** An entry of the ledger, which must exist. */
export const entryAt = (ledger: MemoryLedger, seq: number): JournalEvent => {
  const event = ledger.entry(seq);
  if (!event) throw new Error(`no entry ${seq}`);
  return event;
};

/** The names the API passes the reports: the book state's funds, programmes and units. */
export const namesOf = (ledger: MemoryLedger): Names => ({
  funds: ledger.state.funds,
  programs: ledger.state.programs,
  units: ledger.state.units,
});
