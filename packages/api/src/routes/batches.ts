import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CURRENCIES,
  fingerprint,
  formatAmount,
  type JournalEvent,
  PaymentMethod,
  readSignedAmount,
} from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import {
  Amount,
  BookParams,
  DateField,
  guarded,
  Id,
  IdempotencyHeaders,
  jsonBody,
  problemResponses,
} from "./common.ts";
import { appendCommand, idempotencyKeyOf, requestFingerprint } from "./record.ts";

/** The most lines one batch may carry: a district's whole winter relief fits. */
export const MAX_BATCH_LINES = 5000;

/**
 * Lines per chunk, so that a chunk is one DynamoDB transaction (at most 100 items): a payout event
 * and a beneficiary record per line, the chunk's summary event, its idempotency record and the
 * book head: 48 × 2 + 3 = 99.
 */
export const CHUNK_LINES = 48;

const Line = z.strictObject({
  beneficiaryId: Id,
  amount: Amount,
  reference: z.string().trim().min(1).max(200).optional(),
});

const NewBatch = z
  .strictObject({
    batchId: Id.optional().openapi({ description: "Chosen by the server when absent" }),
    programId: Id,
    paidOn: DateField,
    method: PaymentMethod.optional(),
    lines: z.array(Line).min(1).max(MAX_BATCH_LINES),
  })
  .openapi("NewPayoutBatch");

const LineResult = z.union([
  z.object({
    line: z.int(),
    status: z.literal("recorded"),
    seq: z.int(),
    beneficiaryId: z.string(),
    amount: z.string(),
  }),
  z.object({ line: z.int(), status: z.literal("refused"), code: z.string(), message: z.string() }),
]);

const BatchResult = z
  .object({
    batchId: z.string(),
    programId: z.string(),
    paidOn: z.string(),
    lines: z.int(),
    recorded: z.int(),
    refused: z.int(),
    amountRecorded: z.string(),
    results: z.array(LineResult),
  })
  .openapi("PayoutBatchResult");

const createBatch = createRoute({
  method: "post",
  path: "/books/{book}/payout-batches",
  summary: "Record a day's disbursement of up to 5,000 payouts; says line by line what was recorded",
  description:
    "Recorded in chunks of 48 lines, one transaction each. A retry with the same Idempotency-Key and body " +
    "(after a timeout, say) replays the chunks already recorded and records the rest, so no line is paid twice.",
  ...guarded("money"),
  request: { params: BookParams, headers: IdempotencyHeaders, ...jsonBody(NewBatch) },
  responses: {
    201: { description: "Every line, recorded or refused", content: { "application/json": { schema: BatchResult } } },
    ...problemResponses,
  },
});

type LineOutcome = z.infer<typeof LineResult>;

export const batchesRoutes = new OpenAPIHono<AppEnv>().openapi(createBatch, async (c) => {
  const { book } = c.req.valid("param");
  const body = c.req.valid("json");
  const batchHash = requestFingerprint(c, body);
  const key = idempotencyKeyOf(c, true, batchHash);
  const batchId = body.batchId ?? `batch-${fingerprint({ book, key }).slice(0, 12)}`;
  const results: LineOutcome[] = [];
  // Books keep CNY (core's CURRENCIES); event amounts are written in its format.
  const currency = CURRENCIES.CNY;
  let total = 0n;
  // In order, chunk 0 first: if the key was used for another batch, chunk 0 says so before any
  // other chunk is recorded under it.
  for (let start = 0, chunk = 0; start < body.lines.length; start += CHUNK_LINES, chunk++) {
    const lines = body.lines.slice(start, start + CHUNK_LINES);
    const { events } = await appendCommand(
      c,
      book,
      {
        type: "record-payout-chunk",
        batchId,
        programId: body.programId,
        paidOn: body.paidOn,
        ...(body.method ? { method: body.method } : {}),
        chunk,
        firstLine: start,
        totalLines: body.lines.length,
        lines,
      },
      { idempotencyKey: `${key}#${chunk}`, requestHash: fingerprint({ batchHash, chunk }) },
    );
    results.push(...outcomes(events));
    for (const event of events) {
      if (event.type === "PayoutRecorded") total += readSignedAmount(String(event.payload.amount), currency);
    }
  }
  results.sort((a, b) => a.line - b.line);
  const recorded = results.filter((result) => result.status === "recorded").length;
  return c.json(
    {
      batchId,
      programId: body.programId,
      paidOn: body.paidOn,
      lines: body.lines.length,
      recorded,
      refused: results.length - recorded,
      amountRecorded: formatAmount(total, currency),
      results,
    },
    201,
  );
});

/** A chunk's outcome per line, read back from its events (so a replay answers exactly the same). */
function outcomes(events: readonly JournalEvent[]): LineOutcome[] {
  return events.flatMap((event): LineOutcome[] => {
    if (event.type === "PayoutRecorded") {
      const { line, beneficiaryId, amount } = event.payload as { line: number; beneficiaryId: string; amount: string };
      return [{ line, status: "recorded", seq: event.seq, beneficiaryId, amount }];
    }
    if (event.type === "PayoutBatchChunkRecorded") {
      const refused = event.payload.refused as { line: number; code: string; message: string }[];
      return refused.map((entry) => ({ ...entry, status: "refused" as const }));
    }
    return [];
  });
}
