import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CommandSchemas, PaymentMethod } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import {
  AMOUNT_FIELD,
  BookParams,
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
import { programView, requireBook } from "./views.ts";

/**
 * The finance office opens programmes but does not set the policy that holds their payouts: a
 * programme follows the book's policy until the admin sets one of its own (routes/approvals.ts).
 */
const OpenProgram = CommandSchemas["open-program"].omit({ type: true, on: true, approvals: true });
const CapFields = OpenProgram.shape.cap.unwrap();
const Cap = withDocs(CapFields, { perPayment: AMOUNT_FIELD }).extend({
  perBeneficiaryPerYear: withDocs(CapFields.shape.perBeneficiaryPerYear.unwrap(), { amount: AMOUNT_FIELD }).optional(),
});

const { programId, ...programFields } = withDocs(OpenProgram, {
  programId: ID_FIELD,
  name: { example: "2010年金秋助学" },
  fundId: ID_FIELD,
  budget: AMOUNT_FIELD,
  methods: {
    description:
      "How the programme pays. A payout or batch must name one of these when there are several; " +
      "with exactly one, it is the default for those that name none. Absent: any method, or none.",
  },
}).shape;
const NewProgram = z
  .strictObject({
    id: programId,
    ...programFields,
    requiresHardshipFile: programFields.requiresHardshipFile
      .optional()
      .meta({ description: "Pay only beneficiaries with an open hardship file (file first, then aid)" }),
    cap: Cap.optional(),
  })
  .openapi("NewProgram");

const ProgramView = z
  .object({
    id: z.string(),
    name: z.string(),
    fundId: z.string(),
    budget: z.string().optional(),
    remaining: z.string().optional(),
    paid: z.string(),
    requiresHardshipFile: z.boolean(),
    methods: z.array(PaymentMethod).optional(),
    cap: Cap.optional(),
    approvals: z
      .array(z.object({ over: z.string(), levels: z.int() }))
      .optional()
      .openapi({ description: "Its payouts' approval policy: above `over`, `levels` approvals" }),
    approvalsFrom: z
      .enum(["programme", "book"])
      .optional()
      .openapi({ description: "Whose policy that is: the programme's own, or the book's, which it follows" }),
    closed: z.boolean(),
  })
  .openapi("Program");

const ProgramParams = BookParams.extend({ program: Id.openapi({ param: { name: "program", in: "path" } }) });

const createProgram = operation(
  {
    method: "post",
    path: "/books/{book}/programs",
    operationId: "openProgram",
    tags: ["Programmes"],
    summary: "Open a programme (student aid, winter relief, …) paid from one fund",
    ...guarded("registry"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewProgram) },
    responses: entryCreated,
  },
  { commands: ["open-program"] },
);

const listPrograms = operation(
  {
    method: "get",
    path: "/books/{book}/programs",
    operationId: "listPrograms",
    tags: ["Programmes"],
    summary: "Every programme with what it has paid",
    ...guarded("read"),
    request: { params: BookParams },
    responses: {
      200: {
        description: "The programmes",
        content: { "application/json": { schema: z.object({ programs: z.array(ProgramView) }) } },
      },
    },
  },
  { raises: ["book-not-found"] },
);

const closeProgram = operation(
  {
    method: "post",
    path: "/books/{book}/programs/{program}/closure",
    operationId: "closeProgram",
    tags: ["Programmes"],
    summary: "Close a programme: it pays nothing more",
    ...guarded("registry"),
    request: {
      params: ProgramParams,
      headers: OptionalIdempotencyHeaders,
      ...jsonBody(CommandSchemas["close-program"].pick({ reason: true })),
    },
    responses: entryCreated,
  },
  { commands: ["close-program"] },
);

export const programsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createProgram, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const { id, requiresHardshipFile, ...program } = body;
    const command = {
      type: "open-program" as const,
      programId: id,
      requiresHardshipFile: requiresHardshipFile ?? false,
      ...program,
    };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  })
  .openapi(listPrograms, async (c) => {
    const { book } = c.req.valid("param");
    const { state } = await c.var.ledger.journal.head(book);
    requireBook(state, book);
    return c.json({ programs: Object.keys(state.programs).flatMap((id) => programView(state, id) ?? []) }, 200);
  })
  .openapi(closeProgram, async (c) => {
    const { book, program } = c.req.valid("param");
    const body = c.req.valid("json");
    const command = { type: "close-program" as const, programId: program, reason: body.reason };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  });
