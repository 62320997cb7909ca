import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  BeneficiaryKind,
  type BeneficiaryRecord,
  beneficiaryRef,
  CommandSchemas,
  fingerprint,
  HardshipTier,
} from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { hashIdNumber, isResidentIdNumber, normaliseIdNumber } from "../id-number.ts";
import { ProblemError, problemFor } from "../problem.ts";
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
import { money, requireBook } from "./views.ts";

const { beneficiaryId, kind, name, ...profileFields } = withDocs(
  CommandSchemas["register-beneficiary"].omit({ type: true, idNumberHash: true, on: true }),
  {
    beneficiaryId: { ...ID_FIELD, description: "Chosen by the server when absent", example: "hh-0001" },
    name: { example: "王秀英" },
    unitId: ID_FIELD,
    householdId: { ...ID_FIELD, description: "For a student: the household whose hardship file qualifies them" },
  },
).shape;
/** The command's fields, with the ID number itself in place of its keyed hash, which the handler makes. */
const NewBeneficiary = z
  .strictObject({
    id: beneficiaryId.optional(),
    kind,
    name,
    idNumber: z
      .string()
      .max(32)
      .transform(normaliseIdNumber)
      .refine(isResidentIdNumber, "must be an 18-character resident ID number with a valid check digit")
      .optional()
      .openapi({ description: "Stored only as a keyed hash, for de-duplication" }),
    ...profileFields,
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

/** A file step's body: its command's fields but the beneficiary, whom the path names. */
const OpenFile = withDocs(CommandSchemas["open-hardship-file"].omit({ type: true, beneficiaryId: true }), {
  cause: { example: "因病致困" },
  openedOn: DATE_FIELD,
  validUntil: DATE_FIELD,
});
const ReviewFile = withDocs(CommandSchemas["review-hardship-file"].omit({ type: true, beneficiaryId: true }), {
  reviewedOn: DATE_FIELD,
  validUntil: DATE_FIELD,
});
const CloseFile = withDocs(CommandSchemas["close-hardship-file"].omit({ type: true, beneficiaryId: true }), {
  closedOn: DATE_FIELD,
});

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
