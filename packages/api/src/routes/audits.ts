import { OpenAPIHono, z } from "@hono/zod-openapi";
import { type AuditRecord, auditProgress, CommandSchemas } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { findingsRoutes } from "./audit-findings.ts";
import {
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
 * The fund-audit committee's work (经审会): the year's plan and its audits. Findings and their
 * rectification are in audit-findings.ts. The committee records; it never moves money.
 */

const NewAuditPlan = withDocs(CommandSchemas["set-audit-plan"].omit({ type: true, on: true }), {
  year: { example: 2010 },
  targetCount: { description: "How many units the committee means to audit that year", example: 5 },
}).openapi("NewAuditPlan");

const AuditStart = CommandSchemas["start-audit"].omit({ type: true });
const { auditId, ...auditFields } = withDocs(AuditStart, {
  auditId: { ...ID_FIELD, example: "audit-2010-textile" },
  unitId: ID_FIELD,
  scope: { example: "2009年度工会经费收支审计" },
  startedOn: DATE_FIELD,
}).shape;
const NewAudit = z
  .strictObject({
    id: auditId,
    ...auditFields,
    period: withDocs(AuditStart.shape.period, { from: DATE_FIELD, to: DATE_FIELD }).meta({
      description: "The period whose books are audited (both days inclusive)",
    }),
  })
  .openapi("NewAudit");

const AuditCompletion = withDocs(CommandSchemas["complete-audit"].omit({ type: true, auditId: true }), {
  completedOn: DATE_FIELD,
  summary: { example: "经费收支基本规范，发现问题两项" },
}).openapi("AuditCompletion");

const AuditView = z
  .object({
    id: z.string(),
    unitId: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    scope: z.string(),
    startedOn: z.string(),
    completedOn: z.string().optional(),
    summary: z.string().optional(),
    findings: z.array(z.string()).openapi({ description: "The ids of the findings recorded against it" }),
  })
  .openapi("Audit");

const ProgressView = z
  .object({
    year: z.string(),
    targetCount: z.int().nullable().openapi({ description: "The latest plan's target; null without a plan" }),
    started: z.int(),
    completed: z.int(),
  })
  .openapi("AuditProgress");

const AuditParams = BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

const setPlan = operation(
  {
    method: "post",
    path: "/books/{book}/audit-plans",
    operationId: "setAuditPlan",
    tags: ["Audits"],
    summary: "Set the year's audit target (a later plan for the same year replaces it)",
    ...guarded("audit"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewAuditPlan) },
    responses: entryCreated,
  },
  { commands: ["set-audit-plan"] },
);

const listPlans = operation(
  {
    method: "get",
    path: "/books/{book}/audit-plans",
    operationId: "listAuditPlans",
    tags: ["Audits"],
    summary: "Each year's audit target beside the audits started and completed in it",
    ...guarded("read"),
    request: { params: BookParams },
    responses: {
      200: {
        description: "Audit progress per year, oldest first",
        content: { "application/json": { schema: z.object({ plans: z.array(ProgressView) }) } },
      },
    },
  },
  { raises: ["book-not-found"] },
);

const startAudit = operation(
  {
    method: "post",
    path: "/books/{book}/audits",
    operationId: "startAudit",
    tags: ["Audits"],
    summary: "Start an audit of a unit's books over a period",
    ...guarded("audit"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewAudit) },
    responses: entryCreated,
  },
  { commands: ["start-audit"] },
);

const listAudits = operation(
  {
    method: "get",
    path: "/books/{book}/audits",
    operationId: "listAudits",
    tags: ["Audits"],
    summary: "Every audit, oldest first, with the findings recorded against it",
    ...guarded("read"),
    request: { params: BookParams, query: z.object({ unitId: Id.optional() }) },
    responses: {
      200: {
        description: "The audits",
        content: { "application/json": { schema: z.object({ audits: z.array(AuditView) }) } },
      },
    },
  },
  { raises: ["book-not-found"] },
);

const completeAudit = operation(
  {
    method: "post",
    path: "/books/{book}/audits/{id}/completion",
    operationId: "completeAudit",
    tags: ["Audits"],
    summary: "Complete an audit, with its summary (once)",
    ...guarded("audit"),
    request: { params: AuditParams, headers: OptionalIdempotencyHeaders, ...jsonBody(AuditCompletion) },
    responses: entryCreated,
  },
  { commands: ["complete-audit"] },
);

/** Every audit of the book, oldest first; a handful a year, so one list read serves them all. */
async function auditsOf(c: { var: AppEnv["Variables"] }, book: string): Promise<AuditRecord[]> {
  const audits = (await c.var.ledger.journal.entityList(book, "audit")) as unknown as AuditRecord[];
  return audits.sort((a, b) => a.startedOn.localeCompare(b.startedOn) || a.id.localeCompare(b.id));
}

export const auditsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(setPlan, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const command = { type: "set-audit-plan" as const, ...body };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  })
  .openapi(listPlans, async (c) => {
    const { book } = c.req.valid("param");
    const { state } = await c.var.ledger.journal.head(book);
    requireBook(state, book);
    return c.json({ plans: auditProgress(state.auditPlans, await auditsOf(c, book)) }, 200);
  })
  .openapi(startAudit, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const { id, ...audit } = body;
    const command = { type: "start-audit" as const, auditId: id, ...audit };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  })
  .openapi(listAudits, async (c) => {
    const { book } = c.req.valid("param");
    const { unitId } = c.req.valid("query");
    const { state } = await c.var.ledger.journal.head(book);
    requireBook(state, book);
    const audits = (await auditsOf(c, book)).filter((audit) => unitId === undefined || audit.unitId === unitId);
    return c.json({ audits: audits.map((audit) => ({ ...audit, findings: [...audit.findings] })) }, 200);
  })
  .openapi(completeAudit, async (c) => {
    const { book, id } = c.req.valid("param");
    const body = c.req.valid("json");
    const command = { type: "complete-audit" as const, auditId: id, ...body };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  })
  .route("/", findingsRoutes);
