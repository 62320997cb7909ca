import { OpenAPIHono, z } from "@hono/zod-openapi";
import { ClosePolicy, comparePeriods, Period, type Rollup, rollupHash, rollupRef } from "@relief-ledger/core";
import { closeMonth, rollupsFor, verifyRollup } from "@relief-ledger/store";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { domainProblem, ProblemError, problemFor } from "../problem.ts";
import {
  BookParams,
  documented,
  entryCreated,
  guarded,
  jsonBody,
  OptionalIdempotencyHeaders,
  QueryMonth,
} from "./common.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";
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
    from: z.string().optional().openapi({
      description: "The first of the months without entries that closed with this one, under the same PeriodClosed",
    }),
    annualReportHash: z.string().optional().openapi({
      description: "A December's close closes the year: the digest of the annual report frozen with it",
    }),
    matches: z.boolean().optional(),
  })
  .openapi("PeriodClose");

const closeResponses = {
  201: { description: "Closed now", content: { "application/json": { schema: CloseResult } } },
  200: { description: "Already closed", content: { "application/json": { schema: CloseResult } } },
};

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
    responses: closeResponses,
  },
  { commands: ["close-period"], raises: ["book-not-found"] },
);

const closeByFinance = operation(
  {
    method: "post",
    path: "/books/{book}/periods/{period}/close",
    operationId: "closePeriod",
    tags: ["Rollups"],
    summary: "Close a month (月结): the finance office, once its bank statement is in",
    description:
      "Months close in order, once over, whatever the book's close policy (under `auto` the nightly job closes a " +
      "month the policy's days after it ends if nobody has). The months without entries before it close with it; " +
      "closing December closes the year and freezes its annual report. A month with a pending proposal dated in it " +
      "does not close. Closing a closed month again writes nothing.",
    ...guarded("close"),
    request: { params: PeriodParams, headers: OptionalIdempotencyHeaders },
    responses: closeResponses,
  },
  { commands: ["close-period"], raises: ["book-not-found"] },
);

const ClosePolicyBody = z.object({ close: ClosePolicy }).openapi("ClosePolicy", {
  example: { close: { mode: "auto", afterDays: 10 } },
  description:
    '`{"mode": "auto", "afterDays": 10}`: the nightly job closes each month 10 days after it ends; ' +
    '`{"mode": "manual"}`: only the finance office closes months.',
});

const setClosePolicy = operation(
  {
    method: "put",
    path: "/books/{book}/close-policy",
    operationId: "setClosePolicy",
    tags: ["Rollups"],
    summary: "Set how the book's months close: automatically some days after each ends, or by the finance office",
    description: "Recorded as a ClosePolicySet entry (the admin's). Until a month closes its figures are provisional.",
    ...guarded("policy"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(ClosePolicyBody) },
    responses: entryCreated,
  },
  { commands: ["set-close-policy"] },
);

const getRoute = operation(
  {
    method: "get",
    path: "/books/{book}/rollups/{period}",
    operationId: "getRollup",
    tags: ["Rollups"],
    summary:
      "A month's rollup: a closed month's as stored (with verify=true, also folded again and compared), an open " +
      "month's folded now, as provisional figures",
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
              status: z.enum(["closed", "provisional"]).openapi({
                description: "closed: as stored when the month closed; provisional: folded now from its events",
              }),
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

/** Closes a month as `actor`, answering 201 with what closed or 200 when it was closed already. */
async function closeAnswer(c: Context<AppEnv>, book: string, period: string) {
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
    const { rollupHash, seq, from, annualReportHash } = result;
    return c.json(
      {
        period,
        status: "closed" as const,
        rollupHash,
        seq,
        ...(from ? { from } : {}),
        ...(annualReportHash ? { annualReportHash } : {}),
      },
      201,
    );
  }
  return c.json(
    { period, status: "already-closed" as const, rollupHash: result.rollupHash, matches: result.matches },
    200,
  );
}

export const rollupsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(closeRoute, async (c) => {
    const { book, period } = c.req.valid("param");
    return closeAnswer(c, book, period);
  })
  .openapi(closeByFinance, async (c) => {
    const { book, period } = c.req.valid("param");
    return closeAnswer(c, book, period);
  })
  .openapi(setClosePolicy, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    return c.json(
      await recordOne(c, book, { type: "set-close-policy", ...body }, { money: false, request: body }),
      201,
    );
  })
  .openapi(getRoute, async (c) => {
    const { book, period } = c.req.valid("param");
    const { journal } = c.var.ledger;
    const { state } = await journal.head(book);
    requireBook(state, book);
    const closed = state.closedThrough !== null && comparePeriods(period, state.closedThrough) <= 0;
    if (!closed) {
      // An open month's figures as they stand: folded now, and provisional until the month closes.
      const [rollup] = await rollupsFor(journal, book, period, period, state, c.var.deadline);
      if (!rollup) {
        throw new ProblemError(problemFor("not-found", `${period} is before book ${book} began`, { period }));
      }
      const body = { rollup: rollup as unknown as Record<string, unknown>, rollupHash: rollupHash(rollup) };
      return c.json({ status: "provisional" as const, ...body }, 200);
    }
    const stored = (await journal.entity(book, rollupRef(period))) as Rollup | null;
    if (!stored) {
      throw new ProblemError(problemFor("not-found", `${period} of book ${book} has no stored rollup`, { period }));
    }
    const verification =
      c.req.valid("query").verify === "true" ? await verifyRollup(journal, book, period, c.var.deadline) : undefined;
    return c.json(
      {
        status: "closed" as const,
        rollup: stored as unknown as Record<string, unknown>,
        rollupHash: rollupHash(stored),
        ...(verification ? { verification: { ok: verification.ok, recomputedHash: verification.recomputedHash } } : {}),
      },
      200,
    );
  });
