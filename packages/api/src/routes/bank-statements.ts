import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  BankLineInput,
  CommandSchemas,
  CURRENCIES,
  type Currency,
  DEFAULT_TOLERANCE_DAYS,
  domainError,
  FundId,
  type JournalEvent,
  MAX_STATEMENT_LINES,
  Period,
} from "@relief-ledger/core";
import { proposeMatches, reconciliationOf } from "@relief-ledger/store";
import { sha256Hex } from "../bank-files/index.ts";
import { readStatement } from "../bank-files/statement.ts";
import type { AppEnv } from "../env.ts";
import { parseCsv, parseXlsx, type RawRoster, RosterTooLarge } from "../imports/parse.ts";
import { CSV_TYPE, XLSX_TYPE } from "../imports/upload.ts";
import { fail, ProblemError, problemFor } from "../problem.ts";
import {
  AMOUNT_FIELD,
  BookParams,
  DATE_FIELD,
  documented,
  entryCreated,
  guarded,
  ID_FIELD,
  IdempotencyHeaders,
  jsonBody,
  OptionalIdempotencyHeaders,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { ReconciliationView } from "./reconciliation-view.ts";
import { appendCommand, idempotencyKeyOf, recordOne, requestFingerprint } from "./record.ts";
import { requireBook } from "./views.ts";

/**
 * A line as the bank prints it. The counterparty's account number is taken so that a statement can
 * be sent as exported, and cut to its last four characters here: the full number reaches no
 * command, journal entry, state item, log or export.
 */
const StatementLine = withDocs(BankLineInput.omit({ counterpartyLast4: true }), {
  date: DATE_FIELD,
  amount: AMOUNT_FIELD,
  reference: { description: "The bank's reference; a line whose reference is an entry's is matched to it first" },
})
  .extend({
    counterpartyAccount: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z -]{1,40}$/)
      .optional()
      .openapi({ description: "The counterparty's account number: only its last four characters are kept" }),
  })
  .openapi("BankStatementLine");

const NewStatement = withDocs(
  CommandSchemas["record-bank-statement"].omit({ type: true, matches: true, lines: true }),
  {
    fundId: ID_FIELD,
    period: { description: "The statement's month, YYYY-MM: over before it is recorded", example: "2010-03" },
    openingBalance: { description: "The account's balance at the start of the month (zero or negative allowed)" },
    closingBalance: {
      description: "The balance at the month's end: the opening balance plus the lines in less the lines out",
    },
    accountLast4: { description: "The last four digits of the fund's own account, kept in the journal" },
    toleranceDays: {
      description: `How many days apart a line and an entry of the same amount may be dated to match (${DEFAULT_TOLERANCE_DAYS} by default)`,
    },
  },
)
  .extend({ lines: z.array(StatementLine).max(MAX_STATEMENT_LINES) })
  .openapi("NewBankStatement");
type NewStatement = z.infer<typeof NewStatement>;

const lastFour = (account: string) => account.replace(/[^0-9A-Za-z]/g, "").slice(-4);

/** The statement as its command carries it: account numbers cut to their last four characters. */
const linesOf = (body: NewStatement) =>
  body.lines.map(({ counterpartyAccount, ...line }) => ({
    ...line,
    ...(counterpartyAccount ? { counterpartyLast4: lastFour(counterpartyAccount) } : {}),
  }));

