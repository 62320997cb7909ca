import { describe, expect, it } from "vitest";
import type { EventFacts } from "../journal-event.ts";
import {
  type AuditRecord,
  auditOf as auditOfEvent,
  auditProgress,
  auditRef,
  currentDueBy,
  evolveAudit,
  evolveFinding,
  type FindingRecord,
  findingOf as findingOfEvent,
  findingRef,
  isOverdue,
} from "./audit.ts";
import type { CommandOf } from "./commands.ts";
import { readsOf } from "./decide.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import {
  closePeriod,
  generalFund,
  given,
  openBook,
  recordedOne,
  refused,
  TODAY,
  textileMill,
} from "./scenario.test-support.ts";

// The fund-audit committee (经审会) audits grassroots unions, records what it finds, and the
// audited body rectifies (整改) until the committee closes the finding (销号). Given, when, then.

const mechanicsUnion: CommandOf<"add-unit"> = {
  type: "add-unit",
  unitId: "machinery-union",
  name: "机械厂工会",
  kind: "grassroots-union",
  on: "2010-01-04",
};

const duesIn: CommandOf<"record-collection"> = {
  type: "record-collection",
  fundId: "general",
  source: "dues",
  unitId: "zhongxin-textile",
  amount: "5000",
  receivedOn: "2010-02-01",
};

/** The book, two units, a fund and one collection (entry 5): something a finding can point at. */
const setup = () => given(openBook, generalFund, textileMill, mechanicsUnion, duesIn);

const audit = (extra: Partial<CommandOf<"start-audit">> = {}): CommandOf<"start-audit"> => ({
  type: "start-audit",
  auditId: "a-textile-2010",
  unitId: "zhongxin-textile",
  period: { from: "2009-01-01", to: "2009-12-31" },
  scope: "2009年度工会经费收支审计",
  startedOn: "2010-03-01",
  ...extra,
});

const completion = (extra: Partial<CommandOf<"complete-audit">> = {}): CommandOf<"complete-audit"> => ({
  type: "complete-audit",
  auditId: "a-textile-2010",
  completedOn: "2010-04-15",
  summary: "经费收支基本规范，发现问题两项",
  ...extra,
});

const finding = (extra: Partial<CommandOf<"record-finding">> = {}): CommandOf<"record-finding"> => ({
  type: "record-finding",
  findingId: "f-1",
  auditId: "a-textile-2010",
  unitId: "zhongxin-textile",
  category: "incomplete-vouchers",
  severity: "medium",
  amountInQuestion: "1200",
  description: "慰问品发放无签收单",
  relatedEntries: [5],
  dueBy: "2010-06-30",
  recordedOn: "2010-04-10",
  ...extra,
});

const plan = (extra: Partial<CommandOf<"submit-rectification-plan">> = {}): CommandOf<"submit-rectification-plan"> => ({
  type: "submit-rectification-plan",
  findingId: "f-1",
  note: "补齐签收单，建立发放台账",
  submittedOn: "2010-04-20",
  ...extra,
});

const evidence = (
  extra: Partial<CommandOf<"submit-rectification-evidence">> = {},
): CommandOf<"submit-rectification-evidence"> => ({
  type: "submit-rectification-evidence",
  findingId: "f-1",
  note: "已补签收单 40 份",
  submittedOn: "2010-05-10",
  ...extra,
});

const resolution = (
  outcome: CommandOf<"resolve-finding">["outcome"],
  extra: Partial<CommandOf<"resolve-finding">> = {},
): CommandOf<"resolve-finding"> => ({
  type: "resolve-finding",
  findingId: "f-1",
  outcome,
  note: "经复查，同意销号",
  resolvedOn: "2010-06-01",
  ...extra,
});

const auditOf = (ledger: MemoryLedger, id = "a-textile-2010") =>
  ledger.entities.get(auditRef(id)) as AuditRecord | undefined;
const findingOf = (ledger: MemoryLedger, id = "f-1") =>
  ledger.entities.get(findingRef(id)) as FindingRecord | undefined;

/** A ledger with the audit started and finding f-1 open. */
const withFinding = (extra: Partial<CommandOf<"record-finding">> = {}) => {
  const ledger = setup().given(audit());
  recordedOne(ledger, finding(extra));
  return ledger;
};

