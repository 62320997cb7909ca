import { OpenAPIHono, z } from "@hono/zod-openapi";
import { TimeZone } from "@relief-ledger/core";
import { reachesBook } from "../auth/permissions.ts";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BookParams, DateField, entryCreated, guarded, Id, jsonBody, OptionalIdempotencyHeaders } from "./common.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";

const NewBook = z
  .strictObject({
    id: Id.openapi({ example: "bazhou-2010" }),
    name: z.string().trim().min(1).max(200).openapi({ example: "巴中市巴州区总工会" }),
    currency: z.literal("CNY"),
    timeZone: TimeZone.optional().openapi({ example: "Asia/Shanghai" }),
    openedOn: DateField.optional().openapi({
      description:
        "The book's first business date (today when absent; not in the future). Nothing may be dated before it.",
      example: "2010-01-01",
    }),
  })
  .openapi("NewBook");

const BookView = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    timeZone: z.string(),
    headSeq: z.int(),
    headHash: z.string(),
    closedThrough: z.string().nullable(),
    openedOn: z.string().optional(),
  })
  .openapi("Book");

const createBook = operation(
  {
    method: "post",
    path: "/books",
    operationId: "openBook",
    tags: ["Books"],
    summary: "Open a book for one union organisation (admin)",
    ...guarded("book:create"),
    request: { headers: OptionalIdempotencyHeaders, ...jsonBody(NewBook) },
    responses: entryCreated,
  },
  { commands: ["open-book"] },
);

const getBook = operation(
  {
    method: "get",
    path: "/books/{book}",
    operationId: "getBook",
    tags: ["Books"],
    summary: "A book, its head seq and head hash",
    ...guarded("read"),
    request: { params: BookParams },
    responses: { 200: { description: "The book", content: { "application/json": { schema: BookView } } } },
  },
  { raises: ["book-not-found"] },
);

export const booksRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createBook, async (c) => {
    const body = c.req.valid("json");
    const { id, name, currency, openedOn } = body;
    if (!reachesBook(c.var.principal, id)) {
      throw new ProblemError(problemFor("forbidden", `this token does not reach book ${id}`, { book: id }));
    }
    const timeZone = body.timeZone ?? "Asia/Shanghai";
    const entry = await recordOne(
      c,
      id,
      { type: "open-book", name, currency, timeZone, ...(openedOn ? { on: openedOn } : {}) },
      { money: false, request: body },
    );
    return c.json(entry, 201);
  })
  .openapi(getBook, async (c) => {
    const { book } = c.req.valid("param");
    const head = await c.var.ledger.journal.head(book);
    if (!head.state.book) throw new ProblemError(problemFor("book-not-found", `no book ${book}`, { book }));
    return c.json(
      { ...head.state.book, headSeq: head.seq, headHash: head.hash, closedThrough: head.state.closedThrough },
      200,
    );
  });
