import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  BeneficiaryKind,
  type BeneficiaryRecord,
  beneficiaryRef,
  fingerprint,
  HardshipTier,
} from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { hashIdNumber, isResidentIdNumber, normaliseIdNumber } from "../id-number.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BookParams, DateField, entryCreated, guarded, Id, jsonBody, OptionalIdempotencyHeaders } from "./common.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";
import { money, requireBook } from "./views.ts";

const NewBeneficiary = z
  .strictObject({
    id: Id.optional().openapi({ description: "Chosen by the server when absent", example: "hh-0001" }),
    kind: BeneficiaryKind,
    name: z.string().trim().min(1).max(200).openapi({ example: "王秀英" }),
    idNumber: z
      .string()
      .max(32)
      .transform(normaliseIdNumber)
      .refine(isResidentIdNumber, "must be an 18-character resident ID number with a valid check digit")
      .optional()
      .openapi({ description: "Stored only as a keyed hash, for de-duplication" }),
    unitId: Id.optional(),
    householdId: Id.optional().openapi({
      description: "For a student: the household whose hardship file qualifies them",
    }),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  })
  .openapi("NewBeneficiary");

const HardshipFileView = z.object({
  tier: HardshipTier,
  cause: z.string(),
  openedOn: z.string(),
  validUntil: z.string(),
  reviewedOn: z.string().optional(),
  closedOn: z.string().optional(),
  closeReason: z.string().optional(),
});

const BeneficiaryView = z
  .object({
    id: z.string(),
    kind: BeneficiaryKind,
    name: z.string(),
    idNumberOnFile: z.boolean(),
    unitId: z.string().optional(),
    householdId: z.string().optional(),
    tags: z.array(z.string()).optional(),
    registeredOn: z.string(),
    hardshipFiles: z.array(HardshipFileView),
    totals: z.array(z.object({ programId: z.string(), year: z.string(), count: z.int(), amount: z.string() })),
  })
  .openapi("Beneficiary");

const BeneficiaryParams = BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

/** A step of a beneficiary's hardship file: one command, recorded as one entry. */
const fileStep = (
  command: "open-hardship-file" | "review-hardship-file" | "close-hardship-file",
  path: string,
  operationId: string,
  summary: string,
  schema: z.ZodType,
) =>
  operation(
    {
      method: "post",
      path,
      operationId,
      tags: ["Beneficiaries"],
      summary,
      ...guarded("registry"),
      request: { params: BeneficiaryParams, headers: OptionalIdempotencyHeaders, ...jsonBody(schema) },
      responses: entryCreated,
    },
    { commands: [command] },
  );

const registerRoute = operation(
  {
    method: "post",
    path: "/books/{book}/beneficiaries",
    operationId: "registerBeneficiary",
    tags: ["Beneficiaries"],
    summary: "Register a beneficiary (household, student, worker or model worker)",
    ...guarded("registry"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewBeneficiary) },
    responses: entryCreated,
  },
  { commands: ["register-beneficiary"] },
);

const getRoute = operation(
  {
    method: "get",
    path: "/books/{book}/beneficiaries/{id}",
    operationId: "getBeneficiary",
    tags: ["Beneficiaries"],
    summary: "A beneficiary, their hardship files and what each programme has paid them per year",
    ...guarded("read"),
    request: { params: BeneficiaryParams },
    responses: {
      200: { description: "The beneficiary", content: { "application/json": { schema: BeneficiaryView } } },
    },
  },
  { raises: ["book-not-found", "not-found"] },
);

const OpenFile = z.strictObject({
  tier: HardshipTier,
  cause: z.string().trim().min(1).max(500).openapi({ example: "因病致困" }),
  openedOn: DateField,
  validUntil: DateField,
});
const ReviewFile = z.strictObject({
  reviewedOn: DateField,
  validUntil: DateField,
  tier: HardshipTier.optional(),
  note: z.string().trim().min(1).max(1000).optional(),
});
const CloseFile = z.strictObject({ closedOn: DateField, reason: z.string().trim().min(1).max(500) });

export const beneficiariesRoutes = new OpenAPIHono<AppEnv>()
  .openapi(registerRoute, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const { id, idNumber, ...profile } = body;
    // A server-chosen id must be the same on a retry: it comes from the request's own fingerprint.
    const key = c.req.header("idempotency-key");
    const beneficiaryId = id ?? `b-${fingerprint({ book, key: key ?? null, body }).slice(0, 12)}`;
    const idNumberHash = idNumber ? hashIdNumber(c.var.ledger.idHashKey, book, idNumber) : undefined;
    const command = {
      type: "register-beneficiary" as const,
      beneficiaryId,
      ...profile,
      ...(idNumberHash ? { idNumberHash } : {}),
    };
    return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
  })
  .openapi(getRoute, async (c) => {
    const { book, id } = c.req.valid("param");
    const { journal } = c.var.ledger;
    const { state } = await journal.head(book);
    requireBook(state, book);
    const record = (await journal.entity(book, beneficiaryRef(id))) as BeneficiaryRecord | null;
    if (!record)
      throw new ProblemError(problemFor("not-found", `no beneficiary ${id} in book ${book}`, { beneficiaryId: id }));
    const format = money(state);
    const { files, totals, idNumberHash, ...profile } = record;
    return c.json(
      {
        ...profile,
        tags: profile.tags ? [...profile.tags] : undefined,
        idNumberOnFile: idNumberHash !== undefined,
        hardshipFiles: [...files],
        totals: Object.entries(totals).map(([key, value]) => {
          const [programId = "", year = ""] = key.split("|");
          return { programId, year, count: value.count, amount: format(BigInt(value.amount)) };
        }),
      },
      200,
    );
  })
  .openapi(
    fileStep(
      "open-hardship-file",
      "/books/{book}/beneficiaries/{id}/hardship-file",
      "openHardshipFile",
      "Open a hardship file (困难职工档案)",
      OpenFile,
    ),
    async (c) => {
      const { book, id } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof OpenFile>;
      const command = { type: "open-hardship-file" as const, beneficiaryId: id, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  )
  .openapi(
    fileStep(
      "review-hardship-file",
      "/books/{book}/beneficiaries/{id}/hardship-file/review",
      "reviewHardshipFile",
      "Review the open hardship file (yearly)",
      ReviewFile,
    ),
    async (c) => {
      const { book, id } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof ReviewFile>;
      const command = { type: "review-hardship-file" as const, beneficiaryId: id, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  )
  .openapi(
    fileStep(
      "close-hardship-file",
      "/books/{book}/beneficiaries/{id}/hardship-file/closure",
      "closeHardshipFile",
      "Close the open hardship file, with a reason",
      CloseFile,
    ),
    async (c) => {
      const { book, id } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof CloseFile>;
      const command = { type: "close-hardship-file" as const, beneficiaryId: id, ...body };
      return c.json(await recordOne(c, book, command, { money: false, request: body }), 201);
    },
  );