describe("the year's audit plan", () => {
  it("sets the year's target in the book state, and a later plan revises it", () => {
    const ledger = setup();
    const event = recordedOne(ledger, { type: "set-audit-plan", year: 2010, targetCount: 4, on: "2010-01-10" });
    expect(event).toMatchObject({
      type: "AuditPlanSet",
      occurredOn: "2010-01-10",
      payload: { year: 2010, targetCount: 4 },
    });
    recordedOne(ledger, { type: "set-audit-plan", year: 2010, targetCount: 5 });
    recordedOne(ledger, { type: "set-audit-plan", year: 2011, targetCount: 8 });
    expect(ledger.state.auditPlans).toEqual({ "2010": 5, "2011": 8 });
  });

  it("moves no money", () => {
    const ledger = setup();
    const before = ledger.state.funds;
    ledger.given({ type: "set-audit-plan", year: 2010, targetCount: 5 }, audit());
    expect(ledger.state.funds).toEqual(before);
  });
});

describe("an audit engagement", () => {
  it("starts an audit of a unit over a period, kept as a record of its own", () => {
    const ledger = setup();
    const event = recordedOne(ledger, audit());
    expect(event).toMatchObject({ type: "AuditStarted", occurredOn: "2010-03-01" });
    expect(auditOf(ledger)).toEqual({
      id: "a-textile-2010",
      unitId: "zhongxin-textile",
      period: { from: "2009-01-01", to: "2009-12-31" },
      scope: "2009年度工会经费收支审计",
      startedOn: "2010-03-01",
      findings: [],
    });
  });

  it("refuses an audit id that exists, a unit the book does not have, and a period that ends before it begins", () => {
    const ledger = setup().given(audit());
    expect(refused(ledger, audit({ unitId: "machinery-union" }))).toMatchObject({
      code: "audit-exists",
      auditId: "a-textile-2010",
    });
    expect(refused(ledger, audit({ auditId: "a-2", unitId: "no-such-union" }))).toMatchObject({
      code: "unit-not-found",
      unitId: "no-such-union",
    });
    expect(refused(ledger, audit({ auditId: "a-2", period: { from: "2010-01-01", to: "2009-12-31" } }))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-01-01",
      to: "2009-12-31",
    });
    recordedOne(ledger, audit({ auditId: "a-2", period: { from: "2009-12-31", to: "2009-12-31" } }));
  });

  it("dates the start in an open period and not after today; the audited period may lie in a closed one", () => {
    const ledger = setup();
    closePeriod(ledger, "2010-02");
    expect(refused(ledger, audit({ startedOn: "2010-02-28" }))).toMatchObject({ code: "period-closed" });
    expect(refused(ledger, audit({ startedOn: "2011-01-01" }))).toMatchObject({ code: "future-date", today: TODAY });
    recordedOne(ledger, audit({ startedOn: "2010-03-01", period: { from: "2010-01-01", to: "2010-02-28" } }));
  });

  it("completes an audit once, not before it started", () => {
    const ledger = setup().given(audit());
    expect(refused(ledger, completion({ completedOn: "2010-02-28" }))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-03-01",
      to: "2010-02-28",
    });
    recordedOne(ledger, completion({ completedOn: "2010-03-01" }));
    expect(auditOf(ledger)).toMatchObject({ completedOn: "2010-03-01", summary: "经费收支基本规范，发现问题两项" });
    expect(refused(ledger, completion())).toMatchObject({ code: "audit-completed", completedOn: "2010-03-01" });
    expect(refused(ledger, completion({ auditId: "a-none" }))).toMatchObject({
      code: "audit-not-found",
      auditId: "a-none",
    });
  });
});

