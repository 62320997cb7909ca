import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  BankResultsRecorded,
  type CommandOf,
  fingerprint,
  formatAmount,
  localDate,
  readSignedAmount,
} from "@relief-ledger/core";
import type { Context } from "hono";
import { BANK_LAYOUTS, chunked, planResults, sha256Hex } from "../bank-files/index.ts";
import type { AppEnv } from "../env.ts";
import { parseCsv, parseXlsx, type RawRoster, RosterTooLarge } from "../imports/parse.ts";
import { CSV_TYPE, spreadsheetUpload, XLSX_TYPE } from "../imports/upload.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BatchParams, currency, loadBatch, MAX_LISTED } from "./bank-files.ts";
import { guarded, IdempotencyHeaders } from "./common.ts";
import { operation } from "./operation.ts";
import { appendCommand, idempotencyKeyOf } from "./record.ts";

/** The most lines a result file may hold: a batch holds at most 5,000 (batches.ts); room for a bank's extra rows. */
const MAX_RESULT_ROWS = 10_000;

const RESULTS_PATH = /^\/v1\/books\/[^/]+\/payout-batches\/[^/]+\/bank-results\/?$/;
/** Whether a request uploads a bank's result file, a CSV or XLSX body rather than JSON (app.ts). */
export const isBankResultsUpload = (request: Request) =>
  request.method === "POST" && RESULTS_PATH.test(new URL(request.url).pathname);

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
      body: spreadsheetUpload,
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

export const bankResultsRoutes = new OpenAPIHono<AppEnv>().openapi(resultsRoute, async (c) => {
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
  // Its undone payouts are not read: a failed line's return checks its payout's mark as it is decided.
  const batch = await loadBatch(c, book, batchId, false);
  const timeZone = (await journal.head(book)).state.book?.timeZone ?? "Asia/Shanghai";
  const returnedOn = c.req.valid("query").on ?? localDate(timeZone, clock?.() ?? new Date());
  const earlier = batch.results.map((event) => BankResultsRecorded.parse(event.payload));
  const { planned, unmatched, alreadySettled } = planResults(read.rows, batchId, batch.payouts, earlier, fileHash);
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
