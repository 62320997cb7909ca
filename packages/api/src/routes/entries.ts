import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { entryView, guarded, JournalEntry, SeqParams } from "./common.ts";
import { operation } from "./operation.ts";

const getEntry = operation(
  {
    method: "get",
    path: "/books/{book}/entries/{seq}",
    operationId: "getEntry",
    tags: ["Journal"],
    summary: "One journal entry as recorded, with its hashes",
    ...guarded("read"),
    request: { params: SeqParams },
    responses: {
      200: { description: "The entry", content: { "application/json": { schema: JournalEntry } } },
    },
  },
  { raises: ["entry-not-found"] },
);

export const entriesRoutes = new OpenAPIHono<AppEnv>().openapi(getEntry, async (c) => {
  const { book, seq } = c.req.valid("param");
  const entry = await c.var.ledger.journal.entry(book, seq);
  if (!entry) throw new ProblemError(problemFor("entry-not-found", `no entry ${seq} in book ${book}`, { seq }));
  return c.json(entryView(entry), 200);
});
