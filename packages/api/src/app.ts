import { OpenAPIHono } from "@hono/zod-openapi";
import { isDatabaseUnavailable, type LedgerMetrics, type Logger, logFromEnv, NO_METRICS } from "@relief-ledger/store";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth/authenticate.ts";
import { dashboardRoutes } from "./dashboard/index.ts";
import { type DeadlineOptions, deadline } from "./deadline.ts";
import { docsRoutes } from "./docs.ts";
import { type BufferedLimit, fitBufferedResponse, readOnly } from "./entry-guards.ts";
import type { AppEnv, Ledger } from "./env.ts";
import { health } from "./health.ts";
import { observe } from "./observe.ts";
import { DOCUMENT } from "./openapi/document.ts";
import { Problem } from "./openapi/problem-responses.ts";
import { type FieldError, ProblemError, problemCatalogue, problemFor, sendProblem } from "./problem.ts";
import { approvalsRoutes } from "./routes/approvals.ts";
import { auditsRoutes } from "./routes/audits.ts";
import { bankAccountsRoutes } from "./routes/bank-accounts.ts";
import { bankFilesRoutes } from "./routes/bank-files.ts";
import { bankResultsRoutes, isBankResultsUpload } from "./routes/bank-results.ts";
import { bankStatementsRoutes, isStatementUpload } from "./routes/bank-statements.ts";
import { batchesRoutes } from "./routes/batches.ts";
import { beneficiariesRoutes } from "./routes/beneficiaries.ts";
import { beneficiaryImportsRoutes, isRosterUpload, MAX_ROSTER_BYTES } from "./routes/beneficiary-imports.ts";
import { booksRoutes } from "./routes/books.ts";
import { checkpointKeyRoutes, checkpointsRoutes } from "./routes/checkpoints.ts";
import { entriesRoutes } from "./routes/entries.ts";
import { entryTotalsRoutes } from "./routes/entry-totals.ts";
import { fundBankAccountsRoutes } from "./routes/fund-bank-accounts.ts";
import { fundsRoutes } from "./routes/funds.ts";
import { journalRoutes } from "./routes/journal.ts";
import { moneyRoutes } from "./routes/money.ts";
import { programsRoutes } from "./routes/programs.ts";
import { reconciliationsRoutes } from "./routes/reconciliations.ts";
import { answerPending, RequestPending } from "./routes/record.ts";
import { reportsRoutes } from "./routes/reports.ts";
import { requestsRoutes } from "./routes/requests.ts";
import { rollupsRoutes } from "./routes/rollups.ts";
import { unitsRoutes } from "./routes/units.ts";
import { securityHeaders } from "./security-headers.ts";

/** Bodies above 1 MB are refused before they are read: a 5,000-line batch is about half that. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Seconds a client should wait when the database is down: DynamoDB Local restarts in a few. */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * The ledger's HTTP API. The same app serves Lambda (lambda.ts) and the local server
 * (server.ts); what it talks to comes in through `ledger`.
 */
export type AppOptions = {
  /**
   * Answer GET and HEAD only: anything else is a 405 problem before it reaches a route. For an
   * entry whose role cannot write (the streaming export function), so that a write gets a clear
   * refusal instead of failing on DynamoDB's access denial.
   */
  readonly readOnly?: boolean;
  /**
   * The most a response body may hold: behind a buffered Lambda (6 MB, base64 and headers
   * included) a larger one would fail as a bare 500. An export past it is answered with a
   * problem naming where to stream it from instead (`exportsUrl`, the streamed function URL).
   */
  readonly buffered?: BufferedLimit;
  /** How long a request may run (deadline.ts): 25 s to answer a read, 60 s a write, 280 s to stream an export. */
  readonly deadline?: DeadlineOptions;
  /** Where each request's log line goes (observe.ts); by default stdout at LEDGER_LOG_LEVEL. */
  readonly log?: Logger;
  /** Where its metrics go; by default nowhere (lambda-app.ts gives the function's). */
  readonly metrics?: LedgerMetrics;
};

