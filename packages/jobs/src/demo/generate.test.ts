import { CURRENCIES, formatAmount, type JournalEvent, readSignedAmount } from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import { computeFigures } from "./figures.ts";
import { DEMO_BOOK, DEMO_FIGURES, type DemoFigures, generateDemo, PROGRAMS } from "./generate.ts";
import { runInMemory } from "./memory.ts";
import { CHUNK_LINES } from "./relief.ts";

const CNY = CURRENCIES.CNY;
const minor = (amount: string) => readSignedAmount(amount, CNY);

/** The figures of the 2010 work summary (seed/000_50b9cbe120692619.txt) that the demo must re-enact. */
function expectSeedFigures(figures: DemoFigures) {
  // 金秋助学: "全年共发放了助学资金30余万元，帮助了181名学生完成学业", from four sources.
  expect(figures.studentAid.beneficiaries).toBe(181);
  expect(figures.studentAid.personTimes).toBe(181);
  expect(minor(figures.studentAid.amount)).toBeGreaterThanOrEqual(minor("300000.00"));
  expect(minor(figures.studentAid.amount)).toBeLessThan(minor("350000.00"));
  expect(figures.studentAidSources).toEqual(["donation", "government", "own-level", "upper-subsidy"]);
  // 送温暖: "及时发送温暖资金105.11万元，扶助困难群众1300多人次", among the registered households.
  expect(figures.winterRelief.amount).toBe("1051100.00");
  expect(figures.winterRelief.personTimes).toBeGreaterThanOrEqual(1300);
  expect(figures.winterRelief.personTimes).toBeLessThan(1400);
  expect(figures.winterRelief.beneficiaries).toBeLessThanOrEqual(figures.hardshipFiles);
  expect(figures.hardshipFiles).toBeLessThanOrEqual(6218);
  // 慰问劳模: "慰问劳模30余人次，发放慰问金20余万元".
  expect(figures.modelWorker.personTimes).toBeGreaterThanOrEqual(30);
  expect(figures.modelWorker.personTimes).toBeLessThan(40);
  expect(minor(figures.modelWorker.amount)).toBeGreaterThanOrEqual(minor("200000.00"));
  expect(minor(figures.modelWorker.amount)).toBeLessThan(minor("300000.00"));
  // 挂包帮扶: "确定了37户特困户为帮扶对象 … 落实项目资金11万元".
  expect(figures.villageAid).toEqual({ amount: "110000.00", personTimes: 37, beneficiaries: 37 });
  // 女职工大病保险: "累计赔付16人，赔付金额达19万元".
  expect(figures.illnessClaims).toEqual({ amount: "190000.00", personTimes: 16, beneficiaries: 16 });
  // "争取了250万元用于文化宫改造危建"; "投资55万元，新建农民工公寓1处，改建农民工公寓1所".
  expect(figures.repairGrant).toBe("2500000.00");
  expect(figures.migrantHousing).toBe("550000.00");
  // "市总工会下达我区审计5家基层工会指标，实际完成了6个单位工会经费的审计".
  expect(figures.audits).toMatchObject({ target: 5, started: 6, completed: 6 });
  expect(figures.audits.open).toBe(1);
}

describe("generateDemo", () => {
  const script = generateDemo();

  it("is deterministic: the same seed gives the same script, another seed another", () => {
    expect(generateDemo()).toEqual(script);
    expect(generateDemo({ seed: script.seed })).toEqual(script);
    const other = generateDemo({ seed: 7 });
    expect(other.steps).not.toEqual(script.steps);
    expect(other.steps.length).toBe(script.steps.length);
  });

  it("gives the summary's figures (DEMO_FIGURES), whatever the seed", () => {
    expect(DEMO_FIGURES).toEqual(computeFigures(script));
    expectSeedFigures(DEMO_FIGURES);
    expectSeedFigures(computeFigures(generateDemo({ seed: 7 })));
    expectSeedFigures(computeFigures(generateDemo({ seed: 123_456 })));
  });

  it("runs through 2010 in calendar order and leaves the twelve months to close", () => {
    const dates = script.steps.map(({ command }) => {
      const c = command as Record<string, unknown>;
      return (c.paidOn ??
        c.receivedOn ??
        c.on ??
        c.openedOn ??
        c.startedOn ??
        c.completedOn ??
        c.recordedOn ??
        c.submittedOn ??
        c.resolvedOn ??
        c.returnedOn) as string;
    });
    for (const date of dates) expect(date).toMatch(/^2010-\d{2}-\d{2}$/);
    const months = dates.map((date) => date.slice(0, 7));
    expect(months).toEqual([...months].sort());
    expect(script.monthsToClose).toEqual(
      Array.from({ length: 12 }, (_, i) => `2010-${String(i + 1).padStart(2, "0")}`),
    );
  });

  it("keys every step uniquely and splits batches into chunks of at most 48 lines", () => {
    expect(new Set(script.steps.map((step) => step.idempotencyKey)).size).toBe(script.steps.length);
    for (const { command } of script.steps) {
      if (command.type !== "record-payout-chunk") continue;
      expect(command.lines.length).toBeLessThanOrEqual(CHUNK_LINES);
      expect(command.firstLine).toBe(command.chunk * CHUNK_LINES);
      expect(command.firstLine + command.lines.length).toBeLessThanOrEqual(command.totalLines);
    }
  });
});

