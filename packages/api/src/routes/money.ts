import { OpenAPIHono, type z } from "@hono/zod-openapi";
import { CommandSchemas } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import {
  AMOUNT_FIELD,
  BookParams,
  CURRENCY_FIELD,
  DATE_FIELD,
  entryCreated,
  entryOrProposal,
  guarded,
  ID_FIELD,
  IdempotencyHeaders,
  jsonBody,
  SeqParams,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { recordAndAnswer, recordOne } from "./record.ts";

const NewCollection = withDocs(CommandSchemas["record-collection"].omit({ type: true }), {
  fundId: ID_FIELD,
  unitId: { ...ID_FIELD, description: "The paying unit, when there is one" },
  amount: AMOUNT_FIELD,
  currency: CURRENCY_FIELD,
  receivedOn: DATE_FIELD,
}).openapi("NewCollection");

const OpeningBalances = withDocs(CommandSchemas["record-opening-balances"].omit({ type: true }), {
  asOf: {
    ...DATE_FIELD,
    description: "The day the balances are brought forward: on or after the book's opening, in an open month",
  },
  currency: CURRENCY_FIELD,
}).openapi("OpeningBalances");

const NewPayout = withDocs(CommandSchemas["record-payout"].omit({ type: true }), {
  programId: ID_FIELD,
  beneficiaryId: ID_FIELD,
  amount: AMOUNT_FIELD,
  currency: CURRENCY_FIELD,
  paidOn: DATE_FIELD,
  method: {
    description:
      "One of the programme's methods; required when it allows several, its only one when absent and it allows one",
  },
}).openapi("NewPayout");

const NewTransfer = withDocs(CommandSchemas["record-transfer"].omit({ type: true }), {
  fromFundId: ID_FIELD,
  toFundId: ID_FIELD,
  amount: AMOUNT_FIELD,
  currency: CURRENCY_FIELD,
  on: DATE_FIELD,
}).openapi("NewTransfer");

/** The entry to reverse or return is the path's seq; the body says the rest. */
const Reversal = withDocs(CommandSchemas["reverse-entry"].omit({ type: true, seq: true }), {
  on: {
    ...DATE_FIELD,
    description:
      "The reversal's business date: in an open period, not before the entry it reverses, not after today " +
      "in the book's time zone. Today when absent.",
  },
}).openapi("Reversal");
const Return = withDocs(CommandSchemas["return-payout"].omit({ type: true, seq: true }), {
  returnedOn: DATE_FIELD,
}).openapi("PayoutReturn");

/** The requests an approval policy may hold: payouts (the programme's policy), transfers and reversals (the book's). */
const HELD = new Set(["record-payout", "record-transfer", "reverse-entry"]);

/** A money-moving route: one command, recorded as one entry, under a required Idempotency-Key. */
const moneyRoute = <P extends z.ZodObject, B extends z.ZodObject>(
  command:
    | "record-opening-balances"
    | "record-collection"
    | "record-payout"
    | "record-transfer"
    | "reverse-entry"
    | "return-payout",
  path: string,
  operationId: string,
  summary: string,
  params: P,
  body: B,
) =>
  operation(
    {
      method: "post",
      path,
      operationId,
      tags: ["Money"],
      summary,
      ...guarded("money"),
      request: { params, headers: IdempotencyHeaders, ...jsonBody(body) },
      responses: HELD.has(command) ? entryOrProposal : entryCreated,
    },
    { commands: [command] },
  );

export const moneyRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    moneyRoute(
      "record-opening-balances",
      "/books/{book}/opening-balances",
      "recordOpeningBalances",
      "Bring forward what each fund held when the book began (期初余额): once, before any other money entry",
      BookParams,
      OpeningBalances,
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof OpeningBalances>;
      return c.json(
        await recordOne(c, book, { type: "record-opening-balances", ...body }, { money: true, request: body }),
        201,
      );
    },
  )
  .openapi(
    moneyRoute(
      "record-collection",
      "/books/{book}/collections",
      "recordCollection",
      "Record money in (dues, allocations, grants)",
      BookParams,
      NewCollection,
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof NewCollection>;
      return c.json(
        await recordOne(c, book, { type: "record-collection", ...body }, { money: true, request: body }),
        201,
      );
    },
  )
  .openapi(
    moneyRoute(
      "record-payout",
      "/books/{book}/payouts",
      "recordPayout",
      "Record a payment to a beneficiary from a programme",
      BookParams,
      NewPayout,
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof NewPayout>;
      return recordAndAnswer(c, book, { type: "record-payout", ...body }, body);
    },
  )
  .openapi(
    moneyRoute(
      "record-transfer",
      "/books/{book}/transfers",
      "recordTransfer",
      "Move money between two funds",
      BookParams,
      NewTransfer,
    ),
    async (c) => {
      const { book } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof NewTransfer>;
      return recordAndAnswer(c, book, { type: "record-transfer", ...body }, body);
    },
  )
  .openapi(
    moneyRoute(
      "reverse-entry",
      "/books/{book}/entries/{seq}/reversal",
      "reverseEntry",
      "Reverse a money entry (at most once), dated `on` or today",
      SeqParams,
      Reversal,
    ),
    async (c) => {
      const { book, seq } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof Reversal>;
      return recordAndAnswer(c, book, { type: "reverse-entry", seq, ...body }, body);
    },
  )
  .openapi(
    moneyRoute(
      "return-payout",
      "/books/{book}/payouts/{seq}/return",
      "returnPayout",
      "The bank returned a payout: the money goes back to the fund",
      SeqParams,
      Return,
    ),
    async (c) => {
      const { book, seq } = c.req.valid("param");
      const body = c.req.valid("json") as z.infer<typeof Return>;
      return c.json(
        await recordOne(c, book, { type: "return-payout", seq, ...body }, { money: true, request: body }),
        201,
      );
    },
  );
