import { domainError } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { err } from "../result.ts";
import { type BeneficiaryRecord, beneficiaryRef, entryRef } from "./beneficiary.ts";
import type { CommandOf } from "./commands.ts";
import { returnPayout, undoRef } from "./decide-money.ts";
import {
  amountIn,
  checkBusinessDate,
  type DecideContext,
  type Decision,
  decided,
  type EntityWrite,
  formatIn,
} from "./decision.ts";
import type { BookInfo, BookState } from "./state.ts";
import type { SealedFields } from "./vocabulary.ts";

/** Where a beneficiary's sealed bank account is kept in the registry (the state table, never the journal). */
export const bankAccountRef = (beneficiaryId: string) => `bank-account/${beneficiaryId}`;

/** A bank account as the registry keeps it: sealed, or erased (nothing left of it but the journal's last4 and hash). */
export type BankAccountRecord =
  | { readonly sealed: SealedFields; readonly last4: string; readonly accountHash: string; readonly on: string }
  | { readonly erased: true; readonly on: string };

type Records = (id: string) => BeneficiaryRecord | undefined;

/**
 * Puts a beneficiary's account on file, or replaces it: the sealed fields go to the registry, the
 * journal records the last four digits and the keyed hash.
 */
export function setBankAccount(command: CommandOf<"set-bank-account">, records: Records, on: string): Decision {
  const { beneficiaryId, last4, accountHash, sealed } = command;
  if (!records(beneficiaryId)) {
    return err(domainError("beneficiary-not-found", `no beneficiary ${beneficiaryId} in this book`, { beneficiaryId }));
  }
  const record: BankAccountRecord = { sealed, last4, accountHash, on };
  return decided([{ type: "BankAccountSet", occurredOn: on, payload: { beneficiaryId, last4, accountHash } }], {
    writes: [{ ref: bankAccountRef(beneficiaryId), value: record }],
  });
}

/**
 * Erases a beneficiary's account from the registry: the sealed item is overwritten with a mark
 * that holds nothing of it. The journal's BankAccountSet entries keep their last4 and hash, so
 * every entry and the chain stay as they were.
 */
export function eraseBankAccount(command: CommandOf<"erase-bank-account">, ctx: DecideContext, on: string): Decision {
  const { beneficiaryId } = command;
  const current = ctx.entities(bankAccountRef(beneficiaryId)) as BankAccountRecord | null | undefined;
  if (!current || "erased" in current) {
    return err(
      domainError("bank-account-not-found", `beneficiary ${beneficiaryId} has no bank account on file`, {
        beneficiaryId,
      }),
    );
  }
  const erased: BankAccountRecord = { erased: true, on };
  return decided([{ type: "BankAccountErased", occurredOn: on, payload: { beneficiaryId } }], {
    writes: [{ ref: bankAccountRef(beneficiaryId), value: erased }],
  });
}

/** Where a fund's own bank account is kept in the registry: sealed as a beneficiary's, its bank's name in clear. */
export const fundBankAccountRef = (fundId: string) => `fund-bank-account/${fundId}`;

export type FundBankAccountRecord = {
  readonly bank: string;
  readonly sealed: SealedFields;
  readonly last4: string;
  readonly accountHash: string;
  readonly on: string;
};

/**
 * Links a fund to its bank account, or replaces the link: sealed in the registry, journalled as a
 * beneficiary's account is (last four digits and keyed hash). Its statements must then be of it.
 */
export function setFundBankAccount(
  command: CommandOf<"set-fund-bank-account">,
  state: BookState,
  on: string,
): Decision {
  const { fundId, bank, last4, accountHash, sealed } = command;
  if (!state.funds[fundId]) return err(domainError("fund-not-found", `no fund ${fundId}`, { fundId }));
  const record: FundBankAccountRecord = { bank, sealed, last4, accountHash, on };
  return decided([{ type: "FundBankAccountSet", occurredOn: on, payload: { fundId, last4, accountHash } }], {
    writes: [{ ref: fundBankAccountRef(fundId), value: record }],
  });
}

/** Journals that a batch's disbursement file was taken, and which file it was (its hash). */
export function issueBankFile(command: CommandOf<"issue-bank-file">, book: BookInfo, on: string): Decision {
  const amount = amountIn(book, command.amount);
  if (!amount.ok) return amount;
  const { batchId, format, layout, fileHash, lines } = command;
  return decided([
    {
      type: "BankFileIssued",
      occurredOn: on,
      payload: { batchId, format, layout, fileHash, lines, amount: formatIn(book, amount.value) },
    },
  ]);
}

/** What a result chunk reads: each failed line's payout, its undo mark and its payee. */
export const bankResultsReads = (command: CommandOf<"record-bank-results-chunk">, loaded: DecideContext["entities"]) =>
  command.failed.flatMap(({ seq }) => {
    const entry = loaded(entryRef(seq)) as { payload?: { beneficiaryId?: unknown } } | null | undefined;
    const payee = entry?.payload?.beneficiaryId;
    return [entryRef(seq), undoRef(seq), ...(typeof payee === "string" ? [beneficiaryRef(payee)] : [])];
  });

/**
 * One chunk of a bank's result file: each failed line is returned to its fund as POST
 * …/entries/{seq}/return does, each paid line is listed as settled. A failed line whose payout
 * was returned or reversed already, or that is no payout of this batch, is skipped with its
 * reason rather than returned twice; the date is the chunk's, checked once for all.
 */
export function recordBankResultsChunk(
  command: CommandOf<"record-bank-results-chunk">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { batchId, fileHash, chunk, returnedOn } = command;
  const date = checkBusinessDate(state, ctx, returnedOn);
  if (!date.ok) return date;
  const events: EventDraft[] = [];
  const writes: EntityWrite[] = [];
  const returned: { line: number; seq: number }[] = [];
  const skipped: { line: number; seq: number; code: string }[] = [];
  for (const { line, seq, reason } of command.failed) {
    const entry = ctx.entities(entryRef(seq)) as { payload?: { batchId?: unknown } } | null | undefined;
    if (entry && entry.payload?.batchId !== batchId) {
      skipped.push({ line, seq, code: "not-in-batch" });
      continue;
    }
    const done = returnPayout({ type: "return-payout", seq, returnedOn, reason }, state, book, ctx);
    if (!done.ok) {
      skipped.push({ line, seq, code: done.error.code });
      continue;
    }
    events.push(...done.value.events);
    writes.push(...done.value.writes);
    returned.push({ line, seq });
  }
  const paid = command.paid.map(({ line, seq }) => ({ line, seq }));
  events.push({
    type: "BankResultsRecorded",
    occurredOn: returnedOn,
    payload: { batchId, fileHash, chunk, paid, returned, skippedLines: skipped },
  });
  return decided(events, { writes });
}