describe("recording a finding", () => {
  it("records an open finding with its history, and lists it on its audit", () => {
    const ledger = setup().given(audit());
    const event = recordedOne(ledger, finding());
    expect(event).toMatchObject({ type: "FindingRecorded", occurredOn: "2010-04-10" });
    expect(event.payload).toEqual({
      findingId: "f-1",
      auditId: "a-textile-2010",
      unitId: "zhongxin-textile",
      category: "incomplete-vouchers",
      severity: "medium",
      amountInQuestion: "1200.00",
      description: "慰问品发放无签收单",
      relatedEntries: [5],
      dueBy: "2010-06-30",
    });
    expect(findingOf(ledger)).toEqual({
      id: "f-1",
      auditId: "a-textile-2010",
      unitId: "zhongxin-textile",
      category: "incomplete-vouchers",
      severity: "medium",
      amountInQuestion: "1200.00",
      description: "慰问品发放无签收单",
      relatedEntries: [5],
      dueBy: "2010-06-30",
      status: "open",
      recordedOn: "2010-04-10",
      history: [{ type: "FindingRecorded", on: "2010-04-10" }],
      amountRecovered: "0.00",
      amountReclassified: "0.00",
    });
    expect(auditOf(ledger)?.findings).toEqual(["f-1"]);
  });

  it("records a finding without an audit, dated today unless it names its date", () => {
    const ledger = setup();
    const event = recordedOne(ledger, {
      type: "record-finding",
      findingId: "f-own",
      unitId: "machinery-union",
      category: "banned-payment-form",
      severity: "high",
      description: "以现金发放购物卡",
    });
    expect(event.occurredOn).toBe(TODAY);
    expect(event.payload).toEqual({
      findingId: "f-own",
      unitId: "machinery-union",
      category: "banned-payment-form",
      severity: "high",
      description: "以现金发放购物卡",
    });
    expect(findingOf(ledger, "f-own")).toMatchObject({ relatedEntries: [], status: "open" });
  });

  it("refuses a finding id that exists, an unknown unit, and an audit that is missing or of another unit", () => {
    const ledger = withFinding();
    expect(refused(ledger, finding())).toMatchObject({ code: "finding-exists", findingId: "f-1" });
    expect(refused(ledger, finding({ findingId: "f-2", auditId: undefined, unitId: "nowhere" }))).toMatchObject({
      code: "unit-not-found",
    });
    expect(refused(ledger, finding({ findingId: "f-2", auditId: "a-none" }))).toMatchObject({
      code: "audit-not-found",
      auditId: "a-none",
    });
    expect(refused(ledger, finding({ findingId: "f-2", unitId: "machinery-union" }))).toMatchObject({
      code: "audit-unit-mismatch",
      auditId: "a-textile-2010",
      auditUnitId: "zhongxin-textile",
      unitId: "machinery-union",
    });
    // The audit started on 2010-03-01.
    expect(refused(ledger, finding({ findingId: "f-2", recordedOn: "2010-02-28" }))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-03-01",
      to: "2010-02-28",
    });
  });

  it("names only journal entries that exist: 1 through the head", () => {
    const ledger = setup().given(audit());
    const head = ledger.head.seq;
    expect(refused(ledger, finding({ relatedEntries: [5, head + 1] }))).toMatchObject({
      code: "related-entry-not-found",
      seq: head + 1,
      headSeq: head,
    });
    expect(refused(ledger, finding({ relatedEntries: [0] }))).toMatchObject({
      code: "related-entry-not-found",
      seq: 0,
    });
    const event = recordedOne(ledger, finding({ relatedEntries: [head, 1, head] }));
    expect(event.payload.relatedEntries).toEqual([head, 1]);
  });

  it("parses the amount in question like any amount, naming the field", () => {
    const ledger = setup().given(audit());
    expect(refused(ledger, finding({ amountInQuestion: "12.345" }))).toMatchObject({
      code: "invalid-amount",
      field: "amountInQuestion",
    });
    expect(refused(ledger, finding({ amountInQuestion: "0" }))).toMatchObject({ code: "invalid-amount" });
  });

  it("refuses a due date before the finding, and dates in closed periods or the future", () => {
    const ledger = setup().given(audit());
    expect(refused(ledger, finding({ dueBy: "2010-04-09" }))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-04-10",
      to: "2010-04-09",
    });
    expect(refused(ledger, finding({ recordedOn: "2011-01-01" }))).toMatchObject({ code: "future-date" });
    closePeriod(ledger, "2010-04");
    expect(refused(ledger, finding({ recordedOn: "2010-04-30" }))).toMatchObject({ code: "period-closed" });
    // A due date is a promise about the future: it may lie after today.
    recordedOne(ledger, finding({ recordedOn: "2010-05-01", dueBy: "2011-06-30" }));
  });
});

