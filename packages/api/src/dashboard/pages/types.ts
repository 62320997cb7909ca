import type { FundLine, ProgrammeLine } from "@relief-ledger/core";

/** The shapes of the API's answers the dashboard reads (see packages/api/src/routes). */
export type BookView = {
  id: string;
  name: string;
  currency: string;
  timeZone: string;
  headSeq: number;
  headHash: string;
  closedThrough: string | null;
  /** Present while the book is loaded behind the server (the local demo). */
  loading?: { done: number; total: number; percent: number };
};

/** A fund now: its balance, what proposals awaiting approval reserve of it, and the rest (available). */
export type FundView = {
  id: string;
  name: string;
  restricted: boolean;
  balance: string;
  reserved: string;
  available: string;
  purpose?: string;
  /** The fund's own account (PUT …/funds/{fund}/bank-account): its bank and last four digits only. */
  bankAccount?: { bank: string; last4: string };
};

export type Entry = {
  seq: number;
  type: string;
  occurredOn: string;
  recordedAt: string;
  actor: { sub: string; role: string };
  idempotencyKey: string;
  /** The request that recorded it (X-Request-Id), for its log line; absent on older entries. */
  requestId?: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

export type EntriesPage = { entries: Entry[]; nextCursor?: string };

export type AuditReport = {
  year: string;
  target: number | null;
  completed: number;
  started: number;
  findings: {
    recorded: number;
    open: number;
    overdue: number;
    resolved: number;
    amountInQuestion: string;
    amountRecovered: string;
  };
};

export type AnnualReport = {
  year: string;
  closedThrough: string | null;
  programmes: ProgrammeLine[];
  funds: FundLine[];
  audit: AuditReport;
  /** The year's months not closed yet: their figures may still change. Absent from a frozen year. */
  provisional?: string[];
  /** A closed year, served as its December's close froze it. */
  frozen?: { annualReportHash: string };
};

export type Finding = {
  id: string;
  unitId: string;
  category: string;
  severity: string;
  status: string;
  description: string;
  amountInQuestion?: string;
  currentDueBy?: string;
  overdue: boolean;
};

export type Named = { id: string; name: string };

/** The totals of a filtered journal list (GET …/entries/totals). */
export type EntryTotals = { count: number; currency: string; amounts: { in: string; out: string; net: string } };
