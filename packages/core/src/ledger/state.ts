import type { CurrencyCode, Minor } from "../money.ts";
import type { ClosePolicy, PaymentMethod, UnitKind } from "./vocabulary.ts";

export type BookInfo = {
  readonly id: string;
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly timeZone: string;
  /** The business date of BookOpened: the first period to close is its month. */
  readonly openedOn?: string;
};

/**
 * What the monthly rollup needs to find an open month's events without reading the whole book:
 * the first and last seq recorded with a business date in that month, and how many there are.
 * Only open months are kept (a handful), so the head stays small.
 */
export type OpenMonth = { readonly firstSeq: number; readonly lastSeq: number; readonly count: number };

export type FundState = {
  readonly name: string;
  readonly restricted: boolean;
  readonly purpose?: string;
  readonly balance: Minor;
};

/**
 * One rule of an approval policy: an amount above `over` needs `levels` approvals, from as many
 * different people. The strictest rule an amount passes applies.
 */
export type ApprovalRule = { readonly over: Minor; readonly levels: number };

/**
 * A proposal awaiting approval, as the head keeps it: what it reserves of each fund it would take
 * money from, and what closing a month (its business date, `on`) and expiring it (`madeOn`, the
 * day it was made) need, without reading the proposal's own item. A payout names its programme
 * and payee, whose budget and caps it counts against.
 */
export type PendingProposal = {
  readonly on: string;
  readonly madeOn: string;
  readonly amount: Minor;
  readonly reserves: Readonly<Record<string, Minor>>;
  readonly programId?: string;
  readonly beneficiaryId?: string;
};

export type UnitState = { readonly name: string; readonly kind: UnitKind };

export type ProgramState = {
  readonly name: string;
  readonly fundId: string;
  readonly budget?: Minor;
  readonly requiresHardshipFile: boolean;
  readonly methods?: readonly PaymentMethod[];
  readonly cap?: {
    readonly perPayment?: Minor;
    readonly perBeneficiaryPerYear?: { readonly count?: number; readonly amount?: Minor };
  };
  readonly closed: boolean;
  /** Paid out net of reversals and returns: what the budget is measured against. */
  readonly paid: Minor;
  /** The approvals its payouts need; absent, they are paid at once. Absent from heads stored before approvals. */
  readonly approvals?: readonly ApprovalRule[];
};

/**
 * What a command is decided against: the book, its funds, units and programmes. It lives in the
 * book's head item, so it must stay well under DynamoDB's 400 KB item limit: funds, units and
 * programmes number in the dozens or hundreds; beneficiaries (thousands of households) live in
 * items of their own (see beneficiary.ts), never here.
 */
export type BookState = {
  readonly book: BookInfo | null;
  readonly funds: Readonly<Record<string, FundState>>;
  readonly units: Readonly<Record<string, UnitState>>;
  readonly programs: Readonly<Record<string, ProgramState>>;
  /** The last closed period (YYYY-MM): business dates up to its end are refused. */
  readonly closedThrough: string | null;
  /**
   * The fund-audit committee's target per year ("2010" → 5 units), the latest plan winning. A
   * handful of numbers, so it rides in the head. Absent until the first plan: heads stored before
   * audits existed decode without it.
   */
  readonly auditPlans?: Readonly<Record<string, number>>;
  /**
   * The earliest month with an event: the first to close. New entries cannot predate the book's
   * opening (before-book-opened), but books stored before that rule may have some, and close from them.
   */
  readonly firstMonth?: string;
  /** Open months (YYYY-MM) that have events; see OpenMonth. */
  readonly openMonths?: Readonly<Record<string, OpenMonth>>;
  /** The approvals the book's transfers and reversals need; absent, they are recorded at once. */
  readonly approvals?: readonly ApprovalRule[];
  /** Days a proposal may wait for approval before expire-proposals voids it; 30 when absent. */
  readonly approvalTtlDays?: number;
  /**
   * Proposals awaiting approval, by proposal id. Reserved totals are summed from these rather than
   * kept beside them, so the two cannot drift. They ride in the head because every money decision
   * counts them; the finance office keeps a handful pending at a time (a few hundred bytes each),
   * far below the 400 KB item limit, and expiry bounds how long they stay.
   */
  readonly pending?: Readonly<Record<string, PendingProposal>>;
  /** When the book's months close; absent, automatically 10 days after each ends (DEFAULT_CLOSE_POLICY). */
  readonly close?: ClosePolicy;
  /** Money has moved in the book (an entry with postings): opening balances can no longer come first. */
  readonly moneyMoved?: boolean;
  /** The seq of the book's opening balances (期初余额), once brought forward. */
  readonly openingSeq?: number;
};

export const initialState = (): BookState => ({ book: null, funds: {}, units: {}, programs: {}, closedThrough: null });

/**
 * The head item keeps the state as JSON: bigints are written as {"$bigint": "…"} and read back,
 * wherever they sit, so that a new bigint field needs no codec of its own.
 */
export const encodeState = (state: BookState): unknown => encodeBigints(state);
export const decodeState = (stored: unknown): BookState => decodeBigints(stored) as BookState;

const encodeBigints = (value: unknown): unknown => {
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (Array.isArray(value)) return value.map(encodeBigints);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, encodeBigints(member)]));
  }
  return value;
};

const decodeBigints = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(decodeBigints);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (typeof record.$bigint === "string" && Object.keys(record).length === 1) return BigInt(record.$bigint);
    return Object.fromEntries(Object.entries(record).map(([key, member]) => [key, decodeBigints(member)]));
  }
  return value;
};
