import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CommandSchemas,
  CURRENCIES,
  decodePostings,
  formatAmount,
  type PendingFigures,
  readSignedAmount,
  trackPending,
} from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import {
  BookParams,
  entryCreated,
  guarded,
  ID_FIELD,
  Id,
  jsonBody,
  OptionalIdempotencyHeaders,
  QueryDate,
  withDocs,
} from "./common.ts";
import { FundBankAccountView, fundBankAccounts } from "./fund-bank-accounts.ts";
import { operation } from "./operation.ts";
import { recordOne } from "./record.ts";
import { fundAmounts, fundView, requireBook } from "./views.ts";

const { fundId, ...fundFields } = withDocs(CommandSchemas["open-fund"].omit({ type: true, on: true }), {
  fundId: ID_FIELD,
  name: { example: "帮扶资金" },
  restricted: { description: "Restricted funds may only pay their own programmes" },
}).shape;
const NewFund = z.strictObject({ id: fundId, ...fundFields }).openapi("NewFund");

const FundView = z
  .object({
    id: z.string(),
    name: z.string(),
    restricted: z.boolean(),
    purpose: z.string().optional(),
    balance: z.string().openapi({ description: "Money in the fund, reservations included", example: "1051100.00" }),
    reserved: z.string().openapi({
      description: "What proposals awaiting approval reserve of the balance; 0.00 when none is pending",
      example: "800.00",
    }),
    available: z.string().openapi({
      description: "What a new payout, transfer or reversal may take: balance less reserved",
      example: "1050300.00",
    }),
    currency: z.string(),
    asOf: z.string().optional(),
    bankAccount: FundBankAccountView.optional(),
  })
  .openapi("Fund");

const FundParams = BookParams.extend({ fund: Id.openapi({ param: { name: "fund", in: "path" } }) });

const createFund = operation(
  {
    method: "post",
    path: "/books/{book}/funds",
    operationId: "openFund",
    tags: ["Funds"],
    summary: "Open a fund",
    ...guarded("registry"),
    request: { params: BookParams, headers: OptionalIdempotencyHeaders, ...jsonBody(NewFund) },
    responses: entryCreated,
  },
  { commands: ["open-fund"] },
);

const listFunds = operation(
  {
    method: "get",
    path: "/books/{book}/funds",
    operationId: "listFunds",
    tags: ["Funds"],
    summary: "Every fund with its balance, reserved and available now",
    ...guarded("read"),
    request: { params: BookParams },
    responses: {
      200: {
        description: "The funds",
        content: { "application/json": { schema: z.object({ funds: z.array(FundView) }) } },
      },
    },
  },
  { raises: ["book-not-found"] },
);

const getFund = operation(
  {
    method: "get",
    path: "/books/{book}/funds/{fund}",
    operationId: "getFund",
    tags: ["Funds"],
    summary: "One fund with its balance, reserved and available, now or at the end of a business date",
    ...guarded("read"),
    request: { params: FundParams, query: z.object({ asOf: QueryDate.optional() }) },
    responses: {
      200: { description: "The fund", content: { "application/json": { schema: FundView } } },
    },
  },
  { raises: ["book-not-found", "not-found"] },
);

export const fundsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createFund, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    const { id, ...fund } = body;
    const entry = await recordOne(c, book, { type: "open-fund", fundId: id, ...fund }, { money: false, request: body });
    return c.json(entry, 201);
  })
  .openapi(listFunds, async (c) => {
    const { book } = c.req.valid("param");
    const { state } = await c.var.ledger.journal.head(book);
    requireBook(state, book);
    const accounts = await fundBankAccounts(c.var.ledger.journal, book, Object.keys(state.funds));
    const funds = Object.keys(state.funds).flatMap((id) => {
      const view = fundView(state, id);
      const bankAccount = accounts.get(id);
      return view ? [bankAccount ? { ...view, bankAccount } : view] : [];
    });
    return c.json({ funds }, 200);
  })
  .openapi(getFund, async (c) => {
    const { book, fund } = c.req.valid("param");
    const { asOf } = c.req.valid("query");
    const { journal } = c.var.ledger;
    const { state, seq } = await journal.head(book);
    const info = requireBook(state, book);
    const current = fundView(state, fund);
    if (!current) throw new ProblemError(problemFor("not-found", `no fund ${fund} in book ${book}`, { fundId: fund }));
    const bankAccount = (await fundBankAccounts(journal, book, [fund])).get(fund);
    const view = bankAccount ? { ...current, bankAccount } : current;
    if (!asOf) return c.json(view, 200);
    // A balance on a past date sums the fund's postings of every entry dated on or before it,
    // reading the journal page by page up to the head seen above; what was reserved then is what
    // the proposals dated by then, and neither posted nor voided by then, held (as a month's fold).
    const currency = CURRENCIES[info.currency];
    let balance = 0n;
    const pending = new Map<string, PendingFigures>();
    for await (const page of journal.read(book, { toSeq: seq, pageSize: 500 })) {
      c.var.deadline.throwIfAborted();
      for (const event of page) {
        if (event.occurredOn > asOf) continue;
        trackPending(pending, event);
        const postings = event.payload.postings;
        if (!Array.isArray(postings)) continue;
        for (const posting of decodePostings(postings as never, currency)) {
          if (posting.account === `fund:${fund}`) balance += posting.amount;
        }
      }
    }
    let reserved = 0n;
    for (const { reserves } of pending.values()) {
      const held = reserves[fund];
      if (held !== undefined) reserved += readSignedAmount(held, currency);
    }
    const format = (minor: bigint) => formatAmount(minor, currency);
    return c.json({ ...view, ...fundAmounts(format, balance, reserved), asOf }, 200);
  });
