import type { EventDraft, EventFacts } from "../journal-event.ts";
import { CURRENCIES, type CurrencyCode, formatAmount, readSignedAmount } from "../money.ts";
import {
  AuditCompleted,
  AuditStarted,
  FindingRecorded,
  FindingResolved,
  RectificationEvidenceSubmitted,
  RectificationPlanSubmitted,
} from "./events.ts";
import type { FindingCategory, FindingOutcome, FindingSeverity } from "./vocabulary.ts";

/**
 * An audit engagement as the ledger keeps it: a projection of the journal in an item of its own,
 * rewritten with every event that changes it. `findings` holds ids only (64 characters at most),
 * so even thousands of findings stay far below DynamoDB's 400 KB item limit.
 */
export type AuditRecord = {
  readonly id: string;
  readonly unitId: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly scope: string;
  readonly startedOn: string;
  readonly completedOn?: string;
  readonly summary?: string;
  readonly findings: readonly string[];
};

/** open → plan-submitted → evidence-submitted (more evidence may follow) → resolved. */
export type FindingStatus = "open" | "plan-submitted" | "evidence-submitted" | "resolved";

export const FINDING_EVENTS = [
  "FindingRecorded",
  "RectificationPlanSubmitted",
  "RectificationEvidenceSubmitted",
  "FindingResolved",
] as const;
export type FindingEventType = (typeof FINDING_EVENTS)[number];

/**
 * One step of a finding's history. The seq is not known when the record is folded in decide
 * (the store numbers the events as it appends them), so a step names its event type and date;
 * the journal's indexes lead from the finding to the entries themselves.
 */
export type FindingStep = {
  readonly type: FindingEventType;
  readonly on: string;
  readonly note?: string;
  readonly dueBy?: string;
  readonly amountRecovered?: string;
  readonly amountReclassified?: string;
  readonly outcome?: FindingOutcome;
};

export type FindingRecord = {
  readonly id: string;
  readonly auditId?: string;
  readonly unitId: string;
  readonly category: FindingCategory;
  readonly severity: FindingSeverity;
  readonly amountInQuestion?: string;
  readonly description: string;
  readonly relatedEntries: readonly number[];
  /** The due date set when the finding was recorded; a rectification plan may set its own. */
  readonly dueBy?: string;
  readonly status: FindingStatus;
  readonly recordedOn: string;
  readonly history: readonly FindingStep[];
  /** Totals over all evidence, decimal strings in the book's currency. */
  readonly amountRecovered: string;
  readonly amountReclassified: string;
  readonly resolution?: { readonly outcome: FindingOutcome; readonly note: string; readonly resolvedOn: string };
};

export const auditRef = (id: string) => `audit/${id}`;
export const findingRef = (id: string) => `finding/${id}`;

/** How one event changes an audit; a finding recorded against it joins its list. */
export function evolveAudit(record: AuditRecord | undefined, event: EventFacts): AuditRecord | undefined {
  switch (event.type) {
    case "AuditStarted": {
      const { auditId, unitId, period, scope, startedOn } = AuditStarted.parse(event.payload);
      return { id: auditId, unitId, period, scope, startedOn, findings: [] };
    }
    case "AuditCompleted": {
      if (!record) return record;
      const { completedOn, summary } = AuditCompleted.parse(event.payload);
      return { ...record, completedOn, summary };
    }
    case "FindingRecorded": {
      if (!record) return record;
      const { findingId } = FindingRecorded.parse(event.payload);
      return record.findings.includes(findingId) ? record : { ...record, findings: [...record.findings, findingId] };
    }
    default:
      return record;
  }
}

