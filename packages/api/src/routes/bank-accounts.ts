import { OpenAPIHono, z } from "@hono/zod-openapi";
import { type BankAccountRecord, bankAccountRef, fingerprint, Text } from "@relief-ledger/core";
import type { Context } from "hono";
import { accountContext, hashAccountNumber, isAccountNumber, normaliseAccountNumber } from "../bank-account.ts";
import type { AppEnv } from "../env.ts";
import type { BankAccountFields } from "../imports/validate.ts";
import { BookParams, entryCreated, guarded, Id, IdempotencyHeaders, jsonBody } from "./common.ts";
import { operation } from "./operation.ts";
import { appendCommand, idempotencyKeyOf, oneEntry, tryAppend } from "./record.ts";

const AccountParams = BookParams.extend({ id: Id.openapi({ param: { name: "id", in: "path" } }) });

/**
 * A bank account as the finance office enters it, a beneficiary's or a fund's own: the number is
 * normalised and checked here, and sealed before anything is stored (sealAccount).
 */
export const bankAccountBody = (examples: { bank: string; accountName: string; accountNumber: string }) =>
  z.strictObject({
    bank: Text(200).meta({ description: "The bank and branch (开户行)", example: examples.bank }),
    accountName: Text(200).meta({ description: "The account's name (户名)", example: examples.accountName }),
    accountNumber: z
      .string()
      .max(40)
      .transform(normaliseAccountNumber)
      .refine(isAccountNumber, "must be 8 to 30 digits (spaces and dashes are ignored)")
      .openapi({
        description: "The account number (账号); kept sealed, never logged or exported",
        example: examples.accountNumber,
      }),
  });

const NewBankAccount = bankAccountBody({
  bank: "中国农业银行巴中分行",
  accountName: "王秀英",
  accountNumber: "6228480000000001234",
}).openapi("NewBankAccount");

const DESCRIPTION =
  "The account (bank, name, number) is personal data: it is sealed field by field with the deployment's data " +
  "key and kept in the registry, never in the journal. The journal records a BankAccountSet entry with the " +
  "number's last four digits and a keyed hash, which tell accounts apart and stay when the account is erased. " +
  "Only the disbursement file (GET …/payout-batches/{id}/bank-file) ever carries the account again.";

const putRoute = operation(
  {
    method: "put",
    path: "/books/{book}/beneficiaries/{id}/bank-account",
    operationId: "setBankAccount",
    tags: ["Beneficiaries"],
    summary: "Put a beneficiary's bank account on file, or replace it",
    description: DESCRIPTION,
    ...guarded("registry"),
    request: { params: AccountParams, headers: IdempotencyHeaders, ...jsonBody(NewBankAccount) },
    responses: entryCreated,
  },
  { commands: ["set-bank-account"] },
);

const deleteRoute = operation(
  {
    method: "delete",
    path: "/books/{book}/beneficiaries/{id}/bank-account",
    operationId: "eraseBankAccount",
    tags: ["Beneficiaries"],
    summary: "Erase a beneficiary's bank account from the registry",
    description:
      "The sealed account is overwritten with a mark that holds nothing of it, and a BankAccountErased entry is " +
      "recorded. The journal's earlier entries keep their last four digits and keyed hash, so every entry, the " +
      "chain and the hashes of disbursement files already issued stay as they were.",
    ...guarded("registry"),
    request: { params: AccountParams, headers: IdempotencyHeaders },
    responses: entryCreated,
  },
  { commands: ["erase-bank-account"] },
);

/** The data key, which a deployment that keeps accounts must have (env.ts). */
export function dataKeyOf(c: Context<AppEnv>) {
  const { dataKey } = c.var.ledger;
  if (!dataKey) throw new Error("no data key is configured: bank accounts cannot be sealed or opened");
  return dataKey;
}

/**
 * An account as a set-…-account command carries it (last four digits, keyed hash, the sealed
 * fields), and the idempotency of the request that sent it: the key guards the account without its
 * number (its keyed hash, and the rest of the account hashed under the same key).
 */
