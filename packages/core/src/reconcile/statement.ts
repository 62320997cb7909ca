import { z } from "zod";
import { fingerprint } from "../canonical.ts";
import { BusinessDate, FundId, Period } from "../ids.ts";
import { BankDirection, BankMatchRule, StoredAmount } from "../ledger/vocabulary.ts";
import { type Currency, type Minor, parseAmount, readSignedAmount } from "../money.ts";
import type { BankLine } from "./match.ts";

/**
 * A fund's bank statement of a month, as kept beside the journal in the state table. Two items:
 * - `bank-statement/<fund>/<period>`: its figures and its matches, rewritten as finance confirms or
 *   undoes a match (a few dozen KB at most);
 * - `bank-lines/<fund>/<period>`: its lines, counterparties included, written once (under 300 KB:
 *   MAX_STATEMENT_LINES). The journal never holds them (BankStatementRecorded).
 */
export const statementRef = (fundId: string, period: string) => `bank-statement/${fundId}/${period}`;
export const statementLinesRef = (fundId: string, period: string) => `bank-lines/${fundId}/${period}`;

/**
 * The months of a fund's recorded statements, `bank-statements/<fund>`: what lists them. An
 * outstanding item is carried from month to month, so recording a statement and reconciling a
 * month read every statement of the fund before it. They are read by key through this list (a
 * dozen a year, a few bytes each), not from an index: decide reads by key only, and an index may
 * lag the write it follows.
 */
export const fundStatementsRef = (fundId: string) => `bank-statements/${fundId}`;

export const FundStatements = z.strictObject({ fundId: FundId, periods: z.array(Period) });
export type FundStatements = z.infer<typeof FundStatements>;

export const MatchState = z.strictObject({
  line: z.int().positive(),
  entrySeq: z.int().positive(),
  rule: BankMatchRule,
  /** The seq of the BankLinesMatched that made it. */
  matchedSeq: z.int().positive(),
  /** The seq of the BankMatchConfirmed, once finance confirmed it. */
  confirmedSeq: z.int().positive().optional(),
});
export type MatchState = z.infer<typeof MatchState>;

export const UndoneMatch = z.strictObject({
  line: z.int().positive(),
  entrySeq: z.int().positive(),
  rule: BankMatchRule,
  reason: z.string(),
  undoneSeq: z.int().positive(),
});
export type UndoneMatch = z.infer<typeof UndoneMatch>;

export const StatementRecord = z.strictObject({
  fundId: FundId,
  period: Period,
  statementHash: z.string(),
  openingBalance: StoredAmount,
  closingBalance: StoredAmount,
  accountLast4: z.string().optional(),
  toleranceDays: z.int().nonnegative(),
  lineCount: z.int().nonnegative(),
  totalIn: StoredAmount,
  totalOut: StoredAmount,
  recordedSeq: z.int().positive(),
  matches: z.array(MatchState),
  undone: z.array(UndoneMatch),
});
export type StatementRecord = z.infer<typeof StatementRecord>;

export const StoredLine = z.strictObject({
  line: z.int().positive(),
  date: BusinessDate,
  amount: StoredAmount,
  direction: BankDirection,
  counterparty: z.string().optional(),
  counterpartyLast4: z.string().optional(),
  reference: z.string().optional(),
});
export type StoredLine = z.infer<typeof StoredLine>;

export const StatementLines = z.strictObject({ fundId: FundId, period: Period, lines: z.array(StoredLine) });
export type StatementLines = z.infer<typeof StatementLines>;

/**
 * A balance as a statement prints it: zero and negative (an overdraft) allowed, otherwise written
 * as an entry amount is. Undefined when it is not an amount.
 */
export function parseBalance(text: string, currency: Currency): Minor | undefined {
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  if (/^0(\.0+)?$/.test(body)) return body.length - 2 > currency.digits ? undefined : 0n;
  const parsed = parseAmount(body, currency);
  if (!parsed.ok) return undefined;
  return negative ? -parsed.value : parsed.value;
}

/** A stored line as matching reads it; `period` when it is an earlier statement's line carried forward. */
export const bankLineOf = (line: StoredLine & { readonly period?: string }, currency: Currency): BankLine => ({
  ...(line.period !== undefined ? { period: line.period } : {}),
  line: line.line,
  date: line.date,
  amount: readSignedAmount(line.amount, currency),
  direction: line.direction,
  ...(line.reference !== undefined ? { reference: line.reference } : {}),
});

/**
 * A statement's fingerprint: its fund, month, balances and lines as stored (amounts normalised),
 * so that the same statement sent again, however its amounts were written, is known as itself.
 */
export const statementHash = (statement: {
  readonly fundId: string;
  readonly period: string;
  readonly openingBalance: string;
  readonly closingBalance: string;
  readonly accountLast4?: string;
  readonly lines: readonly StoredLine[];
}): string => fingerprint(statement);
