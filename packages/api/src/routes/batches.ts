import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type CommandOf,
  CommandSchemas,
  CURRENCIES,
  domainError,
  fingerprint,
  formatAmount,
  type JournalEvent,
  type LineRefusal,
  PaymentMethod,
  ProposalMade,
  parseAmount,
  readSignedAmount,
} from "@relief-ledger/core";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import {
  AMOUNT_FIELD,
  BookParams,
  DATE_FIELD,
  guarded,
  ID_FIELD,
  IdempotencyHeaders,
  jsonBody,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { idempotencyKeyOf, refusal, requestFingerprint, tryAppend } from "./record.ts";

/** The most lines one batch may carry: a district's whole winter relief fits. */
export const MAX_BATCH_LINES = 5000;

/**
 * Lines per chunk, so that a chunk is one DynamoDB transaction (at most 100 items): a payout event
 * and a beneficiary record per line, the chunk's summary event, its idempotency record and the
 * book head: 48 × 2 + 3 = 99.
 */
export const CHUNK_LINES = 48;

// Books keep CNY (core's CURRENCIES; POST /books takes no other), and event amounts are in its format.
const currency = CURRENCIES.CNY;

const RecordChunk = CommandSchemas["record-payout-chunk"];
const ChunkLine = RecordChunk.shape.lines.unwrap().element;

/**
 * A line's amount is read as the book's currency reads it before any line is decided, so that a
 * negative, zero or over-precise amount refuses the whole batch with every bad line named
 * (`lines.3.amount`), instead of being recorded as a refused line.
 */
const Line = withDocs(ChunkLine, { beneficiaryId: ID_FIELD }).extend({
  amount: ChunkLine.shape.amount
    .superRefine((text, ctx) => {
      const parsed = parseAmount(text, currency);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error.message });
    })
    .meta(AMOUNT_FIELD),
});

/** A chunk's programme, date and method are the batch's; the API numbers the lines and splits them. */
const NewBatch = withDocs(RecordChunk.pick({ batchId: true, programId: true, paidOn: true, method: true }), {
  programId: ID_FIELD,
  paidOn: DATE_FIELD,
  method: {
    description:
      "How every line is paid, as a payout's method: one of the programme's methods, required when it allows " +
      "several, its only one when absent and it allows one. Like programId and paidOn it is the batch's, " +
      "not a line's: lines paid another way go in another batch.",
  },
})
  .extend({
    batchId: RecordChunk.shape.batchId
      .optional()
      .meta({ ...ID_FIELD, description: "Chosen by the server when absent" }),
    lines: z.array(Line).min(1).max(MAX_BATCH_LINES),
  })
  .openapi("NewPayoutBatch");

const RecordedLine = z.object({
  line: z.int(),
  status: z.literal("recorded"),
  seq: z.int(),
  beneficiaryId: z.string(),
  amount: z.string(),
});
const RefusedLine = z.object({ line: z.int(), status: z.literal("refused"), code: z.string(), message: z.string() });

/** A line once decided: paid, or refused. */
export const SettledLine = z.union([RecordedLine, RefusedLine]);

const LineResult = z.union([
  RecordedLine,
  RefusedLine,
  z.object({
    line: z.int(),
    status: z.literal("proposed"),
    proposalId: z.int().openapi({ description: "The proposal (a chunk of the batch) that holds the line back" }),
    beneficiaryId: z.string(),
    amount: z.string(),
  }),
]);

const BatchResult = z
  .object({
    batchId: z.string(),
    programId: z.string(),
    paidOn: z.string(),
    method: PaymentMethod.optional().openapi({ description: "The method the lines were recorded with, if any" }),
    lines: z.int(),
    recorded: z.int(),
    refused: z.int(),
    amountRecorded: z.string(),
    proposed: z.int().optional().openapi({ description: "Under an approval policy: the lines held for approval" }),
    amountProposed: z.string().optional(),
    proposalIds: z.array(z.int()).optional().openapi({
      description: "Under an approval policy: the batch's proposals, one per chunk; approving any approves all",
    }),
    results: z.array(LineResult),
  })
  .openapi("PayoutBatchResult");

