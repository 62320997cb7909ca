import { z } from "@hono/zod-openapi";
import {
  BookId,
  isCalendarDate,
  type JournalEvent,
  PERIOD_BOUNDS,
  periodInBounds,
  Slug,
  withSortedKeys,
  yearInBounds,
} from "@relief-ledger/core";
import { requirePermission } from "../auth/authorize.ts";
import type { Permission } from "../auth/permissions.ts";
import { ProposalView } from "./proposal-view.ts";

/**
 * Core's schemas may be built before @hono/zod-openapi adds `.openapi()` to zod (an entry point
 * that imports the store first does that), and zod gives a schema its methods when it is made.
 * A described copy is made here, after the extension, so it documents like any other.
 */
export const documented = <T extends z.ZodType>(schema: T, description: string): T => schema.describe(description) as T;

/** Guards a route: the permission it needs, as middleware and as an OpenAPI extension. */
export const guarded = (permission: Permission) => ({
  middleware: requirePermission(permission),
  security: [{ bearer: [] }],
  "x-permission": permission,
});

export const BookParams = z.object({
  book: documented(BookId, "The book's id").openapi({ param: { name: "book", in: "path" }, example: "bazhou-2010" }),
});

/** How the document shows a field: what zod's `.meta()` takes and zod-to-openapi reads, as it reads `.openapi()`. */
type FieldDoc = { readonly description?: string; readonly example?: unknown };

export const ID_FIELD = { description: "An id: lower-case letters, digits and hyphens", example: "winter-relief" };
export const DATE_FIELD = { description: "A business date, YYYY-MM-DD", example: "2010-12-20" };
export const AMOUNT_FIELD = {
  description: "A decimal string with at most the currency's minor digits",
  example: "1051100.00",
};
export const CURRENCY_FIELD = { description: "If given, must be the book's currency", example: "CNY" };

/**
 * A request body built from a core command schema: its fields as core has them, those named in
 * `docs` documented. Core's schemas are plain zod and may have been made before `.openapi()` was
 * added (see documented), so the documentation goes on with zod's own `.meta()`.
 */
export function withDocs<T extends z.ZodObject>(schema: T, docs: { readonly [K in keyof T["shape"]]?: FieldDoc }): T {
  const fields = schema.shape as Record<string, z.ZodType>;
  const documentedFields = Object.entries(docs).map(([key, doc]) => [key, (fields[key] as z.ZodType).meta({ ...doc })]);
  return schema.extend(Object.fromEntries(documentedFields)) as unknown as T;
}

export const Id = documented(Slug, ID_FIELD.description).openapi({ example: ID_FIELD.example });
/*
 * What a read may name of the calendar: months, years and dates within the years the ledger
 * reports on (core's PERIOD_BOUNDS), so that no query can send a loop to 9999-12 or beyond.
 * Bodies keep core's BusinessDate: what a write may date is the domain's decision.
 */
const YEARS = `from ${PERIOD_BOUNDS.firstYear} through ${PERIOD_BOUNDS.lastYear}`;

export const QueryMonth = z
  .string()
  .refine(periodInBounds, `must be a month written YYYY-MM, ${YEARS}`)
  .openapi({ description: `A month, YYYY-MM, ${YEARS}`, example: "2010-12" });

export const QueryYear = z
  .string()
  .refine((year) => /^\d{4}$/.test(year) && yearInBounds(Number(year)), `must be a year written YYYY, ${YEARS}`)
  .openapi({ description: `A year, YYYY, ${YEARS}`, example: "2010" });

export const QueryDate = z
  .string()
  .refine(
    (date) => isCalendarDate(date) && yearInBounds(Number(date.slice(0, 4))),
    `must be a date written YYYY-MM-DD, ${YEARS}`,
  )
  .openapi({ description: `A business date, YYYY-MM-DD, ${YEARS}`, example: "2010-12-20" });

/** What idempotencyKeyOf (record.ts) accepts; checked there, so that a bad key is named as the header. */
const idempotencyKey = (required: boolean, description: string) =>
  z
    .string()
    .optional()
    .openapi({ param: { required }, description, minLength: 1, maxLength: 128, pattern: "^[\\x21-\\x7e]+$" });