export function createApp(ledger: Ledger, options: AppOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({
    // Every validation failure becomes one problem with field errors, whichever route it hit.
    defaultHook: (result) => {
      if (!result.success) {
        const errors: FieldError[] = result.error.issues.flatMap((issue) =>
          // An unknown field is named by its own path, not by the object that holds it.
          issue.code === "unrecognized_keys"
            ? issue.keys.map((key) => ({ path: [...issue.path, key].join("."), message: "unknown field" }))
            : [{ path: issue.path.join("."), message: issue.message }],
        );
        throw new ProblemError(problemFor("validation-failed", "the request has invalid fields", { errors }));
      }
    },
  });

  const log = options.log ?? logFromEnv("relief-ledger-api");
  // First, so that every answer has a request id and a log line, whatever answers it.
  app.use("*", observe({ log, metrics: options.metrics ?? NO_METRICS, ledger }));
  // Next, so that every answer carries it: problems, CSV, the dashboard and the docs included.
  app.use("*", securityHeaders);
  // Next, so that everything after it, the buffering of an export included, runs within it.
  app.use("*", deadline(options.deadline));
  if (options.readOnly) app.use("*", readOnly);
  if (options.buffered) app.use("*", fitBufferedResponse(options.buffered));
  // A public key needs no token: registered before authentication, it answers before it runs.
  app.route("/v1", checkpointKeyRoutes);
  app.use("/v1/*", authenticate({ secret: ledger.jwtSecret }));
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ProblemError(problemFor("payload-too-large", `the body exceeds ${maxSize} bytes`));
      },
    });
  const [jsonLimit, rosterLimit] = [limitTo(MAX_BODY_BYTES), limitTo(MAX_ROSTER_BYTES)];
  // A roster (routes/beneficiary-imports.ts), a bank's result file (routes/bank-results.ts) or a
  // bank statement sent as a file (routes/bank-statements.ts) is a file of its own kind and size;
  // every other body is JSON.
  const isFileUpload = (request: Request) =>
    isRosterUpload(request) || isBankResultsUpload(request) || isStatementUpload(request);
  app.use("/v1/*", (c, next) => (isFileUpload(c.req.raw) ? rosterLimit : jsonLimit)(c, next));
  app.use("/v1/*", async function requireJson(c, next) {
    // A body must be JSON; a POST without one (closing a month) needs no content type.
    const hasBody =
      c.req.header("transfer-encoding") !== undefined || Number(c.req.header("content-length") ?? "0") > 0;
    const json = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(c.req.header("content-type") ?? "");
    if (c.req.method === "POST" && (hasBody || c.req.header("content-type") !== undefined) && !json) {
      if (isFileUpload(c.req.raw)) return next();
      throw new ProblemError(problemFor("unsupported-media-type", "send the body as application/json"));
    }
    await next();
  });

  app.get("/health", health);
  for (const routes of [
    booksRoutes,
    fundsRoutes,
    unitsRoutes,
    programsRoutes,
    beneficiariesRoutes,
    beneficiaryImportsRoutes,
    moneyRoutes,
    batchesRoutes,
    bankAccountsRoutes,
    fundBankAccountsRoutes,
    bankFilesRoutes,
    bankResultsRoutes,
    approvalsRoutes,
    // Before entriesRoutes: its /entries/{seq} would take /entries/totals.
    entryTotalsRoutes,
    entriesRoutes,
    journalRoutes,
    requestsRoutes,
    checkpointsRoutes,
    rollupsRoutes,
    reportsRoutes,
    auditsRoutes,
    bankStatementsRoutes,
    reconciliationsRoutes,
  ]) {
    app.route("/v1", routes);
  }
  app.route("/", docsRoutes);
  app.route("/", dashboardRoutes(app));
  app.get("/problems/:code", (c) => {
    const entry = problemCatalogue().find((problem) => problem.code === c.req.param("code"));
    if (!entry) return sendProblem(c, problemFor("not-found", `no problem type ${c.req.param("code")}`));
    return c.json({ type: `/problems/${entry.code}`, title: entry.title, status: entry.status });
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.openAPIRegistry.register("Problem", Problem);
  app.doc31("/openapi.json", DOCUMENT);

  app.notFound((c) => sendProblem(c, problemFor("not-found", `no route ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return sendProblem(c, error.problem);
    // Not a problem: a write handed over and still waiting its turn, answered 202 with where to ask after it.
    if (error instanceof RequestPending) return answerPending(c, error.book, error.idempotencyKey);
    if (error instanceof HTTPException) {
      // Hono's own refusals (a body it cannot parse, a media type its validator will not read).
      if (error.status === 415)
        return sendProblem(c, problemFor("unsupported-media-type", "send the body as application/json"));
      if (error.status === 413)
        return sendProblem(c, problemFor("payload-too-large", `the body exceeds ${MAX_BODY_BYTES} bytes`));
      if (error.status === 400)
        return sendProblem(c, problemFor("malformed-json", "the body could not be parsed as JSON"));
    }
    if (isDatabaseUnavailable(error)) {
      // DynamoDB Local restarting (npm start brings it back within seconds), or DynamoDB unreachable.
      return sendProblem(
        c,
        problemFor(
          "database-unavailable",
          "the ledger's database cannot be reached just now; retry shortly (a write with the same Idempotency-Key is recorded at most once)",
          { retryAfter: DATABASE_RETRY_AFTER_S },
        ),
      );
    }
    // Logged once, with its stack, in the request's own line (observe.ts).
    c.set("failure", error);
    return sendProblem(
      c,
      problemFor(
        "internal",
        "the ledger could not complete the request; retry it with the same Idempotency-Key to learn whether it was recorded",
      ),
    );
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
