import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type BankAccountRecord,
  BankResultsRecorded,
  bankAccountRef,
  type CommandOf,
  CURRENCIES,
  fingerprint,
  formatAmount,
  type JournalEvent,
  localDate,
  RESULT_CHUNK_FAILED,
  RESULT_CHUNK_LINES,
  readSignedAmount,
} from "@relief-ledger/core";
import { readBatch } from "@relief-ledger/store";
import type { Context } from "hono";
import { accountContext } from "../bank-account.ts";
import {
  BANK_LAYOUTS,
  type BankFileLine,
  type BankResultRow,
  bankCsv,
  bankXlsx,
  sha256Hex,
} from "../bank-files/index.ts";
import type { AppEnv } from "../env.ts";
import { parseCsv, parseXlsx, type RawRoster, RosterTooLarge } from "../imports/parse.ts";
import { XLSX_TYPE } from "../imports/template.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { dataKeyOf } from "./bank-accounts.ts";
import { BookParams, guarded, Id, IdempotencyHeaders } from "./common.ts";
import { operation } from "./operation.ts";
import { appendCommand, idempotencyKeyOf } from "./record.ts";
import { requireBook } from "./views.ts";

const CSV_TYPE = "text/csv";
// Books keep CNY (batches.ts says the same), and event amounts are in its format.
const currency = CURRENCIES.CNY;
/** The most lines a result file may hold: a batch holds at most 5,000 (batches.ts); room for a bank's extra rows. */
const MAX_RESULT_ROWS = 10_000;
/** The lines a refusal lists at most. */
const MAX_LISTED = 1000;

const RESULTS_PATH = /^\/v1\/books\/[^/]+\/payout-batches\/[^/]+\/bank-results\/?$/;
/** Whether a request uploads a bank's result file, a CSV or XLSX body rather than JSON (app.ts). */
export const isBankResultsUpload = (request: Request) =>
  request.method === "POST" && RESULTS_PATH.test(new URL(request.url).pathname);

const BatchParams = BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

const fileRoute = operation(
  {
    method: "get",
    path: "/books/{book}/payout-batches/{id}/bank-file",
    operationId: "getBankFile",
    tags: ["Batches"],
    summary: "The batch's disbursement file (代发文件) for the bank: one line per payout paid by bank",
    description:
      "One line per payout of the batch recorded with method `bank` and not reversed or returned since: 序号 (the " +
      "payout's line in the batch), 户名, 账号, 开户行, 金额, 附言 (the payout's reference, or `<batch>/<line>`), in the " +
      "generic layout (packages/api/src/bank-files/generic.ts; a bank's own layout is a module beside it). A batch " +
      "with lines whose payee has no bank account on file answers 422 bank-file-incomplete listing them, and no " +
      "file. Taking the file is journalled (BankFileIssued: who, the file's SHA-256, its lines and total), once per " +
      "person and file; the hash is also in the Repr-Digest header. Finance only: the file carries account numbers.",
    ...guarded("money"),
    request: {
      params: BatchParams,
      query: z.object({
        format: z.enum(["csv", "xlsx"]).optional().openapi({ description: "csv (UTF-8 with a BOM) by default" }),
      }),
    },
    responses: {
      200: {
        description: "The file",
        content: {
          [CSV_TYPE]: { schema: z.string() },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
        },
      },
    },
  },
  { commands: ["issue-bank-file"], raises: ["book-not-found", "batch-not-found", "bank-file-incomplete"] },
);

const LineRef = z.object({ row: z.int(), line: z.int(), seq: z.int() });

const ResultsSummary = z
  .object({
    batchId: z.string(),
    fileHash: z.string().openapi({ description: "SHA-256 of the file as sent" }),
    rows: z.int(),
    paid: z.int().openapi({ description: "Lines marked settled by this file" }),
    returned: z.int().openapi({ description: "Failed lines returned to their fund by this file" }),
    amountReturned: z.string(),
    alreadySettled: z.array(LineRef).openapi({ description: "Paid lines an earlier result file settled already" }),
    skipped: z
      .array(LineRef.extend({ code: z.string() }))
      .openapi({ description: "Failed lines left as they were: returned or reversed already, say" }),
    unmatched: z.array(z.object({ row: z.int(), line: z.int(), code: z.string() })).openapi({
      description: "Rows that match no payout of the batch (or disagree with its amount or note): listed, not guessed",
    }),
  })
  .openapi("BankResultsSummary");