describe("a finding's lifecycle: open → plan → evidence → resolved", () => {
  it("goes the whole way and is closed (销号), its history and totals kept", () => {
    const ledger = withFinding();
    recordedOne(ledger, plan({ dueBy: "2010-07-31" }));
    expect(findingOf(ledger)?.status).toBe("plan-submitted");
    recordedOne(ledger, evidence({ amountRecovered: "800", amountReclassified: "100.5" }));
    expect(findingOf(ledger)?.status).toBe("evidence-submitted");
    recordedOne(ledger, evidence({ note: "追回余款", submittedOn: "2010-05-20", amountRecovered: "300" }));
    const resolved = recordedOne(ledger, resolution("closed"));
    expect(resolved).toMatchObject({
      type: "FindingResolved",
      occurredOn: "2010-06-01",
      payload: { findingId: "f-1", outcome: "closed", note: "经复查，同意销号", resolvedOn: "2010-06-01" },
    });
    expect(findingOf(ledger)).toMatchObject({
      status: "resolved",
      amountRecovered: "1100.00",
      amountReclassified: "100.50",
      resolution: { outcome: "closed", note: "经复查，同意销号", resolvedOn: "2010-06-01" },
      history: [
        { type: "FindingRecorded", on: "2010-04-10" },
        { type: "RectificationPlanSubmitted", on: "2010-04-20", note: "补齐签收单，建立发放台账", dueBy: "2010-07-31" },
        {
          type: "RectificationEvidenceSubmitted",
          on: "2010-05-10",
          note: "已补签收单 40 份",
          amountRecovered: "800.00",
          amountReclassified: "100.50",
        },
        { type: "RectificationEvidenceSubmitted", on: "2010-05-20", note: "追回余款", amountRecovered: "300.00" },
        { type: "FindingResolved", on: "2010-06-01", outcome: "closed", note: "经复查，同意销号" },
      ],
    });
  });

  it("refuses every step out of order, naming the status and the step", () => {
    const ledger = withFinding();
    const outOfOrder = (status: string, step: string) => ({
      code: "finding-step-out-of-order",
      findingId: "f-1",
      findingStatus: status,
      step,
    });
    expect(refused(ledger, evidence())).toMatchObject(outOfOrder("open", "rectification evidence"));
    expect(refused(ledger, resolution("closed"))).toMatchObject(outOfOrder("open", "resolution (closed)"));
    recordedOne(ledger, plan());
    expect(refused(ledger, plan({ submittedOn: "2010-04-21" }))).toMatchObject(
      outOfOrder("plan-submitted", "rectification plan"),
    );
    expect(refused(ledger, resolution("closed"))).toMatchObject(outOfOrder("plan-submitted", "resolution (closed)"));
    recordedOne(ledger, evidence());
    expect(refused(ledger, plan({ submittedOn: "2010-05-11" }))).toMatchObject(
      outOfOrder("evidence-submitted", "rectification plan"),
    );
  });

  it("dates a step not before the latest step, not merely not before the finding", () => {
    const ledger = withFinding();
    recordedOne(ledger, plan({ submittedOn: "2010-04-20" }));
    // After the finding (04-10) but before the plan (04-20).
    expect(refused(ledger, evidence({ submittedOn: "2010-04-15" }))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-04-20",
      to: "2010-04-15",
    });
    recordedOne(ledger, evidence({ submittedOn: "2010-04-20" }));
  });

  it("lets a finding be waived or escalated from any unresolved status", () => {
    const waivedOpen = withFinding();
    recordedOne(waivedOpen, resolution("waived", { note: "金额轻微，免于整改" }));
    expect(findingOf(waivedOpen)).toMatchObject({ status: "resolved", resolution: { outcome: "waived" } });

    const escalatedWithPlan = withFinding();
    recordedOne(escalatedWithPlan, plan());
    recordedOne(escalatedWithPlan, resolution("escalated", { note: "移交上级工会经审会" }));
    expect(findingOf(escalatedWithPlan)?.resolution?.outcome).toBe("escalated");

    const waivedWithEvidence = withFinding();
    waivedWithEvidence.given(plan(), evidence());
    recordedOne(waivedWithEvidence, resolution("waived"));
  });

  it("resolves a finding once: it then takes no further step", () => {
    const ledger = withFinding();
    ledger.given(plan(), evidence(), resolution("closed"));
    const resolved = { code: "finding-resolved", findingId: "f-1", outcome: "closed", resolvedOn: "2010-06-01" };
    for (const outcome of ["closed", "waived", "escalated"] as const) {
      expect(refused(ledger, resolution(outcome, { resolvedOn: "2010-06-02" }))).toMatchObject(resolved);
    }
    expect(refused(ledger, plan({ submittedOn: "2010-06-02" }))).toMatchObject(resolved);
    expect(refused(ledger, evidence({ submittedOn: "2010-06-02" }))).toMatchObject(resolved);
  });

  it("refuses a step for a finding the book does not have", () => {
    const ledger = withFinding();
    for (const command of [
      plan({ findingId: "f-9" }),
      evidence({ findingId: "f-9" }),
      resolution("waived", { findingId: "f-9" }),
    ]) {
      expect(refused(ledger, command)).toMatchObject({ code: "finding-not-found", findingId: "f-9" });
    }
  });

  it("dates each step not before the one it follows, in an open period, not after today", () => {
    const ledger = withFinding();
    expect(refused(ledger, plan({ submittedOn: "2010-04-09" }))).toMatchObject({
      code: "invalid-date-range",
      from: "2010-04-10",
    });
    recordedOne(ledger, plan({ submittedOn: "2010-04-10" }));
    expect(refused(ledger, evidence({ submittedOn: "2010-04-09" }))).toMatchObject({ code: "invalid-date-range" });
    expect(refused(ledger, evidence({ submittedOn: "2011-01-01" }))).toMatchObject({ code: "future-date" });
    closePeriod(ledger, "2010-05");
    expect(refused(ledger, evidence({ submittedOn: "2010-05-31" }))).toMatchObject({ code: "period-closed" });
    recordedOne(ledger, evidence({ submittedOn: "2010-06-01" }));
  });

  it("refuses a plan whose due date precedes it, and evidence amounts that are not amounts", () => {
    const ledger = withFinding();
    expect(refused(ledger, plan({ dueBy: "2010-04-19" }))).toMatchObject({ code: "invalid-date-range" });
    recordedOne(ledger, plan({ dueBy: "2010-04-20" }));
    expect(refused(ledger, evidence({ amountRecovered: "-5" }))).toMatchObject({
      code: "invalid-amount",
      field: "amountRecovered",
    });
    expect(refused(ledger, evidence({ amountReclassified: "1.001" }))).toMatchObject({
      code: "invalid-amount",
      field: "amountReclassified",
    });
  });
});

