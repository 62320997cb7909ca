import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ClosePolicy, CommandSchemas, closePolicyOf, DEFAULT_APPROVAL_TTL_DAYS } from "@relief-ledger/core";
import { reachesBook } from "../auth/permissions.ts";
import type { AppEnv, Ledger } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import {
  BookParams,
  DATE_FIELD,
  entryCreated,
  guarded,
  Id,
  jsonBody,
  OptionalIdempotencyHeaders,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";
import { policyView } from "./views.ts";

const Loading = z
  .object({
    book: z.string(),
    done: z.int().openapi({ description: "Steps loaded" }),
    total: z.int().openapi({ description: "Steps in all" }),
    percent: z.int().openapi({ description: "done of total, rounded down" }),
  })
  .openapi("Loading");

/**
 * The admin opens a book with its approval policy, if it has one (routes/approvals.ts): the
 * book's covers transfers and reversals, and programmes opened without one of their own.
 */
const { on, ...bookFields } = withDocs(CommandSchemas["open-book"].omit({ type: true }), {
  name: { example: "巴中市巴州区总工会" },
  approvals: {
    description:
      "The approval policy: each rule, an amount above `over` needs `levels` approvals from different approvers. " +
      "Absent: money moves at once.",
    example: [
      { over: "0.00", levels: 1 },
      { over: "10000.00", levels: 2 },
    ],
  },
  approvalTtlDays: { description: "Days a proposal waits for approval before it expires (30 when absent)" },
  close: {
    description:
      'When its months close: {"mode": "auto", "afterDays": 10} (the default: 10 days after each ends) or {"mode": "manual"}',
  },
  on: {
    ...DATE_FIELD,
    description:
      "The book's first business date (today when absent; not in the future). Nothing may be dated before it.",
    example: "2010-01-01",
  },
}).shape;
/** The book's id is the journal's key, not the command's; its time zone may be left to the default. */
const NewBook = z
  .strictObject({
    id: Id.openapi({ example: "bazhou-2010" }),
    ...bookFields,
    timeZone: bookFields.timeZone.optional().meta({ example: "Asia/Shanghai" }),
    openedOn: on,
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
    approvals: z
      .array(z.object({ over: z.string(), levels: z.int() }))
      .optional()
      .openapi({ description: "Its approval policy (transfers, reversals, and the default of new programmes)" }),
    approvalTtlDays: z.int().openapi({ description: "Days a proposal waits for approval before it expires" }),
    close: ClosePolicy.meta({ description: "When its months close (the default when none was set)" }),
    loading: Loading.optional().openapi({
      description: "Present while the book is being loaded behind the running server (the local demo)",
    }),
  })
  .openapi("Book");

const BookList = z
  .object({
    books: z.array(BookView),
    loading: Loading.nullable().openapi({
      description: "A book this token reaches that is still being loaded, and how far the load has got",
    }),
  })
  .openapi("BookList");

const listBooks = operation({
  method: "get",
  path: "/books",
  operationId: "listBooks",
  tags: ["Books"],
  summary: "The books this token reaches, and any still loading",
  ...guarded("read"),
  responses: { 200: { description: "The books, by id", content: { "application/json": { schema: BookList } } } },
});

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
    const { id, name, currency, openedOn, approvals, approvalTtlDays, close } = body;
    if (!reachesBook(c.var.principal, id)) {
      throw new ProblemError(problemFor("forbidden", `this token does not reach book ${id}`, { book: id }));
    }
    const timeZone = body.timeZone ?? "Asia/Shanghai";
    const entry = await recordOne(
      c,
      id,
      {
        type: "open-book",
        name,
        currency,
        timeZone,
        ...(openedOn ? { on: openedOn } : {}),
        ...(approvals ? { approvals } : {}),
        ...(approvalTtlDays ? { approvalTtlDays } : {}),
        ...(close ? { close } : {}),
      },
      { money: false, request: body },
    );
    return c.json(entry, 201);
  })
  .openapi(listBooks, async (c) => {
    const { journal } = c.var.ledger;
    const principal = c.var.principal;
    const ids = principal.books === "*" ? (await journal.books()).map((book) => book.id) : [...principal.books].sort();
    // One head read per book, side by side: a deployment holds a handful of books, not thousands.
    const views = await Promise.all(ids.map((id) => viewOf(c.var.ledger, id)));
    const books = views.filter((view) => view !== undefined);
    const loading = loadingOf(c.var.ledger);
    return c.json({ books, loading: loading && reachesBook(principal, loading.book) ? loading : null }, 200);
  })
  .openapi(getBook, async (c) => {
    const { book } = c.req.valid("param");
    const view = await viewOf(c.var.ledger, book);
    if (!view) throw new ProblemError(problemFor("book-not-found", `no book ${book}`, { book }));
    return c.json(view, 200);
  });

function loadingOf(ledger: Ledger) {
  const loading = ledger.loading?.();
  if (!loading) return undefined;
  const percent = loading.total > 0 ? Math.floor((loading.done * 100) / loading.total) : 0;
  return { ...loading, percent };
}

/** A book as the API shows it, with its load's progress while it loads; undefined if there is none. */
async function viewOf(ledger: Ledger, book: string) {
  const head = await ledger.journal.head(book);
  if (!head.state.book) return undefined;
  const loading = loadingOf(ledger);
  return {
    ...head.state.book,
    headSeq: head.seq,
    headHash: head.hash,
    closedThrough: head.state.closedThrough,
    ...(head.state.approvals ? { approvals: policyView(head.state, head.state.approvals) } : {}),
    approvalTtlDays: head.state.approvalTtlDays ?? DEFAULT_APPROVAL_TTL_DAYS,
    close: closePolicyOf(head.state),
    ...(loading?.book === book ? { loading } : {}),
  };
}