const STATEMENTS_PATH = /^\/v1\/books\/[^/]+\/bank-statements\/?$/;
const mediaTypeOf = (request: Request) =>
  (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
/** Whether a request sends a statement as a file, CSV or XLSX, rather than as JSON (app.ts). */
export const isStatementUpload = (request: Request) =>
  request.method === "POST" &&
  STATEMENTS_PATH.test(new URL(request.url).pathname) &&
  [CSV_TYPE, XLSX_TYPE].includes(mediaTypeOf(request));

/** A statement file's figures, which the file itself does not carry: in the query. */
const FileQuery = z.object({
  fundId: FundId.optional().openapi({ description: "With a file: the fund whose account the statement is of" }),
  period: Period.optional().openapi({ description: "With a file: the statement's month, YYYY-MM", example: "2010-03" }),
  openingBalance: z.string().optional().openapi({ description: "With a file: the balance at the month's start" }),
  closingBalance: z.string().optional().openapi({ description: "With a file: the balance at the month's end" }),
  accountLast4: z.string().optional().openapi({ description: "With a file: the last four digits of the account" }),
  toleranceDays: z
    .string()
    .regex(/^[0-9]{1,2}$/, "must be a whole number of days")
    .transform(Number)
    .optional()
    .openapi({ description: "With a file: the tolerance of days (3 by default)" }),
});

/** Reads a statement file as the type it says it is. */
async function readFile(type: string, bytes: Uint8Array): Promise<RawRoster> {
  try {
    return type === CSV_TYPE
      ? parseCsv(new TextDecoder().decode(bytes), MAX_STATEMENT_LINES)
      : await parseXlsx(bytes, MAX_STATEMENT_LINES);
  } catch (error) {
    if (error instanceof RosterTooLarge) {
      throw new ProblemError(
        problemFor("import-too-large", `a statement holds at most ${error.limit} lines; nothing was recorded`, {
          limit: error.limit,
        }),
      );
    }
    throw new ProblemError(
      problemFor("validation-failed", "the body is not a readable XLSX workbook", {
        errors: [{ path: "body", message: "not a readable XLSX workbook" }],
      }),
    );
  }
}

/**
 * A statement sent as a file, as the JSON form would carry it: its lines from the file (every bad
 * row listed, nothing written), its figures from the query, checked as the JSON form's are.
 */
async function statementFromFile(
  query: z.infer<typeof FileQuery>,
  type: string,
  bytes: Uint8Array,
  currency: Currency,
) {
  const missing = (["fundId", "period", "openingBalance", "closingBalance"] as const).filter(
    (name) => query[name] === undefined,
  );
  if (missing.length > 0) {
    throw new ProblemError(
      problemFor("validation-failed", "a statement file needs its fund, month and balances in the query", {
        errors: missing.map((name) => ({ path: `query.${name}`, message: "required with a file" })),
      }),
    );
  }
  const { lines, invalid } = readStatement(await readFile(type, bytes), query.period as string, currency);
  if (invalid.length > 0) {
    const rows = new Set(invalid.map((issue) => issue.row)).size;
    throw new ProblemError(
      problemFor("bank-statement-rows-invalid", `${rows} rows of the statement are not valid; nothing was recorded`, {
        invalid: rows,
        rows: invalid.slice(0, MAX_LISTED_ROWS),
      }),
    );
  }
  const parsed = NewStatement.safeParse({
    ...query,
    lines: lines.map(({ row: _, ...line }) => line),
  });
  if (!parsed.success) {
    throw new ProblemError(
      problemFor("validation-failed", "the statement's figures are not valid", {
        errors: parsed.error.issues.map((issue) => ({ path: `query.${issue.path.join(".")}`, message: issue.message })),
      }),
    );
  }
  return parsed.data;
}

/** Bad rows listed in a refusal: enough to fix a file by, not a copy of it. */
const MAX_LISTED_ROWS = 200;

const StatementRecorded = z
  .object({
    recorded: z.boolean().openapi({ description: "False when the same statement was recorded before" }),
    entries: z.array(z.object({ seq: z.int(), type: z.string() })),
    reconciliation: ReconciliationView,
  })
  .openapi("BankStatementRecorded");

export const MatchParams = BookParams.extend({
  fund: documented(FundId, "The fund whose account the statement is of").openapi({
    param: { name: "fund", in: "path" },
    example: "general",
  }),
  period: documented(Period, "The statement's month, YYYY-MM").openapi({
    param: { name: "period", in: "path" },
    example: "2010-03",
  }),
  line: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, "must be a statement line: a whole number from 1")
    .transform(Number)
    .openapi({ param: { name: "line", in: "path" }, example: "1", description: "The statement's line, from 1" }),
});

const Confirm = withDocs(
  CommandSchemas["confirm-bank-match"].omit({ type: true, fundId: true, period: true, line: true }),
  {
    note: { description: "What finance checked" },
  },
).openapi("BankMatchConfirmation");
const Undo = withDocs(CommandSchemas["undo-bank-match"].omit({ type: true, fundId: true, period: true, line: true }), {
  reason: { description: "Why the match was wrong" },
}).openapi("BankMatchUndo");

const matchRoute = (verb: "confirm" | "undo", operationId: string, summary: string, body: z.ZodObject) =>
  operation(
    {
      method: "post",
      path: `/books/{book}/bank-statements/{fund}/{period}/matches/{line}/${verb}`,
      operationId,
      tags: ["Reconciliation"],
      summary,
      ...guarded("money"),
      request: { params: MatchParams, headers: OptionalIdempotencyHeaders, ...jsonBody(body) },
      responses: entryCreated,
    },
    { commands: [verb === "confirm" ? "confirm-bank-match" : "undo-bank-match"] },
  );