describe("overdue is derived from the due date, never stored", () => {
  it("is overdue only after the due date, and never once resolved", () => {
    const ledger = withFinding({ dueBy: "2010-06-30" });
    const record = () => findingOf(ledger) as FindingRecord;
    expect(isOverdue(record(), "2010-06-30")).toBe(false);
    expect(isOverdue(record(), "2010-07-01")).toBe(true);
    expect(Object.keys(record())).not.toContain("overdue");
    ledger.given(resolution("waived"));
    expect(isOverdue(record(), "2010-07-01")).toBe(false);
  });

  it("judges by the rectification plan's due date when it sets one, else by the finding's", () => {
    const extended = withFinding({ dueBy: "2010-06-30" });
    recordedOne(extended, plan({ dueBy: "2010-09-30" }));
    const record = findingOf(extended) as FindingRecord;
    expect(currentDueBy(record)).toBe("2010-09-30");
    expect(isOverdue(record, "2010-07-01")).toBe(false);
    expect(isOverdue(record, "2010-10-01")).toBe(true);

    const planWithoutDate = withFinding({ dueBy: "2010-06-30" });
    recordedOne(planWithoutDate, plan());
    expect(currentDueBy(findingOf(planWithoutDate) as FindingRecord)).toBe("2010-06-30");
    expect(isOverdue(findingOf(planWithoutDate) as FindingRecord, "2010-07-01")).toBe(true);
  });

  it("keeps the plan's due date once evidence follows the plan", () => {
    const ledger = withFinding({ dueBy: "2010-06-30" });
    recordedOne(ledger, plan({ dueBy: "2010-09-30" }));
    recordedOne(ledger, evidence());
    const record = findingOf(ledger) as FindingRecord;
    expect(currentDueBy(record)).toBe("2010-09-30");
    expect(isOverdue(record, "2010-07-01")).toBe(false);
  });

  it("never calls a finding without a due date overdue", () => {
    const ledger = withFinding({ dueBy: undefined });
    expect(isOverdue(findingOf(ledger) as FindingRecord, "2099-12-31")).toBe(false);
  });
});