export async function sealAccount(c: Context<AppEnv>, book: string, account: BankAccountFields, context: string) {
  const { idHashKey } = c.var.ledger;
  const accountHash = hashAccountNumber(idHashKey, book, account.accountNumber);
  const request = { accountHash, rest: hashAccountNumber(idHashKey, book, JSON.stringify(account)) };
  const requestHash = fingerprint({ path: c.req.path, caller: c.var.principal.sub, request });
  const idempotencyKey = idempotencyKeyOf(c, true, requestHash);
  const sealed = {
    last4: account.accountNumber.slice(-4),
    accountHash,
    sealed: await dataKeyOf(c).seal(account, context),
  };
  return { sealed, requestHash, idempotencyKey };
}

/** Accounts set at once: the journal groups concurrent appends to a book into shared transactions. */
const ACCOUNTS_AT_ONCE = 100;

/**
 * Puts a roster's bank accounts on file (routes/beneficiary-imports.ts), after its rows are
 * recorded: one set-bank-account each, under a key derived from the import's and the account's
 * keyed hash, so that a retry records none twice. An account already on file as it is (the same
 * keyed hash) is left alone, so importing the roster again records nothing; a row whose
 * beneficiary was refused has no one to hold its account, and is counted out. Returns how many
 * accounts were set.
 */
export async function setRosterAccounts(
  c: Context<AppEnv>,
  book: string,
  importKey: string,
  accounts: ReadonlyMap<string, BankAccountFields>,
): Promise<number> {
  if (accounts.size === 0) return 0;
  const { journal, idHashKey } = c.var.ledger;
  const dataKey = dataKeyOf(c);
  const onFile = await journal.entities(book, [...accounts.keys()].map(bankAccountRef));
  const pending = [...accounts].flatMap(([beneficiaryId, account]) => {
    const accountHash = hashAccountNumber(idHashKey, book, account.accountNumber);
    const current = onFile.get(bankAccountRef(beneficiaryId)) as BankAccountRecord | null | undefined;
    const same = current && "accountHash" in current && current.accountHash === accountHash;
    return same ? [] : [{ beneficiaryId, account, accountHash }];
  });
  let set = 0;
  for (let start = 0; start < pending.length; start += ACCOUNTS_AT_ONCE) {
    const wave = pending.slice(start, start + ACCOUNTS_AT_ONCE);
    const results = await Promise.all(
      wave.map(async ({ beneficiaryId, account, accountHash }) => {
        const command = {
          type: "set-bank-account" as const,
          beneficiaryId,
          last4: account.accountNumber.slice(-4),
          accountHash,
          sealed: await dataKey.seal(account, accountContext(book, beneficiaryId)),
        };
        const requestHash = fingerprint({ importKey, beneficiaryId, accountHash });
        return tryAppend(c, book, command, { idempotencyKey: `${importKey}#bank#${beneficiaryId}`, requestHash });
      }),
    );
    set += results.filter((result) => result.ok).length;
  }
  return set;
}

export const bankAccountsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(putRoute, async (c) => {
    const { book, id } = c.req.valid("param");
    const { sealed, requestHash, idempotencyKey } = await sealAccount(
      c,
      book,
      c.req.valid("json"),
      accountContext(book, id),
    );
    const command = { type: "set-bank-account" as const, beneficiaryId: id, ...sealed };
    const { events } = await appendCommand(c, book, command, { idempotencyKey, requestHash });
    const entry = oneEntry(events);
    c.header("Location", `/v1/books/${book}/entries/${entry.seq}`);
    return c.json(entry, 201);
  })
  .openapi(deleteRoute, async (c) => {
    const { book, id } = c.req.valid("param");
    const requestHash = fingerprint({ path: c.req.path, caller: c.var.principal.sub, method: "DELETE" });
    const idempotencyKey = idempotencyKeyOf(c, true, requestHash);
    const command = { type: "erase-bank-account" as const, beneficiaryId: id };
    const { events } = await appendCommand(c, book, command, { idempotencyKey, requestHash });
    const entry = oneEntry(events);
    c.header("Location", `/v1/books/${book}/entries/${entry.seq}`);
    return c.json(entry, 201);
  });
