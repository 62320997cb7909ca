import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  annualRef,
  type BookState,
  checkPeriodRange,
  collectionsReport,
  comparePeriods,
  fingerprint,
  fundsReport,
  localDate,
  PERIOD_BOUNDS,
  periodsThrough,
  programmesReport,
} from "@relief-ledger/core";
import { type AnnualReport, annualReport, auditReport, rollupsFor } from "@relief-ledger/store";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import {
  answerReport,
  type ExportName,
  type ExportTable,
  exportContent,
  exportQuery,
  type ReportQuery,
  refuseTableWithJson,
  tableQuery,
} from "../exports/index.ts";
import { type ProblemCode, ProblemError, problemFor } from "../problem.ts";
import { BookParams, guarded, QueryMonth, QueryYear } from "./common.ts";
import { operation } from "./operation.ts";
import {
  auditTable,
  collectionTables,
  type Funds,
  fundTable,
  type Programmes,
  programmeTable,
} from "./report-tables.ts";
import { requireBook } from "./views.ts";

const Range = z.object({
  from: QueryMonth.optional().openapi({ description: "First month; the book's first by default" }),
  to: QueryMonth.optional().openapi({
    description: `Last month; the current one by default. At most ${PERIOD_BOUNDS.maxMonths} months from the first`,
  }),
  ...exportQuery,
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
          description: "The report; with ?format=csv one of its tables, with ?format=xlsx a workbook of them",
          content: exportContent(z.record(z.string(), z.unknown())),
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

/** The months of a range that are not closed: their figures are provisional, and may still change. */
export const provisionalIn = (state: BookState, from: string, to: string): string[] =>
  periodsThrough(from, to).filter(
    (month) => state.closedThrough === null || comparePeriods(month, state.closedThrough) > 0,
  );

/**
 * The three range reports share their steps: the book and today, the months asked for, their
 * rollups, and the report as JSON or as a file of its tables.
 */
async function rangeReport<T>(
  c: Ctx,
  book: string,
  query: ReportQuery & { from?: string | undefined; to?: string | undefined },
  name: ExportName,
  make: typeof programmesReport | typeof fundsReport | typeof collectionsReport,
  tables: (result: T) => ExportTable[],
  json: (result: T) => Record<string, unknown>,
) {
  const { state, today } = await bookAndToday(c, book);
  const { from, to } = range(state, today, query.from, query.to);
  const rollups = await rollupsFor(c.var.ledger.journal, book, from, to, state, c.var.deadline);
  const result = make(rollups, state.book?.currency ?? "CNY", names(state)) as T;
  return answerReport(
    c,
    query,
    { name, book, period: `${from}-${to}` },
    () => tables(result),
    () => ({ book, from, to, provisional: provisionalIn(state, from, to), ...json(result) }),
  );
}

/** Declares a range report at /books/{book}/reports/{name}: the route, and rangeReport as its handler. */
function rangeRoute<T>(
  routes: OpenAPIHono<AppEnv>,
  name: ExportName,
  operationId: string,
  summary: string,
  make: typeof programmesReport | typeof fundsReport | typeof collectionsReport,
  tables: (result: T) => ExportTable[],
  json: (result: T) => Record<string, unknown>,
  query: z.ZodObject = Range,
) {
  return routes.openapi(
    report(`/books/{book}/reports/${name}`, operationId, summary, query, BookParams, [
      "book-not-found",
      "invalid-date-range",
    ]),
    async (c) =>
      (await rangeReport<T>(
        c,
        c.req.valid("param").book,
        c.req.valid("query") as ReportQuery,
        name,
        make,
        tables,
        json,
      )) as never,
  );
}

const rangeRoutes = new OpenAPIHono<AppEnv>();
rangeRoute<Programmes>(
  rangeRoutes,
  "programmes",
  "getProgrammesReport",
  "Per programme: amount, person-times, distinct beneficiaries, budget execution, reversals and returns",
  programmesReport,
  (lines) => [programmeTable(lines)],
  (programmes) => ({ programmes }),
);
rangeRoute<Funds>(
  rangeRoutes,
  "funds",
  "getFundsReport",
  "Per fund: opening, collections by source, payouts by programme, transfers, returns, closing",
  fundsReport,
  (lines) => [fundTable(lines)],
  (funds) => ({ funds }),
);
rangeRoute<ReturnType<typeof collectionsReport>>(
  rangeRoutes,
  "collections",
  "getCollectionsReport",
  "Money in, by source and by payer unit (two tables: collections-by-source, collections-by-unit)",
  collectionsReport,
  collectionTables,
  (result) => result,
  Range.extend({ table: tableQuery(["collections-by-source", "collections-by-unit"]) }),
);

/** The annual report's tables, in the order of its workbook's sheets. */
const ANNUAL_TABLES = ["programmes", "funds", "collections-by-source", "collections-by-unit", "audit"] as const;

export const reportsRoutes = rangeRoutes
  .openapi(
    report(
      "/books/{book}/reports/audit",
      "getAuditReport",
      "Audits done against the year's target, findings by category and severity, amounts, open, overdue and resolved",
      z.object({ year: QueryYear.optional(), ...exportQuery }),
      BookParams,
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      const query = c.req.valid("query");
      const { state, today } = await bookAndToday(c, book);
      const year = query.year ?? today.slice(0, 4);
      const result = await auditReport(c.var.ledger.journal, book, state, today, year, undefined, c.var.deadline);
      return answerReport(
        c,
        query,
        { name: "audit", book, period: result.year },
        () => [auditTable(result)],
        () => ({ book, ...result }),
      ) as never;
    },
  )
  .openapi(
    report(
      "/books/{book}/reports/annual/{year}",
      "getAnnualReport",
      `The year in one document: programmes, funds, collections and audit (tables: ${ANNUAL_TABLES.join(", ")})`,
      z.object({ ...exportQuery, table: tableQuery(ANNUAL_TABLES) }),
      BookParams.extend({ year: QueryYear.openapi({ param: { name: "year", in: "path" }, example: "2010" }) }),
    ),
    async (c) => {
      const { book, year } = c.req.valid("param") as { book: string; year: string };
      const query = c.req.valid("query");
      // Refused before any reading: a request that cannot be answered costs nothing.
      refuseTableWithJson(query.format ?? "json", query.table);
      const { state, today } = await bookAndToday(c, book);
      const { journal } = c.var.ledger;
      // A closed year is served as its close froze it (年终结账); an open one is computed now.
      const closed = state.closedThrough !== null && comparePeriods(`${year}-12`, state.closedThrough) <= 0;
      const frozen = closed ? ((await journal.entity(book, annualRef(year))) as AnnualReport | null) : null;
      const result = frozen
        ? { ...frozen, frozen: { annualReportHash: fingerprint(frozen as never) } }
        : {
            ...(await annualReport(journal, book, state, today, year, { signal: c.var.deadline })),
            provisional: provisionalIn(state, `${year}-01`, `${year}-12`),
          };
      return answerReport(
        c,
        query,
        { name: "annual", book, period: year },
        () => [
          programmeTable(result.programmes),
          fundTable(result.funds),
          ...collectionTables(result.collections),
          auditTable(result.audit),
        ],
        () => result,
      ) as never;
    },
  );
