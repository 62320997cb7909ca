import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { entryView, guarded, JournalEntry, problemResponses, SeqParams } from "./common.ts";

const getEntry = createRoute({
  method: "get",
  path: "/books/{book}/entries/{seq}",
  summary: "One journal entry as recorded, with its hashes",
  ...guarded("read"),
  request: { params: SeqParams },
  responses: {
    200: { description: "The entry", content: { "application/json": { schema: JournalEntry } } },
    ...problemResponses,
  },
});

export const entriesRoutes = new OpenAPIHono<AppEnv>().openapi(getEntry, async (c) => {
  const { book, seq } = c.req.valid("param");
  const entry = await c.var.ledger.journal.entry(book, seq);
  if (!entry) throw new ProblemError(problemFor("entry-not-found", `no entry ${seq} in book ${book}`, { seq }));
  return c.json(entryView(entry), 200);
});