describe("the records beside the journal", () => {
  it("asks for the audit or finding a command concerns before deciding it", () => {
    const none = () => undefined;
    expect(readsOf(audit(), none)).toEqual([auditRef("a-textile-2010")]);
    expect(readsOf(completion(), none)).toEqual([auditRef("a-textile-2010")]);
    expect(readsOf(finding(), none)).toEqual([findingRef("f-1"), auditRef("a-textile-2010")]);
    expect(readsOf(finding({ auditId: undefined }), none)).toEqual([findingRef("f-1")]);
    for (const command of [plan(), evidence(), resolution("closed")]) {
      expect(readsOf(command, none)).toEqual([findingRef("f-1")]);
    }
    expect(readsOf({ type: "set-audit-plan", year: 2010, targetCount: 5 }, none)).toEqual([]);
  });

  it("builds no audit or finding from a later step whose record is missing", () => {
    const on = "2010-05-01";
    const fact = (type: string, payload: Record<string, unknown>): EventFacts => ({
      type,
      book: "bazhou",
      occurredOn: on,
      payload: payload as never,
    });
    const auditSteps = [
      fact("AuditCompleted", { auditId: "a-9", completedOn: on, summary: "无问题" }),
      fact("FindingRecorded", {
        findingId: "f-9",
        auditId: "a-9",
        unitId: "zhongxin-textile",
        category: "other",
        severity: "low",
        description: "未附发票",
      }),
    ];
    for (const event of auditSteps) expect(evolveAudit(undefined, event)).toBeUndefined();
    const findingSteps = [
      fact("RectificationPlanSubmitted", { findingId: "f-9", note: "补票", submittedOn: on }),
      fact("RectificationEvidenceSubmitted", { findingId: "f-9", note: "已补票", submittedOn: on }),
      fact("FindingResolved", { findingId: "f-9", outcome: "closed", note: "销号", resolvedOn: on }),
    ];
    for (const event of findingSteps) expect(evolveFinding(undefined, event, "CNY")).toBeUndefined();
  });

  it("leaves an audit and a finding alone for an event that is none of their steps", () => {
    const ledger = withFinding();
    const [started, found] = [auditOf(ledger) as AuditRecord, findingOf(ledger) as FindingRecord];
    const collection = ledger.entry(5);
    if (!collection) throw new Error("no entry 5");
    expect(evolveAudit(started, collection)).toBe(started);
    expect(evolveFinding(found, collection, "CNY")).toBe(found);
  });

  it("ties an event to an audit or finding only when it is one of their steps and names it", () => {
    const draft = (type: string, payload: Record<string, unknown>) => ({
      type,
      occurredOn: "2010-05-01",
      payload: payload as never,
    });
    expect(auditOfEvent(draft("AuditStarted", { auditId: "a-1" }))).toBe("a-1");
    expect(auditOfEvent(draft("FindingRecorded", { findingId: "f-1" }))).toBeUndefined();
    expect(auditOfEvent(draft("RectificationPlanSubmitted", { auditId: "a-1", findingId: "f-1" }))).toBeUndefined();
    expect(auditOfEvent(draft("AuditCompleted", { auditId: 7 }))).toBeUndefined();
    expect(findingOfEvent(draft("FindingResolved", { findingId: "f-1" }))).toBe("f-1");
    expect(findingOfEvent(draft("AuditStarted", { auditId: "a-1", findingId: "f-1" }))).toBeUndefined();
    expect(findingOfEvent(draft("FindingRecorded", { findingId: 7 }))).toBeUndefined();
  });

  it("stores exactly what a replay of the journal folds", () => {
    const ledger = withFinding();
    ledger.given(
      completion(),
      plan(),
      evidence({ amountRecovered: "800" }),
      resolution("closed"),
      finding({ findingId: "f-2", category: "over-standard", severity: "low", dueBy: undefined }),
    );
    const audits = new Map<string, AuditRecord | undefined>();
    const findings = new Map<string, FindingRecord | undefined>();
    for (const event of ledger.events) {
      const { auditId, findingId } = event.payload as { auditId?: string; findingId?: string };
      if (auditId) audits.set(auditId, evolveAudit(audits.get(auditId), event));
      if (findingId) findings.set(findingId, evolveFinding(findings.get(findingId), event, "CNY"));
    }
    expect(auditOf(ledger)).toEqual(audits.get("a-textile-2010"));
    expect(auditOf(ledger)?.findings).toEqual(["f-1", "f-2"]);
    expect(findingOf(ledger)).toEqual(findings.get("f-1"));
    expect(findingOf(ledger, "f-2")).toEqual(findings.get("f-2"));
  });
});

