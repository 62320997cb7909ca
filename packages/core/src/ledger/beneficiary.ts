import type { EventFacts } from "../journal-event.ts";
import { CURRENCIES, type CurrencyCode, type Minor, readSignedAmount } from "../money.ts";
import {
  type BatchLine,
  BeneficiaryRegistered,
  EntryReversed,
  HardshipFileClosed,
  HardshipFileOpened,
  HardshipFileReviewed,
  PayoutBatchChunkRecorded,
  PayoutRecorded,
  PayoutReturned,
  ProposalMade,
  ProposalVoided,
} from "./events.ts";
import type { BeneficiaryKind, HardshipTier } from "./vocabulary.ts";

export type HardshipFile = {
  readonly tier: HardshipTier;
  readonly cause: string;
  readonly openedOn: string;
  readonly validUntil: string;
  readonly reviewedOn?: string;
  readonly closedOn?: string;
  readonly closeReason?: string;
};

/** Count and amount (integer minor units, as a string) paid to one beneficiary by one programme in one year. */
export type Totals = { readonly count: number; readonly amount: string };

/**
 * One beneficiary as the ledger keeps it between events: a projection of the journal, stored in
 * an item of its own (thousands of households would not fit the book head) and rewritten in the
 * same transaction as every event that changes it. `evolveBeneficiary` is the one way it
 * changes, so a replay of the journal rebuilds it exactly.
 */
export type BeneficiaryRecord = {
  readonly id: string;
  readonly kind: BeneficiaryKind;
  readonly name: string;
  readonly idNumberHash?: string;
  readonly unitId?: string;
  readonly householdId?: string;
  readonly tags?: readonly string[];
  readonly registeredOn: string;
  /** Hardship files (困难职工档案), oldest first; at most the last one is open. */
  readonly files: readonly HardshipFile[];
  /** Keyed `${programId}|${year}`: what the per-beneficiary caps are checked against. */
  readonly totals: Readonly<Record<string, Totals>>;
  /**
   * Payouts proposed to this beneficiary and not yet posted or voided, keyed like `totals`: the
   * caps count them, so that two proposals cannot together exceed one. Absent from records
   * stored before approvals.
   */
  readonly pending?: Readonly<Record<string, Totals>>;
};

export const beneficiaryRef = (id: string) => `beneficiary/${id}`;
export const entryRef = (seq: number) => `event/${seq}`;
/**
 * A uniqueness claim, loaded like an entity: `{ owner }`, or null when the value is free. Read-only:
 * claims are written by the store beside the events that make them (ClaimRequest).
 */
export const claimRef = (kind: string, value: string) => `claim/${kind}/${value}`;

/** The beneficiary records among the entities loaded for a decision; undefined for one that does not exist. */
export const recordsIn =
  (entities: (ref: string) => unknown) =>
  (id: string): BeneficiaryRecord | undefined =>
    (entities(beneficiaryRef(id)) ?? undefined) as BeneficiaryRecord | undefined;

export const totalsKey = (programId: string, date: string) => `${programId}|${date.slice(0, 4)}`;

export const currentFile = (record: BeneficiaryRecord): HardshipFile | undefined => {
  const last = record.files[record.files.length - 1];
  return last && last.closedOn === undefined ? last : undefined;
};

/** Whether a hardship file covered the date: opened on or before it, valid through it, not closed by it. */
export const hasFileOn = (record: BeneficiaryRecord, date: string): boolean =>
  record.files.some(
    (file) => file.openedOn <= date && date <= file.validUntil && (file.closedOn === undefined || date < file.closedOn),
  );

const plus = (before: Totals | undefined, count: number, minor: bigint): Totals => ({
  count: (before?.count ?? 0) + count,
  amount: (BigInt(before?.amount ?? "0") + minor).toString(),
});

const addTotals = (record: BeneficiaryRecord, key: string, count: number, minor: bigint): BeneficiaryRecord => ({
  ...record,
  totals: { ...record.totals, [key]: plus(record.totals[key], count, minor) },
});

const addPending = (record: BeneficiaryRecord, key: string, count: number, minor: bigint): BeneficiaryRecord => {
  const { [key]: before, ...others } = record.pending ?? {};
  const next = plus(before, count, minor);
  // A key with nothing pending is dropped, so that a record with no proposals reads as before.
  const pending = next.count === 0 ? others : { ...others, [key]: next };
  return { ...record, pending };
};

/** What a beneficiary was paid, and has pending, from a programme in the year of a date. */
export const paidAndPending = (record: BeneficiaryRecord, programId: string, date: string): Totals => {
  const key = totalsKey(programId, date);
  return plus(record.totals[key], record.pending?.[key]?.count ?? 0, BigInt(record.pending?.[key]?.amount ?? "0"));
};

const replaceLastFile = (record: BeneficiaryRecord, change: Partial<HardshipFile>): BeneficiaryRecord => {
  const files = [...record.files];
  const last = files.pop();
  return last ? { ...record, files: [...files, { ...last, ...change }] } : record;
};

