import { OpenAPIHono, z } from "@hono/zod-openapi";
import { domainError, FundId } from "@relief-ledger/core";
import { reconciliationOf } from "@relief-ledger/store";
import type { AppEnv } from "../env.ts";
import { answerReport, exportContent, exportQuery, tableQuery } from "../exports/index.ts";
import { fail, ProblemError, problemFor } from "../problem.ts";
import { BookParams, documented, guarded, QueryMonth } from "./common.ts";
import { operation } from "./operation.ts";
import { ReconciliationView, reconciliationTables } from "./reconciliation-view.ts";
import { requireBook } from "./views.ts";

/** The fund a reconciliation is of when none is named: the book's only one; a book of several must name it. */
function onlyFund(funds: readonly string[]): string | undefined {
  if (funds.length > 1) {
    throw new ProblemError(
      problemFor("validation-failed", "the book has several funds: name one with fundId", {
        errors: [{ path: "fundId", message: `one of ${funds.join(", ")}` }],
      }),
    );
  }
  return funds[0];
}

const RECONCILIATION_TABLES = ["reconciliation", "reconciling-items", "bank-matches"] as const;

export const reconciliationsRoutes = new OpenAPIHono<AppEnv>().openapi(
  operation(
    {
      method: "get",
      path: "/books/{book}/reconciliations/{period}",
      operationId: "getReconciliation",
      tags: ["Reconciliation"],
      summary:
        "A fund's bank reconciliation of a month (银行存款余额调节表): bank and book balances and the reconciling items " +
        `that explain the difference (tables: ${RECONCILIATION_TABLES.join(", ")})`,
      ...guarded("read"),
      request: {
        params: BookParams.extend({ period: QueryMonth.openapi({ param: { name: "period", in: "path" } }) }),
        query: z.object({
          fundId: documented(FundId, "The fund whose bank account is reconciled; the book's only fund when absent")
            .optional()
            .openapi({ example: "general" }),
          ...exportQuery,
          table: tableQuery(RECONCILIATION_TABLES),
        }),
      },
      responses: {
        200: {
          description: "The reconciliation; with ?format=csv one of its tables, with ?format=xlsx a workbook of them",
          content: exportContent(ReconciliationView),
        },
      },
    },
    { raises: ["book-not-found", "bank-statement-not-found"] },
  ),
  async (c) => {
    const { book, period } = c.req.valid("param") as { book: string; period: string };
    const query = c.req.valid("query");
    const { journal } = c.var.ledger;
    const { state } = await journal.head(book);
    requireBook(state, book);
    const fundId = query.fundId ?? onlyFund(Object.keys(state.funds));
    const result = fundId ? await reconciliationOf(journal, book, state, fundId, period, c.var.deadline) : undefined;
    if (!result) {
      return fail(
        domainError("bank-statement-not-found", `no statement of ${fundId ?? "any fund"} for ${period}`, {
          fundId: fundId ?? "",
          period,
        }),
      );
    }
    return answerReport(
      c,
      query,
      { name: "reconciliation", book, period: `${fundId}-${period}` },
      () => reconciliationTables(result),
      () => result,
    ) as never;
  },
);