const createBatch = operation(
  {
    method: "post",
    path: "/books/{book}/payout-batches",
    operationId: "recordPayoutBatch",
    tags: ["Batches"],
    summary: "Record a day's disbursement of up to 5,000 payouts; says line by line what was recorded",
    description:
      "Recorded in chunks of 48 lines, one transaction each. A retry with the same Idempotency-Key and body " +
      "(after a timeout, say) replays the chunks already recorded and records the rest, so no line is paid twice; " +
      "so does a batch answered 503 append-conflict because the book was too busy to decide a chunk in time " +
      "(a batch is never answered 202: its answer is every chunk's). " +
      "A line that is not well formed (a negative, zero or over-precise amount, say) refuses the whole batch " +
      "with 400 validation-failed naming every such line (`lines.{index}.amount`). A batch none of whose lines " +
      "passes the rules writes nothing and answers 422 batch-refused, with each line's reason in `refused`. " +
      "The batch's programme, date and method are every line's; a method the programme does not allow refuses " +
      "the whole batch (422 method-not-allowed), writing nothing.",
    ...guarded("money"),
    request: { params: BookParams, headers: IdempotencyHeaders, ...jsonBody(NewBatch) },
    responses: {
      201: { description: "Every line, recorded or refused", content: { "application/json": { schema: BatchResult } } },
      202: {
        description:
          "Held for approval under the programme's policy (applied to the batch's total): every line that passed is " +
          "`proposed`, reserved at once, and paid when the batch is approved (POST /approvals/{id}/approve with any " +
          "of `proposalIds` approves them all); refused lines are listed as at 201. Location: the first proposal.",
        headers: { Location: { description: "The batch's first proposal", schema: { type: "string" as const } } },
        content: { "application/json": { schema: BatchResult } },
      },
    },
  },
  { commands: ["record-payout-chunk"] },
);

type LineOutcome = z.infer<typeof LineResult>;
type Batch = z.infer<typeof NewBatch>;
/** A chunk's lines, how many were recorded and for how much, and whether the chunk is in the journal. */
type ChunkOutcome = {
  readonly written: boolean;
  readonly recorded: number;
  /** Under an approval policy: the lines its proposal holds back, and that proposal. */
  readonly proposed?: { readonly count: number; readonly total: bigint; readonly proposalId: number };
  readonly lines: LineOutcome[];
  readonly total: bigint;
  /** The method its payouts were recorded with (the batch's, or the programme's only one). */
  readonly method?: PaymentMethod;
};

export const batchesRoutes = new OpenAPIHono<AppEnv>().openapi(createBatch, async (c) => {
  const { book } = c.req.valid("param");
  const body = c.req.valid("json");
  const batchHash = requestFingerprint(c, body);
  const key = idempotencyKeyOf(c, true, batchHash);
  const batchId = body.batchId ?? `batch-${fingerprint({ book, key }).slice(0, 12)}`;
  // What the whole batch asks for: an approval policy is applied to it, the same for every chunk.
  const batchAmount = formatAmount(
    body.lines.reduce((sum, line) => sum + readSignedAmount(line.amount, currency), 0n),
    currency,
  );
  const chunk = (index: number, recordIfAllRefused: boolean) =>
    recordChunk(c, book, { body, batchId, batchHash, key, batchAmount }, index, recordIfAllRefused);
  const count = Math.ceil(body.lines.length / CHUNK_LINES);
  // In order, chunk 0 first: if the key was used for another batch, chunk 0 says so before any
  // other chunk is recorded under it. A chunk none of whose lines passes writes nothing until
  // some chunk has recorded a line; after that its refusals are recorded too.
  const chunks: ChunkOutcome[] = [];
  const took = (done: ChunkOutcome) => done.recorded > 0 || done.proposed !== undefined;
  for (let index = 0; index < count; index++) {
    const recordedAny = chunks.some(took);
    chunks.push(await chunk(index, recordedAny));
  }
  if (!chunks.some(took)) {
    const refused = chunks
      .flatMap((done) => done.lines)
      .flatMap((outcome) => (outcome.status === "refused" ? [outcome] : []))
      .map(({ line, code, message }) => ({ line, code, message }));
    const message = `none of the ${body.lines.length} lines could be recorded; nothing was written`;
    throw refusal(domainError("batch-refused", message, { batchId, refused }), key);
  }
  // The chunks that refused every line before the first line was recorded: recorded now, as
  // refusals (or as payments, if the book changed meanwhile), so that a retry answers the same.
  for (const [index, done] of chunks.entries()) {
    if (!done.written) chunks[index] = await chunk(index, true);
  }
  const results = chunks.flatMap((done) => done.lines).sort((a, b) => a.line - b.line);
  const recorded = chunks.reduce((sum, done) => sum + done.recorded, 0);
  const method = chunks.find((done) => done.method)?.method;
  const proposals = chunks.flatMap((done) => (done.proposed ? [done.proposed] : []));
  const proposed = proposals.reduce((sum, done) => sum + done.count, 0);
  const answer = {
    batchId,
    programId: body.programId,
    paidOn: body.paidOn,
    ...(method ? { method } : {}),
    lines: body.lines.length,
    recorded,
    refused: results.length - recorded - proposed,
    amountRecorded: formatAmount(
      chunks.reduce((sum, done) => sum + done.total, 0n),
      currency,
    ),
    ...(proposals.length > 0
      ? {
          proposed,
          amountProposed: formatAmount(
            proposals.reduce((sum, done) => sum + done.total, 0n),
            currency,
          ),
          proposalIds: proposals.map((done) => done.proposalId),
        }
      : {}),
    results,
  };
  // For the request's log line and the BatchLines metric (observe.ts).
  c.set("batchLines", recorded + proposed);
  const [first] = proposals;
  if (!first) return c.json(answer, 201);
  return c.json(answer, 202, { Location: `/v1/books/${book}/approvals/${first.proposalId}` });
});

