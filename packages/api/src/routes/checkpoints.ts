import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CHECKPOINT_ALGORITHM, checkCheckpoint, checkpointKeyId, SignedCheckpoint } from "@relief-ledger/core";
import { seqOfName, verifyBook } from "@relief-ledger/store";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BookParams, guarded } from "./common.ts";
import { Seq } from "./journal.ts";
import { operation } from "./operation.ts";
import { requireBook } from "./views.ts";

const Break = z.object({ seq: z.int(), reason: z.string(), detail: z.string() });
const Difference = z.object({ path: z.string(), recorded: z.unknown(), recomputed: z.unknown() });

const VerifyReport = z
  .object({
    ok: z.boolean(),
    checked: z.int(),
    fromSeq: z.int(),
    toSeq: z.int(),
    headSeq: z.int().openapi({ description: "The book's real head, whatever range was asked for" }),
    headHash: z.string(),
    lastGood: z.object({ seq: z.int(), hash: z.string() }),
    firstBreak: Break.optional(),
    breaks: z.array(Break).openapi({ description: "Every break found, in seq order, up to 100" }),
    breakCount: z.int(),
    checkpoints: z.object({
      kept: z.boolean(),
      keyId: z.string().nullable(),
      valid: z.int(),
      attested: z.int(),
      latest: z.object({ seq: z.int(), at: z.string() }).nullable(),
    }),
    state: z.object({ compared: z.boolean(), differences: z.array(Difference) }),
    rollups: z.object({ compared: z.int(), differences: z.array(Difference.extend({ period: z.string() })) }),
  })
  .openapi("VerifyReport");

const verify = operation(
  {
    method: "get",
    path: "/books/{book}/verify",
    operationId: "verifyBook",
    tags: ["Verification"],
    summary:
      "Verify the book: its hash chain, against the signed checkpoints, and its balances and rollups from the events",
    description:
      "Recomputes every entry's hash and link, compares each entry with the hash the signed checkpoints attest (kept outside the database), folds the head's balances and counters and every closed month's rollup again from the events, and names every difference: up to 100 breaks, not only the first. With fromSeq/toSeq only the chain and the checkpoints of that range are checked.",
    ...guarded("read"),
    request: {
      params: BookParams,
      query: z.object({
        fromSeq: Seq.optional().openapi({ description: "Check the chain from this seq (inclusive)" }),
        toSeq: Seq.optional().openapi({ description: "Check the chain to this seq (inclusive)" }),
      }),
    },
    responses: {
      200: { description: "The verification report", content: { "application/json": { schema: VerifyReport } } },
    },
  },
  { raises: ["book-not-found"] },
);

const CheckpointKey = z
  .object({ algorithm: z.literal(CHECKPOINT_ALGORITHM), keyId: z.string(), publicKey: z.string() })
  .openapi("CheckpointKey");

const key = operation(
  {
    method: "get",
    path: "/checkpoint-key",
    operationId: "getCheckpointKey",
    tags: ["Verification"],
    summary: "The public key that signs checkpoints (PEM, Ed25519), for checking a chain without the API",
    // No token: a public key is public, and an outside auditor may fetch it before holding one.
    security: [],
    responses: {
      200: { description: "The key", content: { "application/json": { schema: CheckpointKey } } },
    },
  },
  { raises: ["not-found"], database: false },
);

const list = operation(
  {
    method: "get",
    path: "/books/{book}/checkpoints",
    operationId: "listCheckpoints",
    tags: ["Verification"],
    summary: "The book's signed checkpoints, oldest first, each with the entry hashes it attests",
    ...guarded("read"),
    request: {
      params: BookParams,
      query: z.object({
        afterSeq: z
          .string()
          .regex(/^(0|[1-9][0-9]{0,14})$/)
          .transform(Number)
          .optional()
          .openapi({ description: "Only checkpoints ending after this seq" }),
        limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: "20 by default" }),
      }),
    },
    responses: {
      200: {
        description: "A page of checkpoints",
        content: {
          "application/json": {
            schema: z.object({
              checkpoints: z.array(z.object({ name: z.string(), valid: z.boolean(), checkpoint: z.unknown() })),
              nextAfterSeq: z.int().optional(),
            }),
          },
        },
      },
    },
  },
  { raises: ["book-not-found", "not-found"] },
);

const noCheckpoints = () =>
  new ProblemError(problemFor("not-found", "this deployment keeps no checkpoints, or has signed none yet"));

/** The public key alone; served without a token, as a public key may be. */
export const checkpointKeyRoutes = new OpenAPIHono<AppEnv>().openapi(key, async (c) => {
  const publicKey = await c.var.ledger.checkpoints?.publicKey();
  if (!publicKey) throw noCheckpoints();
  return c.json({ algorithm: CHECKPOINT_ALGORITHM, keyId: checkpointKeyId(publicKey), publicKey }, 200);
});

export const checkpointsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(verify, async (c) => {
    const { book } = c.req.valid("param");
    const { journal, checkpoints } = c.var.ledger;
    requireBook((await journal.head(book)).state, book);
    const report = await verifyBook(journal, book, { ...c.req.valid("query"), checkpoints, signal: c.var.deadline });
    return c.json(report as z.infer<typeof VerifyReport>, 200);
  })
  .openapi(list, async (c) => {
    const { book } = c.req.valid("param");
    const { afterSeq = 0, limit = 20 } = c.req.valid("query");
    const { journal, checkpoints } = c.var.ledger;
    requireBook((await journal.head(book)).state, book);
    if (!checkpoints) throw noCheckpoints();
    const publicKey = await checkpoints.publicKey();
    const stored = (await checkpoints.archive.list(book)).filter(({ name }) => !(seqOfName(name) <= afterSeq));
    const page = stored.slice(0, limit).map(({ name, record }) => ({
      name,
      valid: publicKey !== undefined && checkCheckpoint(record, publicKey).ok,
      checkpoint: SignedCheckpoint.safeParse(record).success ? record : String(record),
    }));
    const last = stored[limit - 1];
    return c.json(
      { checkpoints: page, ...(stored.length > limit && last ? { nextAfterSeq: seqOfName(last.name) } : {}) },
      200,
    );
  });
