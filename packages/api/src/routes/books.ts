import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { BookId } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";

const BookView = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    timeZone: z.string(),
    headSeq: z.int(),
    headHash: z.string(),
  })
  .openapi("Book");

const getBook = createRoute({
  method: "get",
  path: "/books/{book}",
  summary: "A book, its head seq and head hash",
  request: { params: z.object({ book: BookId }) },
  responses: { 200: { description: "The book", content: { "application/json": { schema: BookView } } } },
});

export const booksRoutes = new OpenAPIHono<AppEnv>().openapi(getBook, async (c) => {
  const { book } = c.req.valid("param");
  const head = await c.var.ledger.journal.head(book);
  if (!head.state.book) throw new ProblemError(problemFor("book-not-found", `no book ${book}`, { book }));
  return c.json({ ...head.state.book, headSeq: head.seq, headHash: head.hash }, 200);
});
