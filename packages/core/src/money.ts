import { err, ok, type Result } from "./result.ts";

/**
 * Money is held as integer minor units (fen for CNY) in a bigint, and travels as a decimal
 * string with exactly the currency's minor digits ("1051100.00"). It is never a float.
 */
export type Minor = bigint;

export type Currency = { readonly code: string; readonly digits: number };

/** The currencies a book may keep. A union federation in mainland China keeps CNY. */
export const CURRENCIES = {
  CNY: { code: "CNY", digits: 2 },
} as const satisfies Record<string, Currency>;

export type CurrencyCode = keyof typeof CURRENCIES;

/**
 * The largest amount one entry may carry: 9,999,999,999.99 yuan. Far above any relief
 * payment or grant, low enough that a typo of several extra digits is refused, and small
 * enough that sums of millions of entries stay exact (bigint has no ceiling anyway).
 */
export const MAX_ENTRY_MINOR = 999_999_999_999n;

export type AmountError = {
  readonly code: "invalid-amount";
  readonly reason: "format" | "too-many-decimals" | "not-positive" | "too-large";
  readonly message: string;
};

const amountError = (reason: AmountError["reason"], message: string): AmountError => ({
  code: "invalid-amount",
  reason,
  message,
});

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Parses a positive entry amount. Refuses signs, exponents, spaces, leading zeros, more
 * decimals than the currency has, zero, and anything above MAX_ENTRY_MINOR.
 */
export function parseAmount(text: string, currency: Currency): Result<Minor, AmountError> {
  // Checked before the regex so that a megabyte of digits costs nothing.
  if (text.length > 32) return err(amountError("too-large", "amount is too long"));
  const match = DECIMAL.exec(text);
  if (!match) {
    return err(amountError("format", `amount must be a decimal string like "1051100.00"`));
  }
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > currency.digits) {
    return err(amountError("too-many-decimals", `${currency.code} amounts have at most ${currency.digits} decimals`));
  }
  const minor = BigInt(whole) * 10n ** BigInt(currency.digits) + BigInt(fraction.padEnd(currency.digits, "0") || "0");
  if (minor <= 0n) return err(amountError("not-positive", "amount must be greater than zero"));
  if (minor > MAX_ENTRY_MINOR) {
    return err(amountError("too-large", `amount must not exceed ${formatAmount(MAX_ENTRY_MINOR, currency)}`));
  }
  return ok(minor);
}

/** Formats minor units as a decimal string with exactly the currency's digits; keeps the sign. */
export function formatAmount(minor: Minor, currency: Currency): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(currency.digits + 1, "0");
  const cut = digits.length - currency.digits;
  const text = currency.digits === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return negative ? `-${text}` : text;
}

/**
 * Reads a signed amount that this program wrote itself (journal postings, balances). Stricter
 * than parseAmount about nothing but sign and size: it must round-trip formatAmount exactly.
 */
export function readSignedAmount(text: string, currency: Currency): Minor {
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const match = DECIMAL.exec(body);
  const fraction = match?.[2] ?? "";
  if (!match || fraction.length !== currency.digits) {
    throw new Error(`not a ${currency.code} amount written by the ledger: ${JSON.stringify(text)}`);
  }
  const minor = BigInt(match[1] ?? "0") * 10n ** BigInt(currency.digits) + BigInt(fraction || "0");
  return negative ? -minor : minor;
}

export const sumMinor = (values: Iterable<Minor>): Minor => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};
