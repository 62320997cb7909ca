import type { collectionsReport, fundsReport, programmesReport } from "@relief-ledger/core";
import type { AuditReport } from "@relief-ledger/store";
import { table } from "../exports/index.ts";

/**
 * The reports' tables for their CSV and XLSX files (exports/tables.ts names their columns): a row
 * per line of the JSON report, a column per figure.
 */

export type Programmes = ReturnType<typeof programmesReport>;
export type Funds = ReturnType<typeof fundsReport>;
type Collections = ReturnType<typeof collectionsReport>;
type Audit = AuditReport;

export const programmeTable = (lines: Programmes) =>
  table(
    "programmes",
    lines.map((l) => ({
      programId: l.programId,
      programName: l.name,
      fundId: l.fundId,
      amount: l.amount,
      personTimes: l.personTimes,
      distinctBeneficiaries: l.distinctBeneficiaries,
      averagePerPayout: l.averagePerPayout,
      budget: l.budget,
      executionPercent: l.executionPercent,
      reversedCount: l.reversed.count,
      reversedAmount: l.reversed.amount,
      returnedCount: l.returned.count,
      returnedAmount: l.returned.amount,
    })),
  );
export const fundTable = (lines: Funds) =>
  table(
    "funds",
    lines.map((l) => ({
      fundId: l.fundId,
      fundName: l.name,
      opening: l.opening,
      collected: l.collected,
      paidOut: l.paidOut,
      transfersIn: l.transfersIn,
      transfersOut: l.transfersOut,
      returns: l.returns,
      reversals: l.reversals,
      closing: l.closing,
      reservedAtClose: l.reserved,
      availableAtClose: l.available,
    })),
  );
export const collectionTables = (report: Collections) => [
  table(
    "collections-by-source",
    Object.entries(report.bySource).map(([source, amount]) => ({ source, amount })),
  ),
  table(
    "collections-by-unit",
    report.byUnit.map((l) => ({ unitId: l.unitId, unitName: l.name, amount: l.amount })),
  ),
];
/** The year's audit progress as one row: a column per figure, so that each keeps its type. */
export const auditTable = (result: Audit) =>
  table("audit", [
    {
      year: result.year,
      auditsTarget: result.target,
      auditsCompleted: result.completed,
      auditsStarted: result.started,
      findingsRecorded: result.findings.recorded,
      findingsOpen: result.findings.open,
      findingsOverdue: result.findings.overdue,
      findingsResolved: result.findings.resolved,
      amountInQuestion: result.findings.amountInQuestion,
      amountRecovered: result.findings.amountRecovered,
      amountReclassified: result.findings.amountReclassified,
    },
  ]);