/** How one event changes a finding: its status, its history, and the totals its evidence gives. */
export function evolveFinding(
  record: FindingRecord | undefined,
  event: EventFacts,
  currency: CurrencyCode,
): FindingRecord | undefined {
  const add = (total: string, amount: string | undefined) =>
    amount === undefined
      ? total
      : formatAmount(
          readSignedAmount(total, CURRENCIES[currency]) + readSignedAmount(amount, CURRENCIES[currency]),
          CURRENCIES[currency],
        );
  switch (event.type) {
    case "FindingRecorded": {
      const { findingId, relatedEntries, ...finding } = FindingRecorded.parse(event.payload);
      const zero = formatAmount(0n, CURRENCIES[currency]);
      return {
        id: findingId,
        ...finding,
        relatedEntries: relatedEntries ?? [],
        status: "open",
        recordedOn: event.occurredOn,
        history: [{ type: "FindingRecorded", on: event.occurredOn }],
        amountRecovered: zero,
        amountReclassified: zero,
      };
    }
    case "RectificationPlanSubmitted": {
      if (!record) return record;
      const { findingId: _, submittedOn, ...plan } = RectificationPlanSubmitted.parse(event.payload);
      return {
        ...record,
        status: "plan-submitted",
        history: [...record.history, { type: event.type, on: submittedOn, ...plan }],
      };
    }
    case "RectificationEvidenceSubmitted": {
      if (!record) return record;
      const { findingId: _, submittedOn, ...evidence } = RectificationEvidenceSubmitted.parse(event.payload);
      return {
        ...record,
        status: "evidence-submitted",
        history: [...record.history, { type: event.type, on: submittedOn, ...evidence }],
        amountRecovered: add(record.amountRecovered, evidence.amountRecovered),
        amountReclassified: add(record.amountReclassified, evidence.amountReclassified),
      };
    }
    case "FindingResolved": {
      if (!record) return record;
      const { outcome, note, resolvedOn } = FindingResolved.parse(event.payload);
      return {
        ...record,
        status: "resolved",
        history: [...record.history, { type: event.type, on: resolvedOn, outcome, note }],
        resolution: { outcome, note, resolvedOn },
      };
    }
    default:
      return record;
  }
}

/** The audit an event concerns: its own, or the one a finding is recorded against. */
export const auditOf = (event: EventDraft): string | undefined => {
  if (event.type !== "AuditStarted" && event.type !== "AuditCompleted" && event.type !== "FindingRecorded")
    return undefined;
  const id = event.payload.auditId;
  return typeof id === "string" ? id : undefined;
};

/** The finding an event concerns, if it is one of a finding's steps. */
export const findingOf = (event: EventDraft): string | undefined => {
  if (!(FINDING_EVENTS as readonly string[]).includes(event.type)) return undefined;
  const id = event.payload.findingId;
  return typeof id === "string" ? id : undefined;
};

/** The date a finding must be rectified by: the latest plan's, if it set one, else the finding's own. */
export const currentDueBy = (finding: FindingRecord): string | undefined => {
  const plans = finding.history.filter((step) => step.type === "RectificationPlanSubmitted");
  return plans[plans.length - 1]?.dueBy ?? finding.dueBy;
};

/**
 * Overdue is derived, never stored: a stored flag would be stale the day after it was written.
 * A finding is overdue once today is past its due date and it is not resolved; on the due date
 * itself it is not yet late.
 */
export const isOverdue = (finding: FindingRecord, today: string): boolean => {
  const due = currentDueBy(finding);
  return finding.status !== "resolved" && due !== undefined && due < today;
};

export type AuditProgress = {
  readonly year: string;
  readonly targetCount: number | null;
  readonly started: number;
  readonly completed: number;
};

/**
 * A year's audit progress, as the work summary reports it ("target 5 grassroots unions, 6
 * completed"): audits count in the year they started and in the year they were completed.
 */
export function auditProgress(
  plans: Readonly<Record<string, number>> | undefined,
  audits: readonly AuditRecord[],
): AuditProgress[] {
  const years = new Set([
    ...Object.keys(plans ?? {}),
    ...audits.map((audit) => audit.startedOn.slice(0, 4)),
    ...audits.flatMap((audit) => (audit.completedOn ? [audit.completedOn.slice(0, 4)] : [])),
  ]);
  return [...years].sort().map((year) => ({
    year,
    targetCount: plans?.[year] ?? null,
    started: audits.filter((audit) => audit.startedOn.startsWith(year)).length,
    completed: audits.filter((audit) => audit.completedOn?.startsWith(year)).length,
  }));
}