/** How one event changes the beneficiary it concerns; events about others leave it alone. */
export function evolveBeneficiary(
  record: BeneficiaryRecord | undefined,
  event: EventFacts,
  currency: CurrencyCode,
): BeneficiaryRecord | undefined {
  const minor = (amount: string) => readSignedAmount(amount, CURRENCIES[currency]);
  switch (event.type) {
    case "BeneficiaryRegistered": {
      const { beneficiaryId, ...profile } = BeneficiaryRegistered.parse(event.payload);
      return { id: beneficiaryId, ...profile, registeredOn: event.occurredOn, files: [], totals: {} };
    }
    case "HardshipFileOpened": {
      if (!record) return record;
      const { beneficiaryId: _, ...file } = HardshipFileOpened.parse(event.payload);
      return { ...record, files: [...record.files, file] };
    }
    case "HardshipFileReviewed": {
      if (!record) return record;
      const { reviewedOn, validUntil, tier } = HardshipFileReviewed.parse(event.payload);
      return replaceLastFile(record, { reviewedOn, validUntil, ...(tier ? { tier } : {}) });
    }
    case "HardshipFileClosed": {
      if (!record) return record;
      const { closedOn, reason } = HardshipFileClosed.parse(event.payload);
      return replaceLastFile(record, { closedOn, closeReason: reason });
    }
    case "PayoutRecorded": {
      if (!record) return record;
      const payout = PayoutRecorded.parse(event.payload);
      const key = totalsKey(payout.programId, event.occurredOn);
      const paid = addTotals(record, key, 1, minor(payout.amount));
      // Posted by approval: what was pending is now paid.
      return payout.proposal ? addPending(paid, key, -1, -minor(payout.amount)) : paid;
    }
    case "ProposalMade": {
      const { kind, programId, amount, lines } = ProposalMade.parse(event.payload);
      if (!record || !programId) return record;
      const key = totalsKey(programId, event.occurredOn);
      if (lines) return addLines(record, key, lines, 1, minor);
      return kind === "payout" ? addPending(record, key, 1, minor(amount)) : record;
    }
    case "ProposalVoided": {
      const { programId, amount, proposedOn, lines } = ProposalVoided.parse(event.payload);
      if (!record || !programId) return record;
      const key = totalsKey(programId, proposedOn);
      if (lines) return addLines(record, key, lines, -1, minor);
      return addPending(record, key, -1, -minor(amount));
    }
    case "PayoutBatchChunkRecorded": {
      // Posted by approval: the proposed lines it did not pay are pending no more.
      const { programId, unpaid } = PayoutBatchChunkRecorded.parse(event.payload);
      if (!record || !unpaid) return record;
      return addLines(record, totalsKey(programId, event.occurredOn), unpaid, -1, minor);
    }
    case "EntryReversed":
    case "PayoutReturned": {
      if (!record) return record;
      const undo =
        event.type === "EntryReversed" ? EntryReversed.parse(event.payload) : PayoutReturned.parse(event.payload);
      if (!undo.programId || !undo.beneficiaryId) return record;
      // The entitlement is freed in the year of the payout it undoes.
      return addTotals(record, totalsKey(undo.programId, undo.entryOccurredOn), -1, -minor(undo.amount));
    }
    default:
      return record;
  }
}

/** A batch chunk's lines of this beneficiary, pending (+1) or pending no more (-1). */
function addLines(
  record: BeneficiaryRecord,
  key: string,
  lines: readonly BatchLine[],
  sign: 1 | -1,
  minor: (amount: string) => Minor,
): BeneficiaryRecord {
  const own = lines.filter(({ beneficiaryId }) => beneficiaryId === record.id);
  if (own.length === 0) return record;
  const amount = own.reduce((sum, line) => sum + minor(line.amount), 0n);
  return addPending(record, key, sign * own.length, BigInt(sign) * amount);
}

/** The beneficiary an event concerns, if any: the record to rewrite when it is appended. */
export const beneficiaryOf = (event: {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}): string | undefined => {
  const id = event.payload.beneficiaryId;
  return typeof id === "string" ? id : undefined;
};

/**
 * Every beneficiary an event concerns: its one, or the payees of a batch chunk's lines that a
 * proposal holds back, a void releases, or a posting leaves unpaid.
 */
export const beneficiariesOf = (event: {
  readonly type: string;
  readonly payload: Record<string, unknown>;
}): string[] => {
  const { lines, unpaid } = event.payload as { lines?: unknown; unpaid?: unknown };
  const listed =
    event.type === "PayoutBatchChunkRecorded" ? unpaid : event.type.startsWith("Proposal") ? lines : undefined;
  if (Array.isArray(listed)) return [...new Set(listed.map((line) => String((line as BatchLine).beneficiaryId)))];
  const one = beneficiaryOf(event);
  return one === undefined ? [] : [one];
};