describe("the 2010 work summary", () => {
  // "全年计划审计基层工会5个，实际完成6个": target 5 grassroots unions, 6 completed.
  it("plans five audits of grassroots unions and completes six", () => {
    const unions = Array.from({ length: 6 }, (_, n) => `union-${n + 1}`);
    const ledger = given(
      openBook,
      ...unions.map(
        (unitId): CommandOf<"add-unit"> => ({
          type: "add-unit",
          unitId,
          name: `${unitId} 基层工会`,
          kind: "grassroots-union",
          on: "2010-01-04",
        }),
      ),
      { type: "set-audit-plan", year: 2010, targetCount: 5, on: "2010-01-10" },
    );
    unions.forEach((unitId, i) => {
      const auditId = `audit-2010-${i + 1}`;
      ledger.given(
        audit({ auditId, unitId, startedOn: `2010-0${i + 3}-01` }),
        completion({ auditId, completedOn: `2010-0${i + 3}-20` }),
      );
    });
    const audits = unions.map((_, i) => auditOf(ledger, `audit-2010-${i + 1}`) as AuditRecord);
    expect(auditProgress(ledger.state.auditPlans, audits)).toEqual([
      { year: "2010", targetCount: 5, started: 6, completed: 6 },
    ]);
  });

  it("counts an audit in the year it completes, and shows a year without a plan", () => {
    const audits: AuditRecord[] = [
      {
        id: "a",
        unitId: "u",
        period: { from: "2010-01-01", to: "2010-12-31" },
        scope: "s",
        startedOn: "2010-12-01",
        completedOn: "2011-01-10",
        findings: [],
      },
      {
        id: "b",
        unitId: "u",
        period: { from: "2010-01-01", to: "2010-12-31" },
        scope: "s",
        startedOn: "2011-02-01",
        findings: [],
      },
    ];
    expect(auditProgress({ "2010": 1 }, audits)).toEqual([
      { year: "2010", targetCount: 1, started: 1, completed: 0 },
      { year: "2011", targetCount: null, started: 1, completed: 1 },
    ]);
  });

  it("lists every year with a plan, a start or a completion, in order, with or without plans", () => {
    const acrossNewYear: AuditRecord = {
      id: "a",
      unitId: "u",
      period: { from: "2010-01-01", to: "2010-12-31" },
      scope: "s",
      startedOn: "2010-12-01",
      completedOn: "2011-01-10",
      findings: [],
    };
    expect(auditProgress({ "2012": 4 }, [acrossNewYear])).toEqual([
      { year: "2010", targetCount: null, started: 1, completed: 0 },
      { year: "2011", targetCount: null, started: 0, completed: 1 },
      { year: "2012", targetCount: 4, started: 0, completed: 0 },
    ]);
    expect(auditProgress(undefined, [acrossNewYear])).toEqual([
      { year: "2010", targetCount: null, started: 1, completed: 0 },
      { year: "2011", targetCount: null, started: 0, completed: 1 },
    ]);
  });
});