export const bankStatementsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    operation(
      {
        method: "post",
        path: "/books/{book}/bank-statements",
        operationId: "recordBankStatement",
        tags: ["Reconciliation"],
        summary:
          "Record a fund's bank statement of a month (银行对账单): its lines are matched to the book by reference, " +
          "then by amount within a tolerance of days; the answer is the month's reconciliation",
        ...guarded("money"),
        description:
          "The statement is JSON, or the bank's export as a file (" +
          `${CSV_TYPE} or ${XLSX_TYPE}) with the fund, the month and the balances in the query. A file's columns ` +
          "are found by header, in Chinese or English: 交易日期/date, 金额/amount with 方向/direction (收/in, 付/out; " +
          "without a direction a negative amount is out), or 借方发生额/debit (out) and 贷方发生额/credit (in); " +
          "对方户名/counterparty, 对方账号/counterpartyAccount (only its last four characters are kept), 摘要 or " +
          "附言/reference. Other columns (余额, 流水号…) are ignored. A file with bad rows is refused " +
          "(bank-statement-rows-invalid, each row listed by row, column and message) and nothing is recorded. " +
          "The same statement again, as JSON or as a file, records nothing.",
        request: {
          params: BookParams,
          query: FileQuery,
          headers: IdempotencyHeaders,
          body: {
            // Not `required` as far as the validator goes: a file body is read by the handler, and
            // the JSON one is validated only when it is JSON (a body-less POST is refused below).
            required: false,
            content: {
              "application/json": { schema: NewStatement },
              [CSV_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
              [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
            },
          },
        },
        responses: {
          201: {
            description: "Recorded: the entries it made, and the month's reconciliation",
            content: { "application/json": { schema: StatementRecorded } },
          },
          200: {
            description: "The same statement was recorded before: nothing new; the month's reconciliation",
            content: { "application/json": { schema: StatementRecorded } },
          },
          202: entryCreated[202],
        },
      },
      { commands: ["record-bank-statement"], raises: ["bank-statement-rows-invalid", "import-too-large"] },
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      if (c.req.header("idempotency-key") === undefined) idempotencyKeyOf(c, true, "");
      const { journal } = c.var.ledger;
      const { state, seq: seen } = await journal.head(book);
      requireBook(state, book);
      const type = mediaTypeOf(c.req.raw);
      const file = type === CSV_TYPE || type === XLSX_TYPE ? new Uint8Array(await c.req.arrayBuffer()) : undefined;
      const body = file
        ? await statementFromFile(c.req.valid("query"), type, file, CURRENCIES[state.book?.currency ?? "CNY"])
        : (c.req.valid("json") as NewStatement);
      if (!file && c.req.header("content-type") === undefined) {
        throw new ProblemError(
          problemFor("validation-failed", "send the statement as JSON, CSV or XLSX", {
            errors: [{ path: "body", message: "required" }],
          }),
        );
      }
      // The key guards the statement as sent: a full account number is fingerprinted, never kept.
      const requestHash = requestFingerprint(c, file ? { query: c.req.query(), fileHash: sha256Hex(file) } : body);
      const idempotencyKey = idempotencyKeyOf(c, true, requestHash);
      const { accountLast4, toleranceDays, ...rest } = body;
      const lines = linesOf(body);
      const tolerance = toleranceDays ?? DEFAULT_TOLERANCE_DAYS;
      const proposed = await proposeMatches(journal, book, state, { ...rest, lines }, tolerance, c.var.deadline);
      const { events } = await appendCommand(
        c,
        book,
        {
          type: "record-bank-statement",
          ...rest,
          ...(accountLast4 !== undefined ? { accountLast4 } : {}),
          ...(toleranceDays !== undefined ? { toleranceDays } : {}),
          lines,
          matches: proposed.matches,
        },
        { idempotencyKey, requestHash },
      );
      const { state: after, seq: now } = await journal.head(book);
      // The fund's entries just read hold, unless someone recorded an entry in the meantime.
      const items = now === seen + events.length ? proposed.items : undefined;
      const reconciliation = await reconciliationOf(
        journal,
        book,
        after,
        body.fundId,
        body.period,
        c.var.deadline,
        items,
      );
      if (!reconciliation) {
        return fail(
          domainError("bank-statement-not-found", `no statement of ${body.fundId} for ${body.period}`, {
            fundId: body.fundId,
            period: body.period,
          }),
        );
      }
      const entries = events.map((event: JournalEvent) => ({ seq: event.seq, type: event.type }));
      const recorded = entries.length > 0;
      if (recorded) c.header("Location", `/v1/books/${book}/reconciliations/${body.period}?fundId=${body.fundId}`);
      return c.json({ recorded, entries, reconciliation }, recorded ? 201 : 200) as never;
    },
  )
  .openapi(
    matchRoute(
      "confirm",
      "confirmBankMatch",
      "Confirm a match of a statement line to a journal entry (复核确认)",
      Confirm,
    ),
    async (c) => {
      const { book, fund, period, line } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof Confirm>;
      const command = { type: "confirm-bank-match" as const, fundId: fund, period, line, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  )
  .openapi(
    matchRoute(
      "undo",
      "undoBankMatch",
      "Undo a match, with the reason: the line and the entry are unmatched again",
      Undo,
    ),
    async (c) => {
      const { book, fund, period, line } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof Undo>;
      const command = { type: "undo-bank-match" as const, fundId: fund, period, line, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  );
