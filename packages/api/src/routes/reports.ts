import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  auditActivity,
  type BookState,
  checkPeriodRange,
  collectionsReport,
  comparePeriods,
  type FindingRecord,
  fundsReport,
  isOverdue,
  localDate,
  PERIOD_BOUNDS,
  programmesReport,
  type Rollup,
} from "@relief-ledger/core";
import { rollupsFor } from "@relief-ledger/jobs";
import type { Context } from "hono";
import { CSV_BOM, type CsvColumn, type CsvValue, csvColumns, csvHeader, csvHeaders, csvRow } from "../csv.ts";
import type { AppEnv } from "../env.ts";
import { type ProblemCode, ProblemError, problemFor } from "../problem.ts";
import { BookParams, CsvFormat, guarded, QueryMonth, QueryYear } from "./common.ts";
import { operation } from "./operation.ts";
import { requireBook } from "./views.ts";

const Range = z.object({
  from: QueryMonth.optional().openapi({ description: "First month; the book's first by default" }),
  to: QueryMonth.optional().openapi({
    description: `Last month; the current one by default. At most ${PERIOD_BOUNDS.maxMonths} months from the first`,
  }),
  format: CsvFormat,
});

/** A report's route; each reads its book, and a range report checks its months (range below). */
const report = <Q extends z.ZodObject, P extends z.ZodObject>(
  path: string,
  operationId: string,
  summary: string,
  query: Q,
  params: P,
  raises: readonly ProblemCode[] = ["book-not-found"],
) =>
  operation(
    {
      method: "get",
      path,
      operationId,
      tags: ["Reports"],
      summary,
      ...guarded("read"),
      request: { params, query },
      responses: {
        200: {
          description: "The report (text/csv with ?format=csv)",
          content: {
            "application/json": { schema: z.record(z.string(), z.unknown()) },
            "text/csv": { schema: z.string() },
          },
        },
      },
    },
    { raises },
  );

type Ctx = Context<AppEnv>;

async function bookAndToday(c: Ctx, book: string) {
  const { journal, clock } = c.var.ledger;
  const { state } = await journal.head(book);
  const info = requireBook(state, book);
  return { state, info, today: localDate(info.timeZone, (clock ?? (() => new Date()))()) };
}

/**
 * The months a range report covers: as asked, or from the book's first month to today's. Each
 * end was checked on its own by the query schema; here the pair is, defaults included: in order,
 * and no longer than PERIOD_BOUNDS allows (a report folds every month of it).
 */
function range(state: BookState, today: string, from?: string, to?: string) {
  const first = from ?? state.firstMonth ?? state.book?.openedOn?.slice(0, 7) ?? today.slice(0, 7);
  const last = to ?? today.slice(0, 7);
  const wrong = checkPeriodRange(first, last);
  if (wrong) {
    const defaulted = (wrong.field === "from" ? from : to) === undefined ? " (by default; name both from and to)" : "";
    throw new ProblemError(
      problemFor("validation-failed", `the months asked for cannot be reported: ${first} to ${last}`, {
        errors: [{ path: wrong.field, message: `${wrong.message}${defaulted}` }],
      }),
    );
  }
  if (comparePeriods(last, first) < 0) {
    throw new ProblemError(problemFor("invalid-date-range", "`to` is before `from`", { from: first, to: last }));
  }
  return { from: first, to: last };
}

const names = (state: BookState) => ({ funds: state.funds, programs: state.programs, units: state.units });