/**
 * Records one chunk of a batch under its own key (derived from the batch's) and says line by line
 * what became of it. A chunk none of whose lines passes comes back as refusals, written only if
 * `recordIfAllRefused`; any other refusal (a programme-wide one, a reused key) fails the batch.
 */
async function recordChunk(
  c: Context<AppEnv>,
  book: string,
  batch: { body: Batch; batchId: string; batchHash: string; key: string; batchAmount: string },
  index: number,
  recordIfAllRefused: boolean,
): Promise<ChunkOutcome> {
  const { body, batchId, batchHash, key, batchAmount } = batch;
  const firstLine = index * CHUNK_LINES;
  const command: CommandOf<"record-payout-chunk"> = {
    type: "record-payout-chunk",
    batchId,
    programId: body.programId,
    paidOn: body.paidOn,
    ...(body.method ? { method: body.method } : {}),
    chunk: index,
    firstLine,
    totalLines: body.lines.length,
    lines: body.lines.slice(firstLine, firstLine + CHUNK_LINES),
    batchAmount,
    ...(recordIfAllRefused ? { recordIfAllRefused } : {}),
  };
  const idempotencyKey = `${key}#${index}`;
  // The command's recordIfAllRefused is not in the hash: both forms of a chunk are one request.
  const result = await tryAppend(c, book, command, {
    idempotencyKey,
    requestHash: fingerprint({ batchHash, chunk: index }),
  });
  if (!result.ok) {
    if (result.error.code !== "batch-refused") throw refusal(result.error, key);
    return { written: false, recorded: 0, lines: result.error.refused.map(refusedLine), total: 0n };
  }
  const [made] = result.value.events;
  if (made?.type === "ProposalMade") return proposedChunk(made);
  const lines = outcomes(result.value.events);
  let total = 0n;
  let method: PaymentMethod | undefined;
  for (const event of result.value.events) {
    if (event.type !== "PayoutRecorded") continue;
    total += readSignedAmount(String(event.payload.amount), currency);
    method ??= PaymentMethod.optional().parse(event.payload.method);
  }
  const recorded = lines.filter((line) => line.status === "recorded").length;
  return { written: true, recorded, lines, total, ...(method ? { method } : {}) };
}

/** A chunk held for approval: its proposed lines and those it refused, read from the proposal it made. */
function proposedChunk(made: JournalEvent): ChunkOutcome {
  const { lines = [], refused = [] } = ProposalMade.parse(made.payload);
  const proposed = lines.map(
    ({ line, beneficiaryId, amount }): LineOutcome => ({
      line,
      status: "proposed",
      proposalId: made.seq,
      beneficiaryId,
      amount,
    }),
  );
  const total = lines.reduce((sum, { amount }) => sum + readSignedAmount(amount, currency), 0n);
  return {
    written: true,
    recorded: 0,
    proposed: { count: lines.length, total, proposalId: made.seq },
    lines: [...proposed, ...refused.map(refusedLine)],
    total: 0n,
  };
}

/**
 * A refused line, its fields in one order: a refusal comes from the decision, or, on a replay, from
 * the chunk's summary as DynamoDB returns it, members in an order of its own.
 */
const refusedLine = ({ line, code, message }: LineRefusal): LineOutcome => ({
  line,
  status: "refused",
  code,
  message,
});

/** A chunk's outcome per line, read back from its events (so a replay answers exactly the same). */
export function outcomes(events: readonly JournalEvent[]): LineOutcome[] {
  return events.flatMap((event): LineOutcome[] => {
    if (event.type === "PayoutRecorded") {
      const { line, beneficiaryId, amount } = event.payload as { line: number; beneficiaryId: string; amount: string };
      return [{ line, status: "recorded", seq: event.seq, beneficiaryId, amount }];
    }
    if (event.type === "PayoutBatchChunkRecorded") return (event.payload.refused as LineRefusal[]).map(refusedLine);
    return [];
  });
}
