import { OpenAPIHono, z } from "@hono/zod-openapi";
import { addToTotals, CURRENCIES, formatTotals, NO_TOTALS } from "@relief-ledger/core";
import type { EntryFilter } from "@relief-ledger/store";
import type { AppEnv } from "../env.ts";
import { BookParams, guarded } from "./common.ts";
import { EntryFilterQuery } from "./journal.ts";
import { operation } from "./operation.ts";
import { requireBook } from "./views.ts";

const Money = (description: string) => z.string().openapi({ description, example: "1051100.00" });

const EntryTotals = z
  .object({
    count: z.int().openapi({ description: "Entries the filters match, of every type" }),
    currency: z.string().openapi({ example: "CNY" }),
    amounts: z.object({
      in: Money("Money into the funds (or the fund named by fundId) through the matched entries"),
      out: Money("Money out of them"),
      net: Money("in − out: the change the matched entries made to the balance"),
    }),
  })
  .openapi("EntryTotals");

/**
 * Totals of a filtered list, apart from its pages: a page costs a bounded number of reads, its
 * totals a read of every match. Apart, a client pays for them only when it wants them, can ask
 * for both at once, and a page's answer does not change shape with a flag.
 */
const entryTotals = operation(
  {
    method: "get",
    path: "/books/{book}/entries/totals",
    operationId: "getEntryTotals",
    tags: ["Journal"],
    summary: "How many entries the journal's filters match, and the money they moved in and out",
    description:
      "The same filters as the entries list, over everything they match (not a page). Each entry counts by its " +
      "net effect on the funds, read from its postings to fund accounts: to every fund of the book, or to the one " +
      "fundId names. Positive is money in, negative money out: a collection is in, a payout out, a reversal or a " +
      "return the opposite of what it undoes, and a transfer between funds neither for the book but out of one fund " +
      "and into the other when fundId names one of them. net = in − out, so the totals of a fund's whole journal " +
      "are its balance. Entries without postings (registrations, audits, closings) count in `count` only. " +
      "Amounts are decimal strings in the book's currency. It reads every match, within the request's deadline.",
    ...guarded("read"),
    request: { params: BookParams, query: EntryFilterQuery },
    responses: {
      200: { description: "The totals", content: { "application/json": { schema: EntryTotals } } },
    },
  },
  { raises: ["book-not-found"] },
);

/**
 * Registered before the entries routes (app.ts): `/entries/{seq}` would otherwise take
 * `/entries/totals` for an entry and refuse `totals` as a seq.
 */
export const entryTotalsRoutes = new OpenAPIHono<AppEnv>().openapi(entryTotals, async (c) => {
  const { book } = c.req.valid("param");
  const filter = c.req.valid("query") as EntryFilter;
  const { journal } = c.var.ledger;
  const info = requireBook((await journal.head(book)).state, book);
  const currency = CURRENCIES[info.currency];
  let totals = NO_TOTALS;
  let after: number | undefined;
  do {
    const page = await journal.queryEntries(book, filter, {
      limit: 1000,
      signal: c.var.deadline,
      ...(after !== undefined ? { after } : {}),
    });
    for (const event of page.events) totals = addToTotals(totals, event, currency, filter.fundId);
    after = page.next;
  } while (after !== undefined);
  return c.json({ ...formatTotals(totals, currency), currency: currency.code }, 200);
});