/** Audit progress of a year: audits against the plan, findings by kind, and where they stand today. */
async function auditReport(
  c: Ctx,
  book: string,
  state: BookState,
  today: string,
  year: string,
  // The annual report has the year's rollups already; read them once.
  yearRollups?: Rollup[],
) {
  const rollups =
    yearRollups ?? (await rollupsFor(c.var.ledger.journal, book, `${year}-01`, `${year}-12`, state, c.var.deadline));
  const activity = auditActivity(rollups, state.book?.currency ?? "CNY");
  const findings = ((await c.var.ledger.journal.entityList(book, "finding")) as unknown as FindingRecord[]).filter(
    (finding) => finding.recordedOn.startsWith(year),
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

/** One table of a CSV report: an optional title row, the columns' header, the rows. */
type CsvSection = { title?: string; columns: CsvColumn[]; rows: CsvValue[][] };

const csv = (c: Ctx, filename: string, sections: CsvSection[]) =>
  c.body(
    CSV_BOM +
      sections
        .map(
          ({ title, columns, rows }) =>
            (title ? csvRow([], [title]) : "") + csvHeader(columns) + rows.map((row) => csvRow(columns, row)).join(""),
        )
        .join("\r\n"),
    200,
    csvHeaders(filename),
  );

type Programmes = ReturnType<typeof programmesReport>;
type Funds = ReturnType<typeof fundsReport>;
type Collections = ReturnType<typeof collectionsReport>;

const programmeSection = (lines: Programmes) => ({
  title: "programmes",
  columns: csvColumns(
    [
      "programId",
      "name",
      "fundId",
      "amount",
      "personTimes",
      "distinctBeneficiaries",
      "averagePerPayout",
      "budget",
      "executionPercent",
      "reversedCount",
      "reversedAmount",
      "returnedCount",
      "returnedAmount",
    ],
    // Every figure; the ids and the name are text.
    [
      "amount",
      "personTimes",
      "distinctBeneficiaries",
      "averagePerPayout",
      "budget",
      "executionPercent",
      "reversedCount",
      "reversedAmount",
      "returnedCount",
      "returnedAmount",
    ],
  ),
  rows: lines.map((l) => [
    l.programId,
    l.name,
    l.fundId,
    l.amount,
    l.personTimes,
    l.distinctBeneficiaries,
    l.averagePerPayout,
    l.budget,
    l.executionPercent,
    l.reversed.count,
    l.reversed.amount,
    l.returned.count,
    l.returned.amount,
  ]),
});
const fundSection = (lines: Funds) => ({
  title: "funds",
  columns: csvColumns(
    [
      "fundId",
      "name",
      "opening",
      "collected",
      "paidOut",
      "transfersIn",
      "transfersOut",
      "returns",
      "reversals",
      "closing",
    ],
    ["opening", "collected", "paidOut", "transfersIn", "transfersOut", "returns", "reversals", "closing"],
  ),
  rows: lines.map((l) => [
    l.fundId,
    l.name,
    l.opening,
    l.collected,
    l.paidOut,
    l.transfersIn,
    l.transfersOut,
    l.returns,
    l.reversals,
    l.closing,
  ]),
});
const collectionSections = (report: Collections) => [
  {
    title: "collections by source",
    columns: csvColumns(["source", "amount"], ["amount"]),
    rows: Object.entries(report.bySource),
  },
  {
    title: "collections by unit",
    columns: csvColumns(["unitId", "name", "amount"], ["amount"]),
    rows: report.byUnit.map((l) => [l.unitId, l.name, l.amount]),
  },
];

/**
 * The three range reports share their steps: the book and today, the months asked for, their
 * rollups, and the report as JSON or as CSV sections.
 */
async function rangeReport<T>(
  c: Ctx,
  book: string,
  query: { from?: string | undefined; to?: string | undefined; format?: "json" | "csv" | undefined },
  name: string,
  make: typeof programmesReport | typeof fundsReport | typeof collectionsReport,
  sections: (result: T) => CsvSection[],
  json: (result: T) => Record<string, unknown>,
) {
  const { state, today } = await bookAndToday(c, book);
  const { from, to } = range(state, today, query.from, query.to);
  const rollups = await rollupsFor(c.var.ledger.journal, book, from, to, state, c.var.deadline);
  const result = make(rollups, state.book?.currency ?? "CNY", names(state)) as T;
  if (query.format === "csv") return csv(c, `${book}-${name}-${from}-${to}.csv`, sections(result));
  return c.json({ book, from, to, ...json(result) }, 200);
}

/** Declares a range report at /books/{book}/reports/{name}: the route, and rangeReport as its handler. */
function rangeRoute<T>(
  routes: OpenAPIHono<AppEnv>,
  name: string,
  operationId: string,
  summary: string,
  make: typeof programmesReport | typeof fundsReport | typeof collectionsReport,
  sections: (result: T) => CsvSection[],
  json: (result: T) => Record<string, unknown>,
) {
  return routes.openapi(
    report(`/books/{book}/reports/${name}`, operationId, summary, Range, BookParams, [
      "book-not-found",
      "invalid-date-range",
    ]),
    async (c) =>
      (await rangeReport<T>(c, c.req.valid("param").book, c.req.valid("query"), name, make, sections, json)) as never,
  );
}

const rangeRoutes = new OpenAPIHono<AppEnv>();
rangeRoute<Programmes>(
  rangeRoutes,
  "programmes",
  "getProgrammesReport",
  "Per programme: amount, person-times, distinct beneficiaries, budget execution, reversals and returns",
  programmesReport,
  (lines) => [programmeSection(lines)],
  (programmes) => ({ programmes }),
);
rangeRoute<Funds>(
  rangeRoutes,
  "funds",
  "getFundsReport",
  "Per fund: opening, collections by source, payouts by programme, transfers, returns, closing",
  fundsReport,
  (lines) => [fundSection(lines)],
  (funds) => ({ funds }),
);
rangeRoute<Collections>(
  rangeRoutes,
  "collections",
  "getCollectionsReport",
  "Money in, by payer unit and by source",
  collectionsReport,
  collectionSections,
  (result) => result,
);

export const reportsRoutes = rangeRoutes
  .openapi(
    report(
      "/books/{book}/reports/audit",
      "getAuditReport",
      "Audits done against the year's target, findings by category and severity, amounts, open, overdue and resolved",
      z.object({ year: QueryYear.optional(), format: CsvFormat }),
      BookParams,
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      const query = c.req.valid("query");
      const { state, today } = await bookAndToday(c, book);
      const result = await auditReport(c, book, state, today, query.year ?? today.slice(0, 4));
      if (query.format === "csv") {
        const rows: CsvValue[][] = [
          ["target", result.target],
          ["completed", result.completed],
          ["findings recorded", result.findings.recorded],
          ["open", result.findings.open],
          ["overdue", result.findings.overdue],
          ["resolved", result.findings.resolved],
          ["amount in question", result.findings.amountInQuestion],
          ["amount recovered", result.findings.amountRecovered],
        ];
        return csv(c, `${book}-audit-${result.year}.csv`, [
          { title: `audit ${result.year}`, columns: csvColumns(["figure", "value"], ["value"]), rows },
        ]) as never;
      }
      return c.json({ book, ...result }, 200);
    },
  )
  .openapi(
    report(
      "/books/{book}/reports/annual/{year}",
      "getAnnualReport",
      "The year in one document: programmes, funds, collections and audit",
      z.object({ format: CsvFormat }),
      BookParams.extend({ year: QueryYear.openapi({ param: { name: "year", in: "path" }, example: "2010" }) }),
    ),
    async (c) => {
      const { book, year } = c.req.valid("param") as { book: string; year: string };
      const { state, today } = await bookAndToday(c, book);
      const rollups = await rollupsFor(c.var.ledger.journal, book, `${year}-01`, `${year}-12`, state, c.var.deadline);
      const currency = state.book?.currency ?? "CNY";
      const result = {
        book,
        year,
        closedThrough: state.closedThrough,
        programmes: programmesReport(rollups, currency, names(state)),
        funds: fundsReport(rollups, currency, names(state)),
        collections: collectionsReport(rollups, currency, names(state)),
        audit: await auditReport(c, book, state, today, year, rollups),
      };
      if (c.req.valid("query").format === "csv") {
        return csv(c, `${book}-annual-${year}.csv`, [
          programmeSection(result.programmes),
          fundSection(result.funds),
          ...collectionSections(result.collections),
        ]) as never;
      }
      return c.json(result, 200);
    },
  );