/** Money-moving requests: the key is required (a missing one is 400 idempotency-key-required). */
export const IdempotencyHeaders = z.object({
  "idempotency-key": idempotencyKey(
    true,
    "Required: a retry with the same key and body returns the original result; the same key with another body is 409 idempotency-key-reused",
  ),
});

/** Other writes: without a key, one is derived from the request, so sending it twice records it once. */
export const OptionalIdempotencyHeaders = z.object({
  "idempotency-key": idempotencyKey(
    false,
    "Optional: without it the key is derived from the request, so the same request twice is recorded once; the same key with another body is 409 idempotency-key-reused",
  ),
});

export const JournalEntry = z
  .object({
    book: z.string(),
    seq: z.int(),
    type: z.string(),
    occurredOn: z.string(),
    recordedAt: z.string(),
    actor: z.object({ sub: z.string(), role: z.string() }),
    idempotencyKey: z.string(),
    requestId: z
      .string()
      .optional()
      .openapi({ description: "The id of the request that recorded it (its X-Request-Id); absent on older entries" }),
    payload: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("JournalEntry");

/**
 * An entry as the API writes it: its fields in JournalEntry's order and its payload's members
 * sorted (withSortedKeys). A write's answer is built from the events it recorded, its replay from
 * the same events read back from DynamoDB, which returns a map's members in an order of its own:
 * through this the two are the same bytes, and so is GET /entries/{seq}.
 */
export const entryView = (event: JournalEvent): JournalEvent => ({
  book: event.book,
  seq: event.seq,
  type: event.type,
  occurredOn: event.occurredOn,
  recordedAt: event.recordedAt,
  actor: { sub: event.actor.sub, role: event.actor.role },
  idempotencyKey: event.idempotencyKey,
  ...(event.requestId === undefined ? {} : { requestId: event.requestId }),
  payload: withSortedKeys(event.payload),
  prevHash: event.prevHash,
  hash: event.hash,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

/** A write the book was too busy to decide within a few seconds: where to ask after it (routes/requests.ts). */
export const PendingRequest = z
  .object({
    status: z.literal("pending"),
    idempotencyKey: z.string(),
    location: z.string().openapi({ description: "Where to ask after it: the same as the Location header" }),
  })
  .openapi("PendingRequest");

/**
 * The 202 of a write handed over to the book's combiner and not decided while it waited (the
 * store's handoff.ts): it will be, once, and its outcome is read at the Location.
 */
export const requestPending = {
  202: {
    description:
      "Accepted, not decided yet: the book was too busy to decide it within a few seconds, and it waits its turn. " +
      "GET the Location (/v1/books/{book}/requests/{idempotencyKey}) after Retry-After seconds until it answers " +
      "200 with what the write would have answered, or its problem. A retry with the same Idempotency-Key and " +
      "body records nothing twice.",
    headers: {
      Location: { description: "Where the request's outcome is read", schema: { type: "string" as const } },
      "Retry-After": { description: "Seconds to wait before asking", schema: { type: "integer" as const } },
    },
    content: { "application/json": { schema: PendingRequest } },
  },
};

export const entryCreated = {
  201: { description: "Recorded: the journal entry", content: { "application/json": { schema: JournalEntry } } },
  ...requestPending,
};

/**
 * What a money request an approval policy may hold answers: 201 with its entry when no approval
 * is needed, 202 with the proposal that reserves its money when one is (Location: the proposal),
 * or 202 while a busy book has not decided it yet (Location: the request).
 */
export const entryOrProposal = {
  201: entryCreated[201],
  202: {
    ...requestPending[202],
    description:
      'Held for approval: the body is the proposal (`state: "pending"`), which reserves the money at once; ' +
      "Location is the proposal (/v1/books/{book}/approvals/{id}), and approvers approve or reject it there. " +
      `Or: ${requestPending[202].description}`,
    content: { "application/json": { schema: z.union([ProposalView, PendingRequest]) } },
  },
};

export const SeqParams = BookParams.extend({
  seq: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, "must be a journal seq: a whole number from 1")
    .transform(Number)
    .openapi({
      param: { name: "seq", in: "path" },
      example: "42",
      description: "An entry's seq in the book's journal",
    }),
});
