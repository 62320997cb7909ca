import { createHmac } from "node:crypto";

/** Spaces and dashes dropped: one account, one spelling, one hash. */
export const normaliseAccountNumber = (text: string): string => text.replace(/[\s-]/g, "");

/** A bank account number as Chinese banks issue them: 8 to 30 digits (a card is 16–19). */
export const isAccountNumber = (text: string): boolean => /^\d{8,30}$/.test(text);

/**
 * The keyed hash the journal keeps instead of an account number: HMAC-SHA256 under a key derived
 * per book from the deployment's ID-hash key (the API's id-number.ts), under a label of its own,
 * so that an account's hash never equals an ID number's. Without the key nobody can test a
 * guessed number.
 */
export function hashAccountNumber(idHashKey: string, book: string, accountNumber: string): string {
  const bookKey = createHmac("sha256", idHashKey).update(`relief-ledger/bank-account/${book}`).digest();
  return createHmac("sha256", bookKey).update(normaliseAccountNumber(accountNumber)).digest("hex");
}

/** What a sealed account is bound to: its book and beneficiary (the data key's context). */
export const accountContext = (book: string, beneficiaryId: string) => `bank-account/${book}/${beneficiaryId}`;

/** What a fund's sealed account is bound to: its book and fund, apart from any beneficiary's. */
export const fundAccountContext = (book: string, fundId: string) => `fund-bank-account/${book}/${fundId}`;
