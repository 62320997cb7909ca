import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CommandSchemas,
  currentDueBy,
  FindingCategory,
  FindingOutcome,
  type FindingRecord,
  FindingSeverity,
  fingerprint,
  isOverdue,
  localDate,
} from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { DEFAULT_LANG, exportContent, exportQuery, type RowOf, sendTables, table } from "../exports/index.ts";
import {
  AMOUNT_FIELD,
  BookParams,
  DATE_FIELD,
  entryCreated,
  guarded,
  ID_FIELD,
  Id,
  jsonBody,
  OptionalIdempotencyHeaders,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";
import { requireBook } from "./views.ts";

/**
 * Audit findings (审计发现) and their rectification (整改): the committee records a finding and
 * resolves it; the audited body's finance office submits the plan and the evidence. A finding
 * moves open → plan-submitted → evidence-submitted → resolved, and core refuses steps out of order.
 */

const { findingId, ...findingFields } = withDocs(CommandSchemas["record-finding"].omit({ type: true }), {
  findingId: { ...ID_FIELD, description: "Chosen by the server when absent", example: "f-2010-01" },
  auditId: { ...ID_FIELD, description: "The audit that found it; of the same unit" },
  unitId: ID_FIELD,
  amountInQuestion: AMOUNT_FIELD,
  description: { example: "慰问品发放无签收单" },
  relatedEntries: { description: "Seqs of the journal entries the finding questions; each must exist" },
  dueBy: { ...DATE_FIELD, description: "When rectification is due" },
  recordedOn: { ...DATE_FIELD, description: "Today in the book's time zone when absent" },
}).shape;
const NewFinding = z.strictObject({ id: findingId.optional(), ...findingFields }).openapi("NewFinding");

/** A step's body: its command's fields but the finding, which the path names. */
const RectificationPlan = withDocs(CommandSchemas["submit-rectification-plan"].omit({ type: true, findingId: true }), {
  note: { example: "补齐签收单，建立发放台账" },
  submittedOn: DATE_FIELD,
  dueBy: { ...DATE_FIELD, description: "Replaces the finding's due date when given" },
}).openapi("RectificationPlan");

const RectificationEvidence = withDocs(
  CommandSchemas["submit-rectification-evidence"].omit({ type: true, findingId: true }),
  {
    note: { example: "已追回超标准发放款" },
    submittedOn: DATE_FIELD,
    amountRecovered: { ...AMOUNT_FIELD, description: "Money returned to the fund" },
    amountReclassified: { ...AMOUNT_FIELD, description: "Money re-booked where it belongs" },
  },
).openapi("RectificationEvidence");

const Resolution = withDocs(CommandSchemas["resolve-finding"].omit({ type: true, findingId: true }), {
  outcome: { description: "closed (销号) needs evidence first; waived and escalated do not" },
  resolvedOn: DATE_FIELD,
}).openapi("FindingResolution");

const FindingStatus = z.enum(["open", "plan-submitted", "evidence-submitted", "resolved"]);

const FindingView = z
  .object({
    id: z.string(),
    auditId: z.string().optional(),
    unitId: z.string(),
    category: FindingCategory,
    severity: FindingSeverity,
    amountInQuestion: z.string().optional(),
    description: z.string(),
    relatedEntries: z.array(z.int()),
    dueBy: z.string().optional().openapi({ description: "The due date the finding was recorded with" }),
    currentDueBy: z.string().optional().openapi({ description: "The rectification plan's due date, else dueBy" }),
    overdue: z.boolean().openapi({ description: "Past currentDueBy and not resolved, as of today; never stored" }),
    status: FindingStatus,
    recordedOn: z.string(),
    amountRecovered: z.string(),
    amountReclassified: z.string(),
    resolution: z.object({ outcome: FindingOutcome, note: z.string(), resolvedOn: z.string() }).optional(),
    history: z.array(
      z.object({
        type: z.string(),
        on: z.string(),
        note: z.string().optional(),
        dueBy: z.string().optional(),
        amountRecovered: z.string().optional(),
        amountReclassified: z.string().optional(),
        outcome: FindingOutcome.optional(),
      }),
    ),
  })
  .openapi("Finding");

const FindingsQuery = z.object({
  status: z.enum(["open", "resolved"]).optional().openapi({ description: "open is every unresolved finding" }),
  unitId: Id.optional(),
  overdue: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "true: only findings past their due date and unresolved; false: only the others" }),
  ...exportQuery,
});

const FindingParams = BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

/** A step after a finding is recorded: one command, recorded as one entry. */
const step = (
  command: "submit-rectification-plan" | "submit-rectification-evidence" | "resolve-finding",
  path: string,
  operationId: string,
  summary: string,
  permission: "audit" | "rectify",
  schema: z.ZodType,
) =>
  operation(
    {
      method: "post",
      path: `/books/{book}/audit-findings/{id}/${path}`,
      operationId,
      tags: ["Audit findings"],
      summary,
      ...guarded(permission),
      request: { params: FindingParams, headers: OptionalIdempotencyHeaders, ...jsonBody(schema) },
      responses: entryCreated,
    },
    { commands: [command] },
  );

