import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CURRENCIES, type JournalEvent, readSignedAmount } from "@relief-ledger/core";
import type { EntryFilter } from "@relief-ledger/store";
import type { AppEnv } from "../env.ts";
import { DEFAULT_LANG, exportContent, exportQuery, type RowOf, streamTable } from "../exports/index.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BookParams, entryView, guarded, Id, JournalEntry, QueryDate } from "./common.ts";
import { operation } from "./operation.ts";
import { money, requireBook } from "./views.ts";

export const Seq = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "must be a whole number from 1")
  .transform(Number);

/** The journal's filters, as the entries list and its totals take them. */
const filterShape = {
  type: z
    .string()
    .regex(/^[A-Za-z]{1,64}$/)
    .optional()
    .openapi({ description: "Only entries of this event type", example: "PayoutRecorded" }),
  fundId: Id.optional(),
  programId: Id.optional(),
  beneficiaryId: Id.optional(),
  unitId: Id.optional(),
  from: QueryDate.optional().openapi({ description: "Business dates from (inclusive)" }),
  to: QueryDate.optional().openapi({ description: "Business dates to (inclusive)" }),
  fromSeq: Seq.optional().openapi({ description: "Entries from this seq (inclusive)" }),
  toSeq: Seq.optional().openapi({ description: "Entries to this seq (inclusive)" }),
};

const seqRange = <T extends { fromSeq?: number | undefined; toSeq?: number | undefined }>(query: T) =>
  query.fromSeq === undefined || query.toSeq === undefined || query.fromSeq <= query.toSeq;
const seqRangeError = { path: ["toSeq"], message: "must not be before fromSeq" };

/** The filters alone: what the totals of a filtered list take (entry-totals.ts). */
export const EntryFilterQuery = z.object(filterShape).refine(seqRange, seqRangeError);

const EntriesQuery = z
  .object({
    ...filterShape,
    order: z
      .enum(["asc", "desc"])
      .optional()
      .openapi({
        description:
          "asc: oldest first, in journal order (the default); desc: newest first. A cursor continues in the order " +
          "of the page that gave it, and is refused with the other order.",
      }),
    cursor: z.string().max(200).optional().openapi({ description: "From the previous page's nextCursor" }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .openapi({ description: "Entries per page, 100 by default" }),
    ...exportQuery,
  })
  .refine(seqRange, seqRangeError);

const EntriesPage = z
  .object({ entries: z.array(JournalEntry), nextCursor: z.string().optional() })
  .openapi("EntriesPage");

const listEntries = operation(
  {
    method: "get",
    path: "/books/{book}/entries",
    operationId: "listEntries",
    tags: ["Journal"],
    summary: "Journal entries, filtered, oldest or newest first, a page at a time (or all of them as CSV or XLSX)",
    description:
      "Filters by beneficiary, programme (and month, with from/to) and unit are served by DynamoDB indexes; the " +
      "others (type, fund, dates) are applied to what the index or the book's journal gives. " +
      "Pages are in seq order, oldest first (order=asc, the default) or newest first (order=desc). The cursor is the " +
      "last seq examined: oldest first, entries appended while paging appear once, at the end; newest first, they " +
      "are above the first page and not in later ones. " +
      "A page holds `limit` entries, or fewer when the request has made 25 reads and found at least one: then it " +
      "carries a cursor. A page is never empty while it carries a cursor: a request that has found nothing reads on " +
      "until it finds an entry or the range ends, bounded only by the request's deadline (a 503 deadline-exceeded " +
      "problem, never an empty page). So an empty page is the last one, and a page without nextCursor is too. A " +
      "full page may carry a cursor whose next page turns out to be empty and last. " +
      "Totals of everything the filters match: GET /books/{book}/entries/totals.",
    ...guarded("read"),
    request: { params: BookParams, query: EntriesQuery },
    responses: {
      200: {
        description:
          "A page of entries; with ?format=csv or ?format=xlsx every entry the filters match, from the cursor on, streamed",
        content: exportContent(EntriesPage),
      },
    },
  },
  { raises: ["book-not-found"] },
);

const HistoryLine = z.object({
  seq: z.int(),
  type: z.string(),
  occurredOn: z.string(),
  programId: z.string(),
  amount: z.string().openapi({ description: "Negative for a reversal or a return" }),
  year: z.string(),
  yearCount: z.int().openapi({ description: "Payments from this programme this year, after this entry" }),
  yearTotal: z.string().openapi({ description: "Paid by this programme this year, after this entry" }),
  batchId: z.string().optional(),
  reference: z.string().optional(),
});

const history = operation(
  {
    method: "get",
    path: "/books/{book}/beneficiaries/{id}/history",
    operationId: "getBeneficiaryHistory",
    tags: ["Beneficiaries"],
    summary: "Every payment to one beneficiary, with running totals per programme and year",
    ...guarded("read"),
    request: { params: BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) }) },
    responses: {
      200: {
        description: "The history",
        content: {
          "application/json": { schema: z.object({ beneficiaryId: z.string(), payments: z.array(HistoryLine) }) },
        },
      },
    },
  },
  { raises: ["book-not-found", "not-found"] },
);

type Order = "asc" | "desc";

/** A cursor says where the next page continues and in which order: after a seq (asc) or before it (desc). */
const encodeCursor = (order: Order, last: number) =>
  Buffer.from(JSON.stringify(order === "desc" ? { before: last } : { after: last })).toString("base64url");

