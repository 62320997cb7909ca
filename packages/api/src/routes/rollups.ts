import { OpenAPIHono, z } from "@hono/zod-openapi";
import { Period, type Rollup, rollupHash, rollupRef } from "@relief-ledger/core";
import { closeMonth, verifyRollup } from "@relief-ledger/store";
import type { AppEnv } from "../env.ts";
import { domainProblem, ProblemError, problemFor } from "../problem.ts";
import { BookParams, documented, guarded, QueryMonth } from "./common.ts";
import { operation } from "./operation.ts";
import { requireBook } from "./views.ts";

const PeriodParams = BookParams.extend({
  period: documented(Period, "A month, YYYY-MM").openapi({ param: { name: "period", in: "path" }, example: "2010-12" }),
});
/** A read names a month the ledger reports on; closing keeps the domain's own rule (months close in order). */
const ReadPeriodParams = BookParams.extend({
  period: QueryMonth.openapi({ param: { name: "period", in: "path" }, example: "2010-12" }),
});

const CloseResult = z
  .object({
    period: z.string(),
    status: z.enum(["closed", "already-closed"]),
    rollupHash: z.string(),
    seq: z.int().optional(),
    matches: z.boolean().optional(),
  })
  .openapi("PeriodClose");

const closeRoute = operation(
  {
    method: "post",
    path: "/books/{book}/rollups/{period}",
    operationId: "closeMonth",
    tags: ["Rollups"],
    summary: "Fold a month into its rollup and close it (the monthly job's code path; system role)",
    description:
      "Months close in order, once over. Closing a closed month again writes nothing and says whether the journal still folds to the stored rollup.",
    ...guarded("rollup"),
    request: { params: PeriodParams },
    responses: {
      201: { description: "Closed now", content: { "application/json": { schema: CloseResult } } },
      200: { description: "Already closed", content: { "application/json": { schema: CloseResult } } },
    },
  },
  { commands: ["close-period"], raises: ["book-not-found"] },
);

const getRoute = operation(
  {
    method: "get",
    path: "/books/{book}/rollups/{period}",
    operationId: "getRollup",
    tags: ["Rollups"],
    summary: "A closed month's stored rollup; with verify=true, also folded again from the journal and compared",
    ...guarded("read"),
    request: {
      params: ReadPeriodParams,
      query: z.object({
        verify: z.enum(["true", "false"]).optional().openapi({
          description: "true: also fold the month again from the journal and compare it with the stored rollup",
        }),
      }),
    },
    responses: {
      200: {
        description: "The rollup",
        content: {
          "application/json": {
            schema: z.object({
              rollup: z.record(z.string(), z.unknown()),
              rollupHash: z.string(),
              verification: z.object({ ok: z.boolean(), recomputedHash: z.string().nullable() }).optional(),
            }),
          },
        },
      },
    },
  },
  { raises: ["book-not-found", "not-found"] },
);

export const rollupsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(closeRoute, async (c) => {
    const { book, period } = c.req.valid("param");
    const { journal, clock } = c.var.ledger;
    requireBook((await journal.head(book)).state, book);
    const principal = c.var.principal;
    const result = await closeMonth(journal, book, period, {
      actor: { sub: principal.sub, role: principal.role },
      ...(clock ? { clock } : {}),
    });
    if (result.status === "refused") throw new ProblemError(domainProblem(result.error));
    if (result.status === "closed") {
      await c.var.ledger.afterClose?.(book);
      return c.json({ period, status: "closed" as const, rollupHash: result.rollupHash, seq: result.seq }, 201);
    }
    return c.json(
      { period, status: "already-closed" as const, rollupHash: result.rollupHash, matches: result.matches },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { book, period } = c.req.valid("param");
    const { journal } = c.var.ledger;
    requireBook((await journal.head(book)).state, book);
    const stored = (await journal.entity(book, rollupRef(period))) as Rollup | null;
    if (!stored) {
      throw new ProblemError(
        problemFor("not-found", `${period} of book ${book} is not closed: it has no stored rollup`, { period }),
      );
    }
    const verification =
      c.req.valid("query").verify === "true" ? await verifyRollup(journal, book, period, c.var.deadline) : undefined;
    return c.json(
      {
        rollup: stored as unknown as Record<string, unknown>,
        rollupHash: rollupHash(stored),
        ...(verification ? { verification: { ok: verification.ok, recomputedHash: verification.recomputedHash } } : {}),
      },
      200,
    );
  });