const recordFinding = operation(
  {
    method: "post",
    path: "/books/{book}/audit-findings",
    operationId: "recordFinding",
    tags: ["Audit findings"],
    summary: "Record an audit finding",
    ...guarded("audit"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewFinding) },
    responses: entryCreated,
  },
  { commands: ["record-finding"] },
);

const listFindings = operation(
  {
    method: "get",
    path: "/books/{book}/audit-findings",
    operationId: "listFindings",
    tags: ["Audit findings"],
    summary: "Findings with their whole history, oldest first (or as CSV or XLSX)",
    ...guarded("read"),
    request: { params: BookParams, query: FindingsQuery },
    responses: {
      200: {
        description: "The findings, or a file of them with ?format=csv or ?format=xlsx",
        content: exportContent(z.object({ findings: z.array(FindingView) })),
      },
    },
  },
  { raises: ["book-not-found"] },
);

type FindingOut = FindingRecord & { currentDueBy?: string; overdue: boolean };

const exportRow = (finding: FindingOut): RowOf<"findings"> => ({
  findingId: finding.id,
  unitId: finding.unitId,
  auditId: finding.auditId,
  category: finding.category,
  severity: finding.severity,
  status: finding.status,
  overdue: finding.overdue,
  amountInQuestion: finding.amountInQuestion,
  amountRecovered: finding.amountRecovered,
  amountReclassified: finding.amountReclassified,
  dueBy: finding.currentDueBy,
  recordedOn: finding.recordedOn,
  resolvedOn: finding.resolution?.resolvedOn,
  outcome: finding.resolution?.outcome,
  description: finding.description,
});

export const findingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(recordFinding, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const { id, ...finding } = body;
    // A server-chosen id must be the same on a retry: it comes from the request's own fingerprint.
    const key = c.req.header("idempotency-key");
    const findingId = id ?? `f-${fingerprint({ book, key: key ?? null, body }).slice(0, 12)}`;
    const command = { type: "record-finding" as const, findingId, ...finding };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  })
  .openapi(listFindings, async (c) => {
    const { book } = c.req.valid("param");
    const query = c.req.valid("query");
    const { ledger } = c.var;
    const { state } = await ledger.journal.head(book);
    const { timeZone } = requireBook(state, book);
    // Overdue is judged against today in the book's time zone, at the moment of the query.
    const today = localDate(timeZone, (ledger.clock ?? (() => new Date()))());
    const records = (await ledger.journal.entityList(book, "finding")) as unknown as FindingRecord[];
    const findings: FindingOut[] = records
      .map((record) => {
        const due = currentDueBy(record);
        return { ...record, ...(due ? { currentDueBy: due } : {}), overdue: isOverdue(record, today) };
      })
      .filter(
        (finding) =>
          (query.status === undefined || (finding.status === "resolved") === (query.status === "resolved")) &&
          (query.unitId === undefined || finding.unitId === query.unitId) &&
          (query.overdue === undefined || finding.overdue === (query.overdue === "true")),
      )
      .sort((a, b) => a.recordedOn.localeCompare(b.recordedOn) || a.id.localeCompare(b.id));
    if (query.format === "csv" || query.format === "xlsx") {
      const file = { name: "audit-findings" as const, book };
      const request = { format: query.format, lang: query.lang ?? DEFAULT_LANG, file };
      return (await sendTables(c, request, [table("findings", findings.map(exportRow))])) as never;
    }
    return c.json({ findings: findings as z.infer<typeof FindingView>[] }, 200);
  })
  .openapi(
    step(
      "submit-rectification-plan",
      "rectification-plan",
      "submitRectificationPlan",
      "Submit the audited body's rectification plan (整改方案)",
      "rectify",
      RectificationPlan,
    ),
    async (c) => {
      const { book, id } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof RectificationPlan>;
      const command = { type: "submit-rectification-plan" as const, findingId: id, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  )
  .openapi(
    step(
      "submit-rectification-evidence",
      "evidence",
      "submitRectificationEvidence",
      "Submit evidence of rectification (more may follow)",
      "rectify",
      RectificationEvidence,
    ),
    async (c) => {
      const { book, id } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof RectificationEvidence>;
      const command = { type: "submit-rectification-evidence" as const, findingId: id, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  )
  .openapi(
    step(
      "resolve-finding",
      "resolution",
      "resolveFinding",
      "Resolve a finding: closed (销号), waived or escalated; once",
      "audit",
      Resolution,
    ),
    async (c) => {
      const { book, id } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof Resolution>;
      const command = { type: "resolve-finding" as const, findingId: id, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  );
