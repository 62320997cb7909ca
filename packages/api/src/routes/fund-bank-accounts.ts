import { OpenAPIHono, z } from "@hono/zod-openapi";
import { type FundBankAccountRecord, fundBankAccountRef } from "@relief-ledger/core";
import type { LedgerJournal } from "@relief-ledger/store";
import { fundAccountContext } from "../bank-account.ts";
import type { AppEnv } from "../env.ts";
import { bankAccountBody, sealAccount } from "./bank-accounts.ts";
import { BookParams, entryCreated, guarded, Id, IdempotencyHeaders, jsonBody } from "./common.ts";
import { operation } from "./operation.ts";
import { appendCommand, oneEntry } from "./record.ts";

const FundParams = BookParams.extend({ fund: Id.openapi({ param: { name: "fund", in: "path" } }) });

/** A fund's own account as the finance office enters it; sealed before anything is stored. */
const NewFundBankAccount = bankAccountBody({
  bank: "中国工商银行巴中分行",
  accountName: "巴州区总工会",
  accountNumber: "2314030109024778866",
}).openapi("NewFundBankAccount");

/** A fund's linked account as views show it: the bank's name and the number's last four digits. */
export const FundBankAccountView = z.object({ bank: z.string(), last4: z.string() }).openapi("FundBankAccount", {
  description: "The fund's own bank account, linked by PUT …/funds/{fund}/bank-account",
});

/** The linked accounts of some funds, by fund id: one batch read. */
export async function fundBankAccounts(journal: LedgerJournal, book: string, fundIds: readonly string[]) {
  const loaded = await journal.entities(book, fundIds.map(fundBankAccountRef));
  const views = new Map<string, z.infer<typeof FundBankAccountView>>();
  for (const fundId of fundIds) {
    const record = loaded.get(fundBankAccountRef(fundId)) as FundBankAccountRecord | null | undefined;
    if (record) views.set(fundId, { bank: record.bank, last4: record.last4 });
  }
  return views;
}

const putRoute = operation(
  {
    method: "put",
    path: "/books/{book}/funds/{fund}/bank-account",
    operationId: "setFundBankAccount",
    tags: ["Funds"],
    summary: "Link a fund to its own bank account, or replace the link",
    description:
      "The federation's own account, not personal data; it is kept as a beneficiary's is all the same: sealed " +
      "with the deployment's data key in the registry, and journalled as a FundBankAccountSet entry with the " +
      "number's last four digits and a keyed hash. The fund's view shows the bank and the last four digits. A bank " +
      "statement of the fund must then be of this account: one naming another (accountLast4) is refused " +
      "(bank-account-mismatch), one naming none is taken as of it.",
    ...guarded("registry"),
    request: { params: FundParams, headers: IdempotencyHeaders, ...jsonBody(NewFundBankAccount) },
    responses: entryCreated,
  },
  { commands: ["set-fund-bank-account"] },
);

export const fundBankAccountsRoutes = new OpenAPIHono<AppEnv>().openapi(putRoute, async (c) => {
  const { book, fund } = c.req.valid("param");
  const account = c.req.valid("json");
  const { sealed, requestHash, idempotencyKey } = await sealAccount(c, book, account, fundAccountContext(book, fund));
  const command = { type: "set-fund-bank-account" as const, fundId: fund, bank: account.bank, ...sealed };
  const { events } = await appendCommand(c, book, command, { idempotencyKey, requestHash });
  const entry = oneEntry(events);
  c.header("Location", `/v1/books/${book}/entries/${entry.seq}`);
  return c.json(entry, 201);
});
