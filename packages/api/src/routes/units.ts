import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CommandSchemas, UnitKind } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import {
  BookParams,
  entryCreated,
  guarded,
  ID_FIELD,
  jsonBody,
  OptionalIdempotencyHeaders,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";
import { requireBook } from "./views.ts";

const { unitId, ...unitFields } = withDocs(CommandSchemas["add-unit"].omit({ type: true, on: true }), {
  unitId: ID_FIELD,
  name: { example: "中兴纺织厂工会" },
}).shape;
const NewUnit = z.strictObject({ id: unitId, ...unitFields }).openapi("NewUnit");

const UnitView = z.object({ id: z.string(), name: z.string(), kind: UnitKind }).openapi("Unit");

const createUnit = operation(
  {
    method: "post",
    path: "/books/{book}/units",
    operationId: "addUnit",
    tags: ["Units"],
    summary: "Add a member unit or grassroots union (a payer of dues, an audited body)",
    ...guarded("registry"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewUnit) },
    responses: entryCreated,
  },
  { commands: ["add-unit"] },
);

const listUnits = operation(
  {
    method: "get",
    path: "/books/{book}/units",
    operationId: "listUnits",
    tags: ["Units"],
    summary: "Every unit",
    ...guarded("read"),
    request: { params: BookParams },
    responses: {
      200: {
        description: "The units",
        content: { "application/json": { schema: z.object({ units: z.array(UnitView) }) } },
      },
    },
  },
  { raises: ["book-not-found"] },
);

export const unitsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createUnit, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const { id, ...unit } = body;
    const entry = await recordOne(c, book, { type: "add-unit", unitId: id, ...unit }, { money: false, request: body });
    return c.json(entry, 201);
  })
  .openapi(listUnits, async (c) => {
    const { book } = c.req.valid("param");
    const { state } = await c.var.ledger.journal.head(book);
    requireBook(state, book);
    return c.json({ units: Object.entries(state.units).map(([id, unit]) => ({ id, ...unit })) }, 200);
  });