describe("the demo in memory", () => {
  const script = generateDemo();
  const ledger = runInMemory(script);

  /** A programme's figures folded from the recorded events, net of reversals and bank returns. */
  const fold = (programId: string) => {
    const undone = new Set<number>();
    for (const event of ledger.events) {
      if (event.type === "EntryReversed" || event.type === "PayoutReturned")
        undone.add(event.payload.entrySeq as number);
    }
    const paid = ledger.events.filter(
      (event): event is JournalEvent =>
        event.type === "PayoutRecorded" && event.payload.programId === programId && !undone.has(event.seq),
    );
    const amount = paid.reduce((sum, event) => sum + minor(event.payload.amount as string), 0n);
    return {
      amount: formatAmount(amount, CNY),
      personTimes: paid.length,
      beneficiaries: new Set(paid.map((event) => event.payload.beneficiaryId)).size,
    };
  };

  it("records every step without a refusal, as many events as the script says", () => {
    expect(ledger.events).toHaveLength(DEMO_FIGURES.events);
    expect(ledger.state.book?.name).toBe("巴中市巴州区总工会");
    expect(ledger.events[0]?.book).toBe(DEMO_BOOK);
  });

  it("folds to DEMO_FIGURES: amounts, person-times and distinct beneficiaries per programme", () => {
    expect(fold(PROGRAMS.studentAid)).toEqual(DEMO_FIGURES.studentAid);
    expect(fold(PROGRAMS.winterRelief)).toEqual(DEMO_FIGURES.winterRelief);
    expect(fold(PROGRAMS.modelWorker)).toEqual(DEMO_FIGURES.modelWorker);
    expect(fold(PROGRAMS.villageAid)).toEqual(DEMO_FIGURES.villageAid);
    expect(fold(PROGRAMS.illnessClaims)).toEqual(DEMO_FIGURES.illnessClaims);
  });

  it("leaves the funds with the balances DEMO_FIGURES names, none below zero", () => {
    const balances = Object.fromEntries(
      Object.entries(ledger.state.funds).map(([fundId, fund]) => [fundId, formatAmount(fund.balance, CNY)]),
    );
    expect(balances).toEqual(DEMO_FIGURES.funds);
    expect(balances["culture-palace"]).toBe("2500000.00");
    expect(ledger.state.programs[PROGRAMS.winterRelief]?.paid).toBe(minor("1051100.00"));
  });

  it("undoes what it means to: a duplicate condolence, a mistyped collection, one bank return", () => {
    const undo = ledger.events.filter((event) => event.type === "EntryReversed" || event.type === "PayoutReturned");
    expect(undo.map((event) => [event.type, event.payload.entryType ?? "PayoutRecorded"])).toEqual([
      ["EntryReversed", "PayoutRecorded"],
      ["EntryReversed", "CollectionRecorded"],
      ["PayoutReturned", "PayoutRecorded"],
    ]);
    const [duplicate, , returned] = undo;
    expect(duplicate?.payload.programId).toBe(PROGRAMS.modelWorker);
    expect(returned?.payload.programId).toBe(PROGRAMS.studentAid);
  });

  it("keeps the audit work: the plan of 5, 6 audits completed, findings resolved but one", () => {
    expect(ledger.state.auditPlans?.["2010"]).toBe(5);
    const count = (type: string) => ledger.events.filter((event) => event.type === type).length;
    expect(count("AuditStarted")).toBe(6);
    expect(count("AuditCompleted")).toBe(6);
    expect(count("FindingRecorded")).toBe(DEMO_FIGURES.audits.findings);
    expect(count("FindingResolved")).toBe(DEMO_FIGURES.audits.findings - 1);
    const related = ledger.events.find((event) => event.type === "FindingRecorded" && event.payload.relatedEntries);
    const seqs = related?.payload.relatedEntries as number[];
    expect(seqs.map((seq) => ledger.entry(seq)?.payload.unitId)).toEqual(["bazhou-silk", "bazhou-silk"]);
  });

  it("journals business dates month by month, so that months can close in order", () => {
    const months = ledger.events.map((event) => event.occurredOn.slice(0, 7));
    expect(months).toEqual([...months].sort());
    expect(months.at(-1)).toBe("2010-12");
    // Closing them is the monthly rollup's job, not the demo's.
    expect(ledger.events.some((event) => event.type === "PeriodClosed")).toBe(false);
  });
});
