import { OpenAPIHono, z } from "@hono/zod-openapi";
import { fingerprint } from "@relief-ledger/core";
import { importRoster, RosterImportStopped } from "@relief-ledger/store";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { ROSTER_COLUMNS, type RosterColumn } from "../imports/columns.ts";
import { type RosterLang, refusalMessage, rosterLang, rowMessage } from "../imports/messages.ts";
import { parseCsv, parseXlsx, type RawRoster, RosterTooLarge } from "../imports/parse.ts";
import { csvTemplate, xlsxTemplate } from "../imports/template.ts";
import { CSV_TYPE, spreadsheetUpload, XLSX_TYPE } from "../imports/upload.ts";
import { bookHasher, type ValidatedRoster, validateRoster } from "../imports/validate.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { setRosterAccounts } from "./bank-accounts.ts";
import { BookParams, guarded, IdempotencyHeaders } from "./common.ts";
import { operation } from "./operation.ts";
import { idempotencyKeyOf, refusal } from "./record.ts";
import { requireBook } from "./views.ts";

/** The most rows a roster may hold: a district's whole register (the seed's has 6,218 households). */
export const MAX_ROSTER_ROWS = 10_000;
/**
 * A roster's body, larger than a JSON body's 1 MB: 10,000 rows of CSV with Chinese names run to
 * about 1.2 MB, an XLSX less. 6 MB is what a Lambda takes in a synchronous request.
 */
export const MAX_ROSTER_BYTES = 6 * 1024 * 1024;
/** The bad rows a 422 lists, at most: enough to find the pattern, bounded for a roster of nothing but. */
const MAX_LISTED = 1000;

const IMPORT_PATH = /^\/v1\/books\/[^/]+\/beneficiary-imports\/?$/;

/** Whether a request uploads a roster, whose body is a CSV or XLSX file rather than JSON (app.ts). */
export const isRosterUpload = (request: Request) =>
  request.method === "POST" && IMPORT_PATH.test(new URL(request.url).pathname);

const RowIssue = z.object({
  row: z.int().openapi({ description: "The spreadsheet's row number; the header is row 1" }),
  column: z.enum(ROSTER_COLUMNS.map((column) => column.key) as [RosterColumn, ...RosterColumn[]]),
  header: z.string().openapi({ description: "The column's header as the roster spells it" }),
  code: z.string(),
  message: z.string().openapi({ description: "In the caller's language (Accept-Language zh, else English)" }),
});

const RowRefused = z.object({
  row: z.int(),
  beneficiaryId: z.string(),
  code: z.string(),
  message: z.string(),
});

const ImportSummary = z
  .object({
    importId: z.string(),
    rows: z.int().openapi({ description: "Data rows in the roster" }),
    registered: z.int(),
    filesOpened: z.int(),
    skipped: z.int().openapi({ description: "Rows already on file (same id and ID number): nothing recorded" }),
    refused: z.array(RowRefused).openapi({ description: "Rows that contradict what is on file" }),
    invalid: z.array(RowIssue).openapi({ description: "With partial=true: the rows left out as not valid" }),
    bankAccounts: z.int().openapi({
      description: "Bank accounts put on file (sealed; the journal gets their last four digits and keyed hashes)",
    }),
  })
  .openapi("BeneficiaryImportSummary");

const ImportQuery = z.object({
  partial: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "true: record the valid rows even when others are not valid, and list those" }),
});

const importRoute = operation(
  {
    method: "post",
    path: "/books/{book}/beneficiary-imports",
    operationId: "importBeneficiaries",
    tags: ["Beneficiaries"],
    summary: "Import a roster of beneficiaries and their hardship files (困难职工档案名册), CSV or XLSX",
    description:
      `The body is the file itself (${CSV_TYPE}, UTF-8, or ${XLSX_TYPE}, its first sheet), at most ` +
      `${MAX_ROSTER_ROWS.toLocaleString("en")} rows under a header row in Chinese or English ` +
      "(GET …/beneficiary-imports/template). Every row is checked first: with any bad row the answer is 422 " +
      "import-invalid listing each (row, column, message in the caller's language) and nothing is recorded, " +
      "unless partial=true asks for the good rows alone. ID numbers are kept only as keyed hashes; a row " +
      "without an id gets one made from that hash. Rows go in chunks of 24, one transaction each, households " +
      "before their members; whoever is on file already (same id and ID number) is skipped, so importing a " +
      "roster again, or an overlapping one, records nobody twice. Optional bank columns (开户行, 户名, 银行账号, all " +
      "three or none) put each row's account on file sealed, as PUT …/bank-account does, after the rows; an " +
      "account on file as it is is left alone. A retry with the same Idempotency-Key (after a " +
      "crash or a 503) replays the chunks already recorded and records the rest.",
    ...guarded("registry"),
    request: {
      params: BookParams,
      query: ImportQuery,
      headers: IdempotencyHeaders,
      body: spreadsheetUpload,
    },
    responses: {
      201: {
        description: "Recorded: what was registered, opened, skipped and refused",
        content: { "application/json": { schema: ImportSummary } },
      },
      200: {
        description: "Nothing new: every row is on file already (or refused)",
        content: { "application/json": { schema: ImportSummary } },
      },
    },
  },
  { commands: ["import-beneficiaries-chunk"], raises: ["import-invalid", "import-too-large", "book-not-found"] },
);

