import {
  BankResultsRecorded,
  CURRENCIES,
  fileSha256,
  formatAmount,
  IMPORT_CHUNK_ROWS,
  type JournalEvent,
  readSignedAmount,
} from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import { APPROVAL_TTL_DAYS } from "./approvals.ts";
import { FAILED_LINES } from "./bank.ts";
import { ACTORS } from "./catalog.ts";
import { computeFigures } from "./figures.ts";
import { DEMO_BOOK, DEMO_FIGURES, type DemoFigures, type DemoStep, generateDemo, PROGRAMS } from "./generate.ts";
import { runInMemory } from "./memory.ts";
import { CHUNK_LINES } from "./relief.ts";
import { demoRoster } from "./roster.ts";
import { addDays } from "./script.ts";

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
  // Under the approval policies: everything proposed was decided within the year.
  expect(figures.approvals.pending).toBe(0);
  expect(figures.approvals.posted).toBeGreaterThan(200);
}

describe("generateDemo", () => {
  const script = generateDemo();

  it("is deterministic: the same seed gives the same script, another seed another", () => {
    expect(generateDemo()).toEqual(script);
    expect(generateDemo({ seed: script.seed })).toEqual(script);
    const other = generateDemo({ seed: 7 });
    expect(other.steps).not.toEqual(script.steps);
    // The same commands; only how many approvals they need follows the amounts the seed draws.
    const sent = (steps: readonly DemoStep[]) => steps.filter((step) => step.command.type !== "approve-proposal");
    expect(sent(other.steps).length).toBe(sent(script.steps).length);
  });

  it("gives the summary's figures (DEMO_FIGURES), whatever the seed", () => {
    expect(DEMO_FIGURES).toEqual(computeFigures(script));
    expect(DEMO_FIGURES.events).toBe(script.eventCount);
    expectSeedFigures(DEMO_FIGURES);
    expectSeedFigures(computeFigures(generateDemo({ seed: 7 })));
    expectSeedFigures(computeFigures(generateDemo({ seed: 123_456 })));
  });

  it("runs through 2010 in calendar order, each step sent on or after its business date, and leaves the twelve months to close", () => {
    const dates = script.steps.map(({ command, today }) => {
      const c = command as Record<string, unknown>;
      const date = (c.paidOn ??
        c.receivedOn ??
        c.on ??
        c.openedOn ??
        c.startedOn ??
        c.completedOn ??
        c.recordedOn ??
        c.submittedOn ??
        c.resolvedOn ??
        c.returnedOn ??
        today) as string;
      expect(date <= today).toBe(true);
      return date;
    });
    const sent = script.steps.map((step) => step.today);
    for (const date of [...dates, ...sent]) expect(date).toMatch(/^2010-\d{2}-\d{2}$/);
    expect(sent).toEqual([...sent].sort());
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

  it("undoes what it means to: the bank's failed winter lines, a duplicate condolence, a mistyped collection, one bank return", () => {
    const undo = ledger.events.filter((event) => event.type === "EntryReversed" || event.type === "PayoutReturned");
    expect(undo.map((event) => [event.type, event.payload.entryType ?? "PayoutRecorded"])).toEqual([
      ...Array.from({ length: FAILED_LINES }, () => ["PayoutReturned", "PayoutRecorded"]),
      ["EntryReversed", "PayoutRecorded"],
      ["EntryReversed", "CollectionRecorded"],
      ["PayoutReturned", "PayoutRecorded"],
    ]);
    const winter = undo.slice(0, FAILED_LINES);
    for (const returned of winter) expect(returned.payload.programId).toBe(PROGRAMS.winterRelief);
    const [duplicate, , returned] = undo.slice(FAILED_LINES);
    expect(duplicate?.payload.programId).toBe(PROGRAMS.modelWorker);
    expect(returned?.payload.programId).toBe(PROGRAMS.studentAid);
  });

  it("pays the spring batches through the bank: a file each, the bank's results, the failed households paid again", () => {
    const spring = Array.from({ length: 5 }, (_, i) => `winter-2010-spring-${i + 1}`);
    const issued = ledger.events.filter((event) => event.type === "BankFileIssued");
    expect(issued.map((event) => event.payload.batchId)).toEqual(spring);
    // The hash the journal keeps is the file's, built by core's bank-files as the API builds it.
    expect(issued.map((event) => event.payload.fileHash)).toEqual(script.bankFiles.map(({ file }) => fileSha256(file)));
    for (const event of issued) {
      const payouts = ledger.events.filter(
        (payout) => payout.type === "PayoutRecorded" && payout.payload.batchId === event.payload.batchId,
      );
      expect(event.payload.lines).toBe(payouts.length);
      const total = payouts.reduce((sum, payout) => sum + minor(payout.payload.amount as string), 0n);
      expect(event.payload.amount).toBe(formatAmount(total, CNY));
      const file = script.bankFiles.find((files) => files.batchId === event.payload.batchId)?.file;
      expect(new TextDecoder().decode(file).split("\r\n")).toHaveLength(payouts.length + 2);
    }

    const results = ledger.events
      .filter((event) => event.type === "BankResultsRecorded")
      .map((event) => BankResultsRecorded.parse(event.payload));
    expect(new Set(results.map((result) => result.batchId))).toEqual(new Set(spring));
    expect(results.map((result) => result.fileHash)).toEqual(
      script.bankFiles.map(({ results: bytes }) => fileSha256(bytes)),
    );
    const returned = results.flatMap((result) => result.returned);
    expect(returned).toHaveLength(FAILED_LINES);
    expect(results.flatMap((result) => result.skippedLines)).toEqual([]);
    const issuedLines = issued.reduce((sum, event) => sum + (event.payload.lines as number), 0);
    expect(results.reduce((sum, result) => sum + result.paid.length, 0)).toBe(issuedLines - FAILED_LINES);

    // Each failed household: its payout returned with the bank's reason, its account corrected, paid again.
    for (const { seq } of returned) {
      const payout = ledger.entry(seq);
      const beneficiaryId = payout?.payload.beneficiaryId;
      const back = ledger.events.find((event) => event.type === "PayoutReturned" && event.payload.entrySeq === seq);
      expect(back?.payload.reason).toMatch(/^bank: (账户已销户|户名不符|账号不存在|账户已冻结)$/);
      const accounts = ledger.events.filter(
        (event) => event.type === "BankAccountSet" && event.payload.beneficiaryId === beneficiaryId,
      );
      expect(accounts).toHaveLength(2);
      const again = ledger.events.filter(
        (event) =>
          event.type === "PayoutRecorded" &&
          event.payload.beneficiaryId === beneficiaryId &&
          event.payload.reference === "更正收款账户后重新发放",
      );
      expect(again).toHaveLength(1);
      expect(again[0]?.payload).toMatchObject({ amount: payout?.payload.amount, method: "bank" });
      expect(again[0]?.seq).toBeGreaterThan(accounts[1]?.seq as number);
    }
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

  const made = new Map(
    ledger.events.filter((event) => event.type === "ProposalMade").map((event) => [event.seq, event] as const),
  );
  type Signature = { proposalId: number; proposer: string; approvers: string[] };
  const signed = ledger.events.filter((event) => event.payload.proposal !== undefined);
  const signatureOf = (event: JournalEvent) => event.payload.proposal as Signature;
  const TWO_LEVELS = minor("10000.00");
  /** A money entry's amount; a batch chunk's summary has none of its own. */
  const amountOf = (event: JournalEvent) =>
    typeof event.payload.amount === "string" ? minor(event.payload.amount) : 0n;

  it("posts what a policy holds only on approvals by others than the proposer: one, two above 10,000.00", () => {
    expect(made.size).toBeGreaterThan(200);
    for (const entry of signed) {
      const { proposalId, proposer, approvers } = signatureOf(entry);
      const proposal = made.get(proposalId) as JournalEvent;
      // The finance office proposed it; the approver whose approval completed the policy recorded it.
      expect(proposal.actor).toEqual(ACTORS.finance);
      expect(proposer).toBe(ACTORS.finance.sub);
      expect(entry.actor).toEqual({ sub: approvers.at(-1), role: "approver" });
      expect(approvers).not.toContain(proposer);
      expect(new Set(approvers).size).toBe(approvers.length);
      expect(approvers.length).toBe(proposal.payload.needs);
      // The policy is applied to a batch's total (every chunk alike), to anything else's own amount.
      const request = proposal.payload.request as { batchAmount?: string };
      const asked = minor(request.batchAmount ?? (proposal.payload.amount as string));
      expect(approvers).toHaveLength(asked > TWO_LEVELS ? 2 : 1);
      if (amountOf(entry) > TWO_LEVELS) expect(approvers).toHaveLength(2);
    }
    for (const approval of ledger.events.filter((event) => event.type === "ProposalApproved")) {
      expect(approval.actor.role).toBe("approver");
      expect(approval.payload.approver).toBe(approval.actor.sub);
      expect(approval.actor.sub).not.toBe(made.get(approval.payload.proposalId as number)?.actor.sub);
    }
    // Every winter relief and student aid payout, and every transfer, went through approval.
    const relief = [PROGRAMS.winterRelief, PROGRAMS.studentAid] as unknown[];
    const held = ledger.events.filter(
      (event) =>
        (event.type === "PayoutRecorded" && relief.includes(event.payload.programId)) ||
        event.type === "TransferRecorded",
    );
    expect(held.length).toBeGreaterThan(1300);
    for (const entry of held) expect(entry.payload.proposal).toBeDefined();
    // Above 10,000.00: the transfers, the mistyped collection's reversal, the larger illness claims.
    const large = signed.filter((entry) => amountOf(entry) > TWO_LEVELS);
    expect(new Set(large.map((entry) => entry.type))).toEqual(
      new Set(["TransferRecorded", "EntryReversed", "PayoutRecorded"]),
    );
  });

  it("voids a few: rejected by an approver with a reason, withdrawn by the proposer, one expired by the daily job", () => {
    const voids = ledger.events.filter((event) => event.type === "ProposalVoided");
    expect(voids.map((event) => event.payload.reason).sort()).toEqual(["expired", "rejected", "rejected", "withdrawn"]);
    const posted = new Set(signed.map((entry) => signatureOf(entry).proposalId));
    for (const voided of voids) {
      const { proposalId, reason, by, note } = voided.payload as {
        proposalId: number;
        reason: string;
        by?: string;
        note?: string;
      };
      const proposal = made.get(proposalId) as JournalEvent;
      expect(posted.has(proposalId)).toBe(false);
      if (reason === "rejected") {
        expect(voided.actor.role).toBe("approver");
        expect(by).toBe(voided.actor.sub);
        expect(note).toMatch(/\S/);
      } else if (reason === "withdrawn") {
        expect(voided.actor).toEqual(proposal.actor);
        expect(by).toBe(proposal.actor.sub);
      } else {
        expect(voided.actor.role).toBe("system");
        expect(by).toBeUndefined();
        expect(voided.occurredOn > addDays(proposal.payload.madeOn as string, APPROVAL_TTL_DAYS)).toBe(true);
      }
    }
  });

  it("leaves no proposal pending at the end of 2010, so that every month can close", () => {
    expect(ledger.state.pending ?? {}).toEqual({});
    const posted = new Set(signed.map((entry) => signatureOf(entry).proposalId)).size;
    const voided = ledger.events.filter((event) => event.type === "ProposalVoided").length;
    expect(made.size).toBe(posted + voided);
    expect(DEMO_FIGURES.approvals).toEqual({
      proposed: made.size,
      posted,
      rejected: 2,
      withdrawn: 1,
      expired: 1,
      pending: 0,
    });
  });

  it("imports the register's households as a roster, in chunks of 24, as many events as each chunk's step counts", () => {
    const chunks = script.steps.filter((step) => step.command.type === "import-beneficiaries-chunk");
    const rows = demoRoster(script);
    expect(rows).toHaveLength(DEMO_FIGURES.beneficiaries.imported);
    expect(chunks).toHaveLength(Math.ceil(rows.length / IMPORT_CHUNK_ROWS));
    expect(chunks.map((step) => step.idempotencyKey)).toEqual(
      chunks.map((_, chunk) => `${DEMO_BOOK}/roster/2010#${chunk}`),
    );
    const sizes = chunks.map(({ command }) =>
      command.type === "import-beneficiaries-chunk" ? command.rows.length : 0,
    );
    // Every row a household with a file: registered, file opened; and the chunk's summary.
    expect(chunks.map((step) => step.events)).toEqual(sizes.map((size) => 2 * size + 1));
    const summaries = ledger.events.filter((event) => event.type === "BeneficiaryImportChunkRecorded");
    expect(summaries.map((event) => event.payload.registered)).toEqual(sizes);
    expect(ledger.events.filter((event) => event.type === "BeneficiaryRegistered")).toHaveLength(
      DEMO_FIGURES.beneficiaries.registered,
    );
    expect(ledger.events.filter((event) => event.type === "HardshipFileOpened")).toHaveLength(
      DEMO_FIGURES.hardshipFiles,
    );
  });

  it("journals business dates month by month, so that months can close in order", () => {
    const months = ledger.events.map((event) => event.occurredOn.slice(0, 7));
    expect(months).toEqual([...months].sort());
    expect(months.at(-1)).toBe("2010-12");
    // Closing them is the monthly rollup's job, not the demo's.
    expect(ledger.events.some((event) => event.type === "PeriodClosed")).toBe(false);
  });
});
