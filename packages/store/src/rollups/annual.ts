import {
  auditActivity,
  type BookState,
  collectionsReport,
  type FindingRecord,
  fundsReport,
  isOverdue,
  programmesReport,
  type Rollup,
} from "@relief-ledger/core";
import type { LedgerJournal } from "../ledger-journal.ts";
import { rollupsFor } from "./read.ts";

const names = (state: BookState) => ({ funds: state.funds, programs: state.programs, units: state.units });

/**
 * Audit progress of a year: audits against the plan, findings by kind, and where they stand on
 * `today` (open, overdue, resolved are read from the findings as they are now).
 */
export async function auditReport(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  today: string,
  year: string,
  // The annual report has the year's rollups already; read them once.
  yearRollups?: Rollup[],
  signal?: AbortSignal,
) {
  const rollups = yearRollups ?? (await rollupsFor(journal, book, `${year}-01`, `${year}-12`, state, signal));
  const activity = auditActivity(rollups, state.book?.currency ?? "CNY");
  const findings = ((await journal.entityList(book, "finding")) as unknown as FindingRecord[]).filter((finding) =>
    finding.recordedOn.startsWith(year),
  );
  const target = state.auditPlans?.[year] ?? null;
  return {
    year,
    target,
    completed: activity.auditsCompleted.length,
    started: activity.auditsStarted,
    targetMet: target === null ? null : activity.auditsCompleted.length >= target,
    findings: {
      recorded: activity.findingsOpened,
      byCategory: activity.findingsByCategory,
      bySeverity: activity.findingsBySeverity,
      amountInQuestion: activity.amountInQuestion,
      amountRecovered: activity.amountRecovered,
      amountReclassified: activity.amountReclassified,
      resolvedBy: activity.findingsResolved,
      open: findings.filter((finding) => finding.status !== "resolved").length,
      overdue: findings.filter((finding) => isOverdue(finding, today)).length,
      resolved: findings.filter((finding) => finding.status === "resolved").length,
    },
  };
}

export type AuditReport = Awaited<ReturnType<typeof auditReport>>;

/**
 * The year in one document: programmes, funds, collections and audit. Served live while the year
 * is open; its December's close freezes it (closeMonth), and a closed year is served as frozen.
 */
export async function annualReport(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  today: string,
  year: string,
  options: { rollups?: Rollup[]; signal?: AbortSignal; closedThrough?: string | null } = {},
) {
  const rollups =
    options.rollups ?? (await rollupsFor(journal, book, `${year}-01`, `${year}-12`, state, options.signal));
  const currency = state.book?.currency ?? "CNY";
  return {
    book,
    year,
    closedThrough: options.closedThrough === undefined ? state.closedThrough : options.closedThrough,
    programmes: programmesReport(rollups, currency, names(state)),
    funds: fundsReport(rollups, currency, names(state)),
    collections: collectionsReport(rollups, currency, names(state)),
    audit: await auditReport(journal, book, state, today, year, rollups, options.signal),
  };
}

export type AnnualReport = Awaited<ReturnType<typeof annualReport>>;