const resultsRoute = operation(
  {
    method: "post",
    path: "/books/{book}/payout-batches/{id}/bank-results",
    operationId: "recordBankResults",
    tags: ["Batches"],
    summary: "Record the bank's result file (回盘文件): failed lines return to the fund, paid lines are settled",
    description:
      `The body is the file (${CSV_TYPE} or ${XLSX_TYPE}): the disbursement file's columns plus 状态 (成功/paid or ` +
      "失败/failed) and 原因 (the reason). Each row is matched to a payout of the batch by 序号 and must agree with " +
      "its amount and note; a row that does not is listed under `unmatched`. Failed lines are returned as POST " +
      "…/entries/{seq}/return does (PayoutReturned, the money back in the fund), dated `on` or today; paid lines " +
      "are listed as settled in a BankResultsRecorded entry per chunk (up to 32 failed and 500 lines a chunk, one " +
      "transaction each). The same file again, from anyone, records nothing twice (its SHA-256 and each chunk key " +
      "the entries); a line settled or returned by another file is listed, not recorded again.",
    ...guarded("money"),
    request: {
      params: BatchParams,
      query: z.object({
        on: z.iso.date().optional().openapi({ description: "The returns' business date; today when absent" }),
      }),
      headers: IdempotencyHeaders,
      body: {
        required: true,
        content: {
          [CSV_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
        },
      },
    },
    responses: {
      201: { description: "Recorded", content: { "application/json": { schema: ResultsSummary } } },
      200: {
        description: "Nothing new: the file was recorded before",
        content: { "application/json": { schema: ResultsSummary } },
      },
    },
  },
  {
    commands: ["record-bank-results-chunk"],
    raises: ["book-not-found", "batch-not-found", "bank-results-invalid", "import-too-large"],
  },
);

/** A batch's payouts paid by bank and still standing, as the file lists them. */
function bankLines(batchId: string, payouts: readonly JournalEvent[], undone: ReadonlySet<number>) {
  return payouts.flatMap((event) => {
    const payload = event.payload as { method?: string; line?: number; beneficiaryId: string; amount: string };
    const reference = (event.payload as { reference?: string }).reference;
    if (payload.method !== "bank" || undone.has(event.seq)) return [];
    const line = payload.line ?? 0;
    const note = reference ?? `${batchId}/${line}`;
    return [{ seq: event.seq, line, beneficiaryId: payload.beneficiaryId, amount: payload.amount, note }];
  });
}

async function loadBatch(c: Context<AppEnv>, book: string, batchId: string) {
  const { journal } = c.var.ledger;
  requireBook((await journal.head(book)).state, book);
  const batch = await readBatch(journal, book, batchId, c.var.deadline);
  if (!batch.found)
    throw new ProblemError(problemFor("batch-not-found", `no batch ${batchId} in book ${book}`, { batchId }));
  return batch;
}

/** Reads a result file as the type it says it is; any other media type is 415. */
async function readResultFile(c: Context<AppEnv>, bytes: Uint8Array): Promise<RawRoster> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  try {
    if (type === CSV_TYPE) return parseCsv(new TextDecoder().decode(bytes), MAX_RESULT_ROWS);
    if (type === XLSX_TYPE) return await parseXlsx(bytes, MAX_RESULT_ROWS);
  } catch (error) {
    if (error instanceof RosterTooLarge) {
      throw new ProblemError(
        problemFor("import-too-large", `a result file holds at most ${error.limit} rows; nothing was recorded`, {
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
  throw new ProblemError(problemFor("unsupported-media-type", `send the result file as ${CSV_TYPE} or ${XLSX_TYPE}`));
}

type Planned = { readonly row: BankResultRow; readonly seq: number };

/** The chunks a result file is recorded in, in file order: each fits one transaction (commands.ts). */
function chunked(planned: readonly Planned[]): Planned[][] {
  const chunks: Planned[][] = [];
  let current: Planned[] = [];
  let failed = 0;
  for (const item of planned) {
    const isFailed = item.row.status === "failed";
    if (current.length === RESULT_CHUNK_LINES || (isFailed && failed === RESULT_CHUNK_FAILED)) {
      chunks.push(current);
      current = [];
      failed = 0;
    }
    current.push(item);
    if (isFailed) failed += 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export const bankFilesRoutes = new OpenAPIHono<AppEnv>()
  .openapi(fileRoute, async (c) => {
    const { book, id: batchId } = c.req.valid("param");
    const format = c.req.valid("query").format ?? "csv";
    const { journal, clock } = c.var.ledger;
    const batch = await loadBatch(c, book, batchId);
    const lines = bankLines(batchId, batch.payouts, batch.undone);
    if (lines.length === 0) {
      throw new ProblemError(
        problemFor("bank-file-incomplete", `batch ${batchId} has no payout paid by bank`, { missing: 0, lines: [] }),
      );
    }
    const refs = [...new Set(lines.map((line) => bankAccountRef(line.beneficiaryId)))];
    const accounts = await journal.entities(book, refs);
    const sealedOf = (beneficiaryId: string) => {
      const record = accounts.get(bankAccountRef(beneficiaryId)) as BankAccountRecord | null | undefined;
      return record && "sealed" in record ? record : undefined;
    };
    const missing = lines.filter((line) => !sealedOf(line.beneficiaryId));
    if (missing.length > 0) {
      throw new ProblemError(
        problemFor(
          "bank-file-incomplete",
          `${missing.length} lines of batch ${batchId} have no bank account on file; no file was made`,
          {
            missing: missing.length,
            lines: missing.slice(0, MAX_LISTED).map(({ line, seq, beneficiaryId }) => ({ line, seq, beneficiaryId })),
          },
        ),
      );
    }
    const dataKey = dataKeyOf(c);
    const opened = new Map<string, Record<string, string>>();
    for (const beneficiaryId of new Set(lines.map((line) => line.beneficiaryId))) {
      const record = sealedOf(beneficiaryId);
      if (record) opened.set(beneficiaryId, await dataKey.open(record.sealed, accountContext(book, beneficiaryId)));
    }
    const fileLines: BankFileLine[] = lines.map((line) => {
      const account = opened.get(line.beneficiaryId) ?? {};
      return {
        line: line.line,
        accountName: account.accountName ?? "",
        accountNumber: account.accountNumber ?? "",
        bank: account.bank ?? "",
        amount: line.amount,
        note: line.note,
      };
    });
    const layout = BANK_LAYOUTS.generic;
    if (!layout) throw new Error("the generic bank layout is missing");
    const paidOn = batch.payouts[0]?.occurredOn ?? "2000-01-01";
    const bytes =
      format === "xlsx"
        ? await bankXlsx(layout, fileLines, new Date(`${paidOn}T00:00:00Z`))
        : bankCsv(layout, fileLines);
    const fileHash = sha256Hex(bytes);
    const total = lines.reduce((sum, line) => sum + readSignedAmount(line.amount, currency), 0n);
    // Once per person and file: the same file taken again by the same person replays the entry.
    const requestHash = fingerprint({ batchId, fileHash, caller: c.var.principal.sub });
    const command: CommandOf<"issue-bank-file"> = {
      type: "issue-bank-file",
      batchId,
      format,
      layout: layout.id,
      fileHash,
      lines: lines.length,
      amount: formatAmount(total, currency),
      on: localDate((await journal.head(book)).state.book?.timeZone ?? "Asia/Shanghai", clock?.() ?? new Date()),
    };
    await appendCommand(c, book, command, {
      idempotencyKey: `bank-file#${batchId}#${fileHash.slice(0, 32)}#${requestHash.slice(0, 16)}`,
      requestHash,
    });
    const name = `${book}-${batchId}-bank-file.${format}`;
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": format === "xlsx" ? XLSX_TYPE : `${CSV_TYPE}; charset=utf-8`,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Repr-Digest": `sha-256=:${Buffer.from(fileHash, "hex").toString("base64")}:`,
      "Cache-Control": "no-store",
    });
  })
  .openapi(resultsRoute, async (c) => {
    const { book, id: batchId } = c.req.valid("param");
    const { journal, clock } = c.var.ledger;
    if (c.req.header("idempotency-key") === undefined) idempotencyKeyOf(c, true, "");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const fileHash = sha256Hex(bytes);
    const layout = BANK_LAYOUTS.generic;
    if (!layout) throw new Error("the generic bank layout is missing");
    const read = layout.readResults(await readResultFile(c, bytes));
    if (read.invalid.length > 0) {
      const rows = new Set(read.invalid.map((issue) => issue.row)).size;
      throw new ProblemError(
        problemFor("bank-results-invalid", `${rows} rows of the result file are not valid; nothing was recorded`, {
          invalid: rows,
          rows: read.invalid.slice(0, MAX_LISTED),
        }),
      );
    }
    const batch = await loadBatch(c, book, batchId);
    const timeZone = (await journal.head(book)).state.book?.timeZone ?? "Asia/Shanghai";
    const returnedOn = c.req.valid("query").on ?? localDate(timeZone, clock?.() ?? new Date());
    const byLine = new Map(bankLinesAll(batchId, batch.payouts).map((line) => [line.line, line]));
    // What other files settled or returned already: listed, not recorded again. This file's own
    // chunks recorded before (a retry, or the same file again) are read back below.
    const earlier = batch.results.map((event) => BankResultsRecorded.parse(event.payload));
    const settledElsewhere = new Set(
      earlier.filter((result) => result.fileHash !== fileHash).flatMap((result) => result.paid.map(({ seq }) => seq)),
    );
    const unmatched: { row: number; line: number; code: string }[] = [];
    const alreadySettled: { row: number; line: number; seq: number }[] = [];
    const planned: Planned[] = [];
    const seen = new Set<number>();
    for (const row of read.rows) {
      const payout = byLine.get(row.line);
      const code = !payout
        ? "no-payout"
        : seen.has(row.line)
          ? "duplicate-line"
          : payout.amount !== row.amount
            ? "amount-differs"
            : row.note !== "" && row.note !== payout.note
              ? "note-differs"
              : undefined;
      if (code || !payout) {
        unmatched.push({ row: row.row, line: row.line, code: code ?? "no-payout" });
        continue;
      }
      seen.add(row.line);
      if (row.status === "paid" && settledElsewhere.has(payout.seq)) {
        alreadySettled.push({ row: row.row, line: row.line, seq: payout.seq });
        continue;
      }
      planned.push({ row, seq: payout.seq });
    }
    const recordedBefore = new Map(
      earlier.filter((result) => result.fileHash === fileHash).map((result) => [result.chunk, result]),
    );
    const rowOfSeq = new Map(planned.map(({ row, seq }) => [seq, row.row]));
    let written = false;
    const outcomes: ReturnType<typeof BankResultsRecorded.parse>[] = [];
    let amountReturned = 0n;
    const key = `bank-results#${batchId}#${fileHash.slice(0, 40)}`;
    for (const [index, chunk] of chunked(planned).entries()) {
      const before = recordedBefore.get(index);
      if (before) {
        outcomes.push(before);
        continue;
      }
      const command: CommandOf<"record-bank-results-chunk"> = {
        type: "record-bank-results-chunk",
        batchId,
        fileHash,
        chunk: index,
        returnedOn,
        paid: chunk.filter(({ row }) => row.status === "paid").map(({ row, seq }) => ({ line: row.line, seq })),
        failed: chunk
          .filter(({ row }) => row.status === "failed")
          .map(({ row, seq }) => ({ line: row.line, seq, reason: `bank: ${row.reason}` })),
      };
      // The chunk's key comes from the file, not the header: the same file sent again under
      // another key, or by someone else, finds its chunks recorded (above) or replays them.
      const { events, replayed } = await appendCommand(c, book, command, {
        idempotencyKey: `${key}#${index}`,
        requestHash: fingerprint({ batchId, fileHash, chunk: index }),
      });
      written ||= !replayed;
      const summary = events.find((event) => event.type === "BankResultsRecorded");
      if (summary) outcomes.push(BankResultsRecorded.parse(summary.payload));
    }
    for (const outcome of outcomes) {
      for (const { seq } of outcome.returned) {
        const payout = batch.payouts.find((event) => event.seq === seq);
        const amount = (payout?.payload as { amount?: string } | undefined)?.amount;
        if (amount) amountReturned += readSignedAmount(amount, currency);
      }
    }
    const lineRef = ({ line, seq }: { line: number; seq: number }) => ({ row: rowOfSeq.get(seq) ?? 0, line, seq });
    return c.json(
      {
        batchId,
        fileHash,
        rows: read.rows.length,
        paid: outcomes.reduce((sum, outcome) => sum + outcome.paid.length, 0),
        returned: outcomes.reduce((sum, outcome) => sum + outcome.returned.length, 0),
        amountReturned: formatAmount(amountReturned, currency),
        alreadySettled,
        skipped: outcomes.flatMap((outcome) =>
          outcome.skippedLines.map((line) => ({ ...lineRef(line), code: line.code })),
        ),
        unmatched,
      },
      written ? 201 : 200,
    );
  });

/** Every payout of the batch by line, as a result file names it (whatever became of it since). */
function bankLinesAll(batchId: string, payouts: readonly JournalEvent[]) {
  return bankLines(batchId, payouts, new Set());
}