const templateRoute = operation(
  {
    method: "get",
    path: "/books/{book}/beneficiary-imports/template",
    operationId: "getBeneficiaryImportTemplate",
    tags: ["Beneficiaries"],
    summary: "An empty roster to fill in: the header row, and in XLSX a sheet of notes on the allowed values",
    ...guarded("read"),
    request: {
      params: BookParams,
      query: z.object({
        format: z.enum(["csv", "xlsx"]).optional().openapi({ description: "xlsx by default" }),
        lang: z
          .enum(["zh", "en"])
          .optional()
          .openapi({ description: "The headers' language; by default Accept-Language's (zh, else English)" }),
      }),
    },
    responses: {
      200: {
        description: "The template",
        content: {
          [CSV_TYPE]: { schema: z.string() },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
        },
      },
    },
  },
  { raises: ["book-not-found"] },
);

/** Reads the body as the roster it says it is; any other media type is 415. */
async function readRoster(c: Context<AppEnv>): Promise<RawRoster> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  try {
    if (type === CSV_TYPE) return parseCsv(await c.req.text(), MAX_ROSTER_ROWS);
    if (type === XLSX_TYPE) {
      const body = c.req.raw.body;
      if (!body) return { header: [], rows: [] };
      return await parseXlsx(body, MAX_ROSTER_ROWS);
    }
  } catch (error) {
    if (error instanceof RosterTooLarge) {
      throw new ProblemError(
        problemFor("import-too-large", `a roster holds at most ${error.limit} rows; nothing was recorded`, {
          limit: error.limit,
        }),
      );
    }
    if (error instanceof ProblemError) throw error;
    // exceljs could not read it: not a workbook, or a broken one.
    throw new ProblemError(
      problemFor("validation-failed", "the body is not a readable XLSX workbook", {
        errors: [{ path: "body", message: "not a readable XLSX workbook" }],
      }),
    );
  }
  throw new ProblemError(problemFor("unsupported-media-type", `send the roster as ${CSV_TYPE} or ${XLSX_TYPE}`));
}

const issuesIn = (roster: ValidatedRoster, lang: RosterLang) =>
  roster.invalid.slice(0, MAX_LISTED).map((problem) => {
    const header = roster.headers.get(problem.column) ?? problem.column;
    return {
      row: problem.row,
      column: problem.column,
      header,
      code: problem.code,
      message: rowMessage(problem, lang, header),
    };
  });

export const beneficiaryImportsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(importRoute, async (c) => {
    const { book } = c.req.valid("param");
    const partial = c.req.valid("query").partial === "true";
    const lang = rosterLang(undefined, c.req.header("accept-language"));
    const { journal, idHashKey, clock } = c.var.ledger;
    requireBook((await journal.head(book)).state, book);
    if (c.req.header("idempotency-key") === undefined) idempotencyKeyOf(c, true, "");
    const roster = validateRoster(await readRoster(c), bookHasher(idHashKey, book));
    const invalid = issuesIn(roster, lang);
    if (roster.invalid.length > 0 && (!partial || roster.rows.length === 0)) {
      const rows = new Set(roster.invalid.map((problem) => problem.row)).size;
      const detail =
        lang === "zh"
          ? `名册有 ${rows} 行无效，未记录任何内容。`
          : `${rows} rows of the roster are not valid; nothing was recorded`;
      throw new ProblemError(
        problemFor("import-invalid", detail, {
          invalid: rows,
          rows: invalid,
          ...(roster.invalid.length > MAX_LISTED ? { truncated: true } : {}),
        }),
      );
    }
    // What the key guards: who, where, and the rows as they will be recorded (hashes, not numbers).
    const requestHash = fingerprint({ path: c.req.path, caller: c.var.principal.sub, rows: roster.rows });
    const key = idempotencyKeyOf(c, true, requestHash);
    const importId = `import-${fingerprint({ book, key }).slice(0, 12)}`;
    const principal = c.var.principal;
    let summary: Awaited<ReturnType<typeof importRoster>>;
    try {
      summary = await importRoster(journal, book, {
        importId,
        rows: roster.rows,
        idempotencyKey: key,
        requestHash,
        actor: { sub: principal.sub, role: principal.role },
        signal: c.var.deadline,
        ...(clock ? { clock } : {}),
      });
    } catch (error) {
      if (error instanceof RosterImportStopped) throw refusal(error.error, key);
      throw error;
    }
    // The accounts after the rows: a chunk's transaction has no room for them (24 × 4 + 3 = 99 items).
    const bankAccounts = await setRosterAccounts(c, book, key, roster.accounts);
    const answer = {
      importId,
      rows: roster.total,
      registered: summary.registered,
      filesOpened: summary.filesOpened,
      skipped: summary.skipped,
      refused: summary.refused.map((row) => ({ ...row, message: refusalMessage(row.code, row.message, lang) })),
      invalid,
      bankAccounts,
    };
    return c.json(answer, summary.written || bankAccounts > 0 ? 201 : 200);
  })
  .openapi(templateRoute, async (c) => {
    const { book } = c.req.valid("param");
    const query = c.req.valid("query");
    requireBook((await c.var.ledger.journal.head(book)).state, book);
    const lang = rosterLang(query.lang, c.req.header("accept-language"));
    const name = lang === "zh" ? "困难职工档案名册" : "beneficiary-roster";
    const disposition = (extension: string) =>
      `attachment; filename="beneficiary-roster.${extension}"; filename*=UTF-8''${encodeURIComponent(`${name}.${extension}`)}`;
    if (query.format === "csv") {
      return c.body(csvTemplate(lang), 200, {
        "Content-Type": `${CSV_TYPE}; charset=utf-8`,
        "Content-Disposition": disposition("csv"),
      });
    }
    return c.body(await xlsxTemplate(lang), 200, {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": disposition("xlsx"),
    });
  });