const badCursor = (message: string) =>
  new ProblemError(problemFor("validation-failed", `the cursor ${message}`, { errors: [{ path: "cursor", message }] }));

const decodeCursor = (cursor: string, order: Order): { after: number } | { before: number } => {
  let decoded: { after?: unknown; before?: unknown } = {};
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof decoded;
  } catch {}
  const seq = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
  const { after, before } = decoded ?? {};
  if (seq(after) && before === undefined) {
    if (order === "desc") throw badCursor("continues order=asc: ask with order=asc, or start again without it");
    return { after: after as number };
  }
  if (seq(before) && after === undefined) {
    if (order === "asc") throw badCursor("continues order=desc: ask with order=desc, or start again without it");
    return { before: before as number };
  }
  throw badCursor("is not one this API gave out: pass nextCursor as it came");
};

/** An entry as a row of the export: the payload's common fields, and nothing of a beneficiary's but the id. */
const exportRow = (event: JournalEvent): RowOf<"entries"> => {
  const payload = event.payload as Record<string, string | undefined>;
  const fund = payload.fundId ?? (payload.fromFundId ? `${payload.fromFundId}>${payload.toFundId}` : undefined);
  return {
    seq: event.seq,
    type: event.type,
    occurredOn: event.occurredOn,
    recordedAt: event.recordedAt,
    actor: event.actor.sub,
    role: event.actor.role,
    fundId: fund,
    programId: payload.programId,
    beneficiaryId: payload.beneficiaryId,
    unitId: payload.unitId,
    amount: payload.amount,
    reference: payload.reference,
    memo: payload.memo,
    idempotencyKey: event.idempotencyKey,
    prevHash: event.prevHash,
    hash: event.hash,
  };
};

export const journalRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listEntries, async (c) => {
    const { book } = c.req.valid("param");
    const { cursor, limit, format, lang, order = "asc", ...filter } = c.req.valid("query");
    const { journal } = c.var.ledger;
    requireBook((await journal.head(book)).state, book);
    const start = cursor ? decodeCursor(cursor, order) : {};
    const signal = c.var.deadline;
    if (format === "csv" || format === "xlsx") {
      async function* pages() {
        let from = start;
        let next: number | undefined;
        do {
          // The export's own deadline (deadline.ts) stops a scan that finds nothing to send.
          const page = await journal.queryEntries(book, filter as EntryFilter, { limit: 500, order, signal, ...from });
          if (page.events.length > 0) yield page.events.map(exportRow);
          next = page.next;
          if (next !== undefined) from = order === "desc" ? { before: next } : { after: next };
        } while (next !== undefined);
      }
      const file = { name: "entries" as const, book };
      return streamTable(c, { format, lang: lang ?? DEFAULT_LANG, file }, "entries", pages()) as never;
    }
    const page = await journal.queryEntries(book, filter as EntryFilter, {
      limit: limit ?? 100,
      order,
      signal,
      ...start,
    });
    return c.json(
      {
        entries: page.events.map(entryView),
        ...(page.next !== undefined ? { nextCursor: encodeCursor(order, page.next) } : {}),
      },
      200,
    );
  })
  .openapi(history, async (c) => {
    const { book, id } = c.req.valid("param");
    const { journal } = c.var.ledger;
    const { state } = await journal.head(book);
    const info = requireBook(state, book);
    const format = money(state);
    const totals = new Map<string, { count: number; amount: bigint }>();
    const payments: z.infer<typeof HistoryLine>[] = [];
    let after: number | undefined;
    do {
      c.var.deadline.throwIfAborted();
      const page = await journal.queryEntries(
        book,
        { beneficiaryId: id },
        { limit: 1000, ...(after !== undefined ? { after } : {}) },
      );
      for (const event of page.events) {
        const payload = event.payload as Record<string, string | undefined>;
        const paid = event.type === "PayoutRecorded";
        if (!paid && event.type !== "EntryReversed" && event.type !== "PayoutReturned") continue;
        if (!payload.programId || !payload.amount) continue;
        const sign = paid ? 1n : -1n;
        // An undoing counts against the year of the payment it undoes.
        const year = (paid ? event.occurredOn : (payload.entryOccurredOn ?? event.occurredOn)).slice(0, 4);
        const key = `${payload.programId}|${year}`;
        const before = totals.get(key) ?? { count: 0, amount: 0n };
        const amount = sign * readSignedAmount(payload.amount, CURRENCIES[info.currency]);
        const now = { count: before.count + Number(sign), amount: before.amount + amount };
        totals.set(key, now);
        payments.push({
          seq: event.seq,
          type: event.type,
          occurredOn: event.occurredOn,
          programId: payload.programId,
          amount: format(amount),
          year,
          yearCount: now.count,
          yearTotal: format(now.amount),
          ...(payload.batchId ? { batchId: payload.batchId } : {}),
          ...(payload.reference ? { reference: payload.reference } : {}),
        });
      }
      after = page.next;
    } while (after !== undefined);
    if (payments.length === 0 && !(await journal.entity(book, `beneficiary/${id}`))) {
      throw new ProblemError(problemFor("not-found", `no beneficiary ${id} in book ${book}`, { beneficiaryId: id }));
    }
    return c.json({ beneficiaryId: id, payments }, 200);
  });
