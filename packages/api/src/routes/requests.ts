import { OpenAPIHono, z } from "@hono/zod-openapi";
import { COMMAND_REFUSALS, type CommandType } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BookParams, guarded, JournalEntry, requestPending } from "./common.ts";
import { operation } from "./operation.ts";
import { ProposalView } from "./proposal-view.ts";
import { RequestPending, refusal, writeAnswer } from "./record.ts";

const RequestParams = BookParams.extend({
  idempotencyKey: z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, "must be an Idempotency-Key: 1 to 128 printable ASCII characters")
    .openapi({
      param: { name: "idempotencyKey", in: "path" },
      description: "The Idempotency-Key the write was sent with, percent-encoded where a path needs it",
      example: "9b2f6c1e-payout-0042",
    }),
});

/** Any write may have been handed over, so asking after one may answer any command's refusal. */
const EVERY_COMMAND = Object.keys(COMMAND_REFUSALS) as CommandType[];

const getRequest = operation(
  {
    method: "get",
    path: "/books/{book}/requests/{idempotencyKey}",
    operationId: "getRequest",
    tags: ["Journal"],
    summary: "What became of a write, by its Idempotency-Key: its entry, its refusal, or 202 while it waits",
    description:
      "A write answers 202 with this Location when the book was too busy to decide it within a few seconds. " +
      "Once it is decided this answers what the write itself would have: 200 with its entry (the write's 201 " +
      "body), or the problem it was refused with (a 503 append-conflict says a retry of it was refused first: " +
      "send it again with its key to learn why). Until then it answers 202 again. Asking only reads: if " +
      "nothing else is written to the book, retrying the write with the same key and body is what decides " +
      "it, and records nothing twice. Only the token subject that sent the write is answered; to any other, " +
      "and for a key never recorded or handed over, this is 404.",
    ...guarded("read"),
    request: { params: RequestParams },
    responses: {
      200: {
        description:
          "Recorded: the journal entry, as the write answered it; or, for a request held for approval, the proposal " +
          "its 202 carried",
        content: { "application/json": { schema: z.union([JournalEntry, ProposalView]) } },
      },
      ...requestPending,
    },
  },
  { commands: EVERY_COMMAND, raises: ["not-found"] },
);

export const requestsRoutes = new OpenAPIHono<AppEnv>().openapi(getRequest, async (c) => {
  const { book, idempotencyKey } = c.req.valid("param");
  const outcome = await c.var.ledger.journal.outcomeOf(book, idempotencyKey);
  // Another caller's request is not found: a key says nothing of whether someone else used it.
  if (!outcome || outcome.requester !== c.var.principal.sub) {
    throw new ProblemError(
      problemFor("not-found", `no request ${idempotencyKey} of yours in book ${book}`, { idempotencyKey }),
    );
  }
  if (outcome.status === "pending") throw new RequestPending(book, idempotencyKey);
  if (!outcome.result.ok) throw refusal(outcome.result.error, idempotencyKey);
  return c.json(writeAnswer(book, outcome.result.value.events).body as Record<string, unknown>, 200) as never;
});
