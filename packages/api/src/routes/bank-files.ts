import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type BankAccountRecord,
  bankAccountRef,
  type CommandOf,
  CURRENCIES,
  fingerprint,
  formatAmount,
  localDate,
  readSignedAmount,
} from "@relief-ledger/core";
import { readBatch } from "@relief-ledger/store";
import type { Context } from "hono";
import { accountContext } from "../bank-account.ts";
import { BANK_LAYOUTS, type BankFileLine, bankCsv, bankLines, bankXlsx, sha256Hex } from "../bank-files/index.ts";
import type { AppEnv } from "../env.ts";
import { CSV_TYPE, XLSX_TYPE } from "../imports/upload.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { dataKeyOf } from "./bank-accounts.ts";
import { BookParams, guarded, Id } from "./common.ts";
import { operation } from "./operation.ts";
import { appendCommand } from "./record.ts";
import { requireBook } from "./views.ts";

// Books keep CNY (batches.ts says the same), and event amounts are in its format.
export const currency = CURRENCIES.CNY;
/** The lines a refusal lists at most. */
export const MAX_LISTED = 1000;

export const BatchParams = BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

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

/** A batch's entries (store's batches.ts); `undone` says whether its undone payouts are wanted. */
export async function loadBatch(c: Context<AppEnv>, book: string, batchId: string, undone = true) {
  const { journal } = c.var.ledger;
  requireBook((await journal.head(book)).state, book);
  const batch = await readBatch(journal, book, batchId, c.var.deadline, { undone });
  if (!batch.found)
    throw new ProblemError(problemFor("batch-not-found", `no batch ${batchId} in book ${book}`, { batchId }));
  return batch;
}

export const bankFilesRoutes = new OpenAPIHono<AppEnv>().openapi(fileRoute, async (c) => {
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
    format === "xlsx" ? await bankXlsx(layout, fileLines, new Date(`${paidOn}T00:00:00Z`)) : bankCsv(layout, fileLines);
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
});
