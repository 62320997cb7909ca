import type { DomainError } from "../errors.ts";
import { domainError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { AuditRecord, FindingRecord, FindingStatus } from "./audit.ts";
import type { CommandOf } from "./commands.ts";
import { checkBusinessDate, type DecideContext, type Decision, decided, defined, optionalAmount } from "./decision.ts";
import type { BookInfo, BookState } from "./state.ts";

/** The audits and findings loaded for a decision (see readsOf); undefined when there is none. */
export type AuditLookup = {
  readonly audit: (id: string) => AuditRecord | undefined;
  readonly finding: (id: string) => FindingRecord | undefined;
};

export function setAuditPlan(command: CommandOf<"set-audit-plan">, on: string): Decision {
  const { year, targetCount } = command;
  return decided([{ type: "AuditPlanSet", occurredOn: on, payload: { year, targetCount } }]);
}

export function startAudit(
  command: CommandOf<"start-audit">,
  state: BookState,
  ctx: DecideContext,
  lookup: AuditLookup,
): Decision {
  const { auditId, unitId, period, scope, startedOn } = command;
  const date = checkBusinessDate(state, ctx, startedOn);
  if (!date.ok) return date;
  if (lookup.audit(auditId)) return err(domainError("audit-exists", `audit ${auditId} already exists`, { auditId }));
  const unit = unitExists(state, unitId);
  if (!unit.ok) return unit;
  if (period.to < period.from) {
    return err(domainError("invalid-date-range", "the audited period ends before it begins", period));
  }
  return decided([
    {
      type: "AuditStarted",
      occurredOn: startedOn,
      payload: { auditId, unitId, period: { from: period.from, to: period.to }, scope, startedOn },
    },
  ]);
}

export function completeAudit(
  command: CommandOf<"complete-audit">,
  state: BookState,
  ctx: DecideContext,
  lookup: AuditLookup,
): Decision {
  const { auditId, completedOn, summary } = command;
  const date = checkBusinessDate(state, ctx, completedOn);
  if (!date.ok) return date;
  const audit = lookup.audit(auditId);
  if (!audit) return auditNotFound(auditId);
  if (audit.completedOn) {
    return err(
      domainError("audit-completed", `audit ${auditId} was completed on ${audit.completedOn}`, {
        auditId,
        completedOn: audit.completedOn,
      }),
    );
  }
  if (completedOn < audit.startedOn) {
    return err(
      domainError("invalid-date-range", "an audit cannot be completed before it started", {
        from: audit.startedOn,
        to: completedOn,
      }),
    );
  }
  return decided([{ type: "AuditCompleted", occurredOn: completedOn, payload: { auditId, completedOn, summary } }]);
}

export function recordFinding(
  command: CommandOf<"record-finding">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
  lookup: AuditLookup,
): Decision {
  const { findingId, auditId, unitId, category, severity, description, dueBy } = command;
  const recordedOn = command.recordedOn ?? ctx.today;
  const date = checkBusinessDate(state, ctx, recordedOn);
  if (!date.ok) return date;
  // What the request says alone is checked before what it names: a bad amount is bad in any book.
  const due = checkDue(recordedOn, dueBy);
  if (!due.ok) return due;
  const amountInQuestion = optionalAmount(book, command.amountInQuestion, "amountInQuestion");
  if (!amountInQuestion.ok) return amountInQuestion;
  if (lookup.finding(findingId)) {
    return err(domainError("finding-exists", `finding ${findingId} already exists`, { findingId }));
  }
  const unit = unitExists(state, unitId);
  if (!unit.ok) return unit;
  if (auditId !== undefined) {
    const audit = lookup.audit(auditId);
    if (!audit) return auditNotFound(auditId);
    if (audit.unitId !== unitId) {
      return err(
        domainError("audit-unit-mismatch", `audit ${auditId} audits unit ${audit.unitId}, not ${unitId}`, {
          auditId,
          auditUnitId: audit.unitId,
          unitId,
        }),
      );
    }
    if (recordedOn < audit.startedOn) {
      return err(
        domainError("invalid-date-range", "a finding cannot be recorded before its audit started", {
          from: audit.startedOn,
          to: recordedOn,
        }),
      );
    }
  }
  const entries = command.relatedEntries === undefined ? undefined : [...new Set(command.relatedEntries)];
  // The journal has no gaps, so the head's seq says which entries exist without reading them.
  const missing = entries?.find((seq) => seq < 1 || seq > ctx.headSeq);
  if (missing !== undefined) {
    return err(
      domainError("related-entry-not-found", `no entry ${missing} in this book (its last is ${ctx.headSeq})`, {
        seq: missing,
        headSeq: ctx.headSeq,
      }),
    );
  }
  return decided([
    {
      type: "FindingRecorded",
      occurredOn: recordedOn,
      payload: defined({
        findingId,
        auditId,
        unitId,
        category,
        severity,
        amountInQuestion: amountInQuestion.value,
        description,
        relatedEntries: entries,
        dueBy,
      }),
    },
  ]);
}

export function submitRectificationPlan(
  command: CommandOf<"submit-rectification-plan">,
  state: BookState,
  ctx: DecideContext,
  lookup: AuditLookup,
): Decision {
  const { findingId, note, submittedOn, dueBy } = command;
  const step = nextStep(state, ctx, lookup, findingId, submittedOn, "rectification plan", ["open"]);
  if (!step.ok) return step;
  const due = checkDue(submittedOn, dueBy);
  if (!due.ok) return due;
  return decided([
    {
      type: "RectificationPlanSubmitted",
      occurredOn: submittedOn,
      payload: defined({ findingId, note, submittedOn, dueBy }),
    },
  ]);
}

export function submitRectificationEvidence(
  command: CommandOf<"submit-rectification-evidence">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
  lookup: AuditLookup,
): Decision {
  const { findingId, note, submittedOn } = command;
  // More evidence may follow the first: recovery often comes in instalments.
  const step = nextStep(state, ctx, lookup, findingId, submittedOn, "rectification evidence", [
    "plan-submitted",
    "evidence-submitted",
  ]);
  if (!step.ok) return step;
  const recovered = optionalAmount(book, command.amountRecovered, "amountRecovered");
  if (!recovered.ok) return recovered;
  const reclassified = optionalAmount(book, command.amountReclassified, "amountReclassified");
  if (!reclassified.ok) return reclassified;
  return decided([
    {
      type: "RectificationEvidenceSubmitted",
      occurredOn: submittedOn,
      payload: defined({
        findingId,
        note,
        submittedOn,
        amountRecovered: recovered.value,
        amountReclassified: reclassified.value,
      }),
    },
  ]);
}

export function resolveFinding(
  command: CommandOf<"resolve-finding">,
  state: BookState,
  ctx: DecideContext,
  lookup: AuditLookup,
): Decision {
  const { findingId, outcome, note, resolvedOn } = command;
  // Closing (销号) needs evidence of rectification; waiving or escalating does not.
  const allowed: readonly FindingStatus[] =
    outcome === "closed" ? ["evidence-submitted"] : ["open", "plan-submitted", "evidence-submitted"];
  const step = nextStep(state, ctx, lookup, findingId, resolvedOn, `resolution (${outcome})`, allowed);
  if (!step.ok) return step;
  return decided([
    { type: "FindingResolved", occurredOn: resolvedOn, payload: { findingId, outcome, note, resolvedOn } },
  ]);
}

/**
 * The checks every step of a finding shares: a date in the open period and not before the step
 * it follows, a finding that exists and is unresolved, and a status the step may follow.
 */
function nextStep(
  state: BookState,
  ctx: DecideContext,
  lookup: AuditLookup,
  findingId: string,
  on: string,
  step: string,
  allowed: readonly FindingStatus[],
): Result<FindingRecord, DomainError> {
  const date = checkBusinessDate(state, ctx, on);
  if (!date.ok) return date;
  const finding = lookup.finding(findingId);
  if (!finding) return err(domainError("finding-not-found", `no finding ${findingId} in this book`, { findingId }));
  if (finding.resolution) {
    const { outcome, resolvedOn } = finding.resolution;
    return err(
      domainError("finding-resolved", `finding ${findingId} was resolved (${outcome}) on ${resolvedOn}`, {
        findingId,
        outcome,
        resolvedOn,
      }),
    );
  }
  if (!allowed.includes(finding.status)) {
    return err(
      domainError(
        "finding-step-out-of-order",
        `finding ${findingId} is ${finding.status}: a ${step} may follow only ${allowed.join(" or ")}`,
        { findingId, findingStatus: finding.status, step },
      ),
    );
  }
  const last = finding.history[finding.history.length - 1]?.on ?? finding.recordedOn;
  if (on < last) {
    return err(
      domainError("invalid-date-range", `a ${step} cannot precede the step before it`, { from: last, to: on }),
    );
  }
  return ok(finding);
}

const checkDue = (from: string, dueBy: string | undefined): Result<void, DomainError> =>
  dueBy !== undefined && dueBy < from
    ? err(domainError("invalid-date-range", "dueBy is before the date it is set on", { from, to: dueBy }))
    : ok(undefined);

const unitExists = (state: BookState, unitId: string): Result<void, DomainError> =>
  state.units[unitId]
    ? ok(undefined)
    : err(domainError("unit-not-found", `no unit ${unitId} in this book`, { unitId }));

const auditNotFound = (auditId: string) =>
  err(domainError("audit-not-found", `no audit ${auditId} in this book`, { auditId }));
