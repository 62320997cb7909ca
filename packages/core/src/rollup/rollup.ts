import { z } from "zod";
import { fingerprint } from "../canonical.ts";
import { BookId, Period } from "../ids.ts";
import type { JournalEvent } from "../journal-event.ts";
import { ProposalMade } from "../ledger/events.ts";
import { proposalOf } from "../ledger/proposal.ts";
import { BookCurrency, StoredAmount } from "../ledger/vocabulary.ts";
import { CURRENCIES, type CurrencyCode, formatAmount, type Minor, readSignedAmount } from "../money.ts";
import { monthIndex, parsePeriod } from "../period.ts";
import { decodePostings, fundOf, type StoredPosting } from "../postings.ts";
import { add, type FundMovements, noMovements, noPayments, type ProgramTally, type Tally } from "./tallies.ts";

const Amounts = z.record(z.string(), StoredAmount);
const Counts = z.record(z.string(), z.int().nonnegative());

export const FundFigures = z.strictObject({
  opening: StoredAmount,
  /**
   * The book's opening balance of the fund (期初余额), brought forward in this month: reports show
   * it as part of the opening balance, not as a movement. Left out of every other month (and of
   * rollups folded before opening balances existed), so that those fold to the same bytes as before.
   */
  broughtForward: StoredAmount.optional(),
  collections: Amounts,
  payouts: Amounts,
  transfersIn: StoredAmount,
  transfersOut: StoredAmount,
  returns: StoredAmount,
  /** The net effect on the fund of reversals recorded this month (signed). */
  reversals: StoredAmount,
  closing: StoredAmount,
  /**
   * What proposals pending at the month's end reserve of the fund: in its closing balance, but
   * spoken for. Left out when nothing is, so that rollups folded before approvals existed, and
   * every month without a pending proposal, fold to the same bytes as they did.
   */
  reserved: StoredAmount.optional(),
});
export type FundFigures = z.infer<typeof FundFigures>;

const Undone = z.strictObject({ count: z.int().nonnegative(), amount: StoredAmount });

export const ProgramFigures = z.strictObject({
  fundId: z.string(),
  /** Payments made (gross), their count (person-times) and who received them. */
  paid: StoredAmount,
  payments: z.int().nonnegative(),
  beneficiaries: z.array(z.string()),
  reversed: Undone,
  returned: Undone,
});
export type ProgramFigures = z.infer<typeof ProgramFigures>;

export const AuditFigures = z.strictObject({
  auditsStarted: z.int().nonnegative(),
  auditsCompleted: z.array(z.string()),
  findingsOpened: z.int().nonnegative(),
  findingsByCategory: Counts,
  findingsBySeverity: Counts,
  findingsResolved: Counts,
  amountInQuestion: StoredAmount,
  amountRecovered: StoredAmount,
  amountReclassified: StoredAmount,
});
export type AuditFigures = z.infer<typeof AuditFigures>;

export const Correction = z.strictObject({
  seq: z.int().positive(),
  type: z.string(),
  entrySeq: z.int().positive(),
  entryOccurredOn: z.string(),
  amount: StoredAmount,
});
export type Correction = z.infer<typeof Correction>;

/**
 * A proposal pending at the month's end: the business date of the entry it would post and what it
 * reserves of each fund. The next month's fold starts from these, as it starts from the closing
 * balances, because a proposal may be voided a month or more after the date it carries.
 */
export const PendingFigures = z.strictObject({ on: z.string(), reserves: Amounts });
export type PendingFigures = z.infer<typeof PendingFigures>;

/**
 * The figures of one month (by business date), folded from that month's events. It keeps what
 * combining months needs: sums add up, but distinct beneficiaries over a year are a union, so a
 * rollup keeps each programme's beneficiary ids (sorted), not just their count.
 *
 * Amounts are decimal strings in the book's currency; counts are numbers. A rollup is JSON, so
 * that its fingerprint (rollupHash) is the fingerprint of exactly what is stored.
 *
 * A schema as well as a type: a month's close carries its rollup as a command, and a command
 * handed to another instance is parsed before it is decided.
 */
export const Rollup = z.strictObject({
  book: BookId,
  period: Period,
  currency: BookCurrency,
  events: z.int().nonnegative(),
  firstSeq: z.int().positive().nullable(),
  lastSeq: z.int().positive().nullable(),
  funds: z.record(z.string(), FundFigures),
  programs: z.record(z.string(), ProgramFigures),
  collections: z.strictObject({ bySource: Amounts, byUnit: Amounts }),
  audit: AuditFigures,
  /** Reversals and returns recorded this month that undo an entry of an earlier month. */
  corrections: z.array(Correction),
  /**
   * Proposals pending at the month's end, by proposal id: made (dated this month or carried from
   * the month before) and neither posted nor voided by an event of the month. A proposal is not
   * money: it moves no balance and counts in no programme's figures. Left out when none is, for
   * the same bytes as before (see FundFigures.reserved). A handful at a time, so the item stays small.
   */
  pending: z.record(z.string(), PendingFigures).optional(),
});
export type Rollup = z.infer<typeof Rollup>;

type FundTally = FundMovements & { opening: Minor; net: Minor; broughtForward: Minor };

/**
 * Folds a month's events, in seq order, into its rollup. `opening` is each fund's balance at the
 * start of the month (the previous month's closing), `pendingBefore` the proposals pending then
 * (the previous month's `pending`). Events of other months are refused: the caller streams exactly
 * the month's events, and a mistake here would corrupt a closed period.
 */
export function createRollupFold(
  book: string,
  period: string,
  currency: CurrencyCode,
  opening: Record<string, Minor>,
  pendingBefore: Readonly<Record<string, PendingFigures>> = {},
) {
  const unit = CURRENCIES[currency];
  const amount = (text: unknown) => readSignedAmount(String(text), unit);
  const funds = new Map<string, FundTally>();
  const fund = (id: string): FundTally => {
    let tally = funds.get(id);
    if (!tally) {
      tally = { ...noMovements(), opening: opening[id] ?? 0n, net: 0n, broughtForward: 0n };
      funds.set(id, tally);
    }
    return tally;
  };
  for (const id of Object.keys(opening)) fund(id);
  const programs = new Map<string, ProgramTally>();
  const program = (id: string, fundId: string) => {
    let tally = programs.get(id);
    if (!tally) {
      tally = noPayments(fundId);
      programs.set(id, tally);
    }
    return tally;
  };
  const bySource: Tally = new Map();
  const byUnit: Tally = new Map();
  const audit = {
    auditsStarted: 0,
    auditsCompleted: [] as string[],
    findingsOpened: 0,
    findingsByCategory: new Map<string, number>(),
    findingsBySeverity: new Map<string, number>(),
    findingsResolved: new Map<string, number>(),
    amountInQuestion: 0n,
    amountRecovered: 0n,
    amountReclassified: 0n,
  };
  const corrections: Correction[] = [];
  const pending = new Map(Object.entries(pendingBefore));
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let events = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;

  return {
    add(event: JournalEvent) {
      if (event.occurredOn.slice(0, 7) !== period) {
        throw new Error(`event ${event.seq} is dated ${event.occurredOn}, not in ${period}`);
      }
      events += 1;
      firstSeq ??= event.seq;
      lastSeq = event.seq;
      const payload = event.payload as Record<string, unknown>;
      const postings = Array.isArray(payload.postings) ? decodePostings(payload.postings as StoredPosting[], unit) : [];
      for (const posting of postings) {
        const fundId = fundOf(posting.account);
        if (fundId === undefined) continue;
        const tally = fund(fundId);
        tally.net += posting.amount;
        switch (event.type) {
          case "CollectionRecorded":
            add(tally.collections, String(payload.source), posting.amount);
            break;
          case "PayoutRecorded":
            add(tally.payouts, String(payload.programId), -posting.amount);
            break;
          case "TransferRecorded":
            if (posting.amount > 0n) tally.transfersIn += posting.amount;
            else tally.transfersOut -= posting.amount;
            break;
          case "PayoutReturned":
            tally.returns += posting.amount;
            break;
          case "EntryReversed":
            tally.reversals += posting.amount;
            break;
          case "OpeningBalancesRecorded":
            tally.broughtForward += posting.amount;
            break;
        }
      }
      trackPending(pending, event);
      switch (event.type) {
        case "CollectionRecorded":
          add(bySource, String(payload.source), amount(payload.amount));
          add(byUnit, typeof payload.unitId === "string" ? payload.unitId : "", amount(payload.amount));
          break;
        case "PayoutRecorded": {
          const tally = program(String(payload.programId), String(payload.fundId));
          tally.paid += amount(payload.amount);
          tally.payments += 1;
          tally.beneficiaries.add(String(payload.beneficiaryId));
          break;
        }
        case "EntryReversed":
        case "PayoutReturned": {
          if (typeof payload.programId === "string") {
            const fundId = postings.map((posting) => fundOf(posting.account)).find((id) => id !== undefined) ?? "";
            const tally = program(payload.programId, fundId);
            const which = event.type === "EntryReversed" ? tally.reversed : tally.returned;
            which[0] += 1;
            which[1] += amount(payload.amount);
          }
          const entryOccurredOn = String(payload.entryOccurredOn);
          // A correction of an earlier month, compared as month numbers (see period.ts).
          const corrected = parsePeriod(entryOccurredOn.slice(0, 7));
          if (corrected !== undefined && corrected < monthIndex(period)) {
            corrections.push({
              seq: event.seq,
              type: event.type,
              entrySeq: Number(payload.entrySeq),
              entryOccurredOn,
              amount: String(payload.amount),
            });
          }
          break;
        }
        case "AuditStarted":
          audit.auditsStarted += 1;
          break;
        case "AuditCompleted":
          audit.auditsCompleted.push(String(payload.auditId));
          break;
        case "FindingRecorded":
          audit.findingsOpened += 1;
          count(audit.findingsByCategory, String(payload.category));
          count(audit.findingsBySeverity, String(payload.severity));
          if (typeof payload.amountInQuestion === "string") audit.amountInQuestion += amount(payload.amountInQuestion);
          break;
        case "RectificationEvidenceSubmitted":
          if (typeof payload.amountRecovered === "string") audit.amountRecovered += amount(payload.amountRecovered);
          if (typeof payload.amountReclassified === "string")
            audit.amountReclassified += amount(payload.amountReclassified);
          break;
        case "FindingResolved":
          count(audit.findingsResolved, String(payload.outcome));
          break;
      }
    },

    result(): Rollup {
      const format = (minor: Minor) => formatAmount(minor, unit);
      const record = (tally: Tally) =>
        Object.fromEntries([...tally].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => [key, format(value)]));
      const counts = (map: Map<string, number>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
      const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
      const reserved: Tally = new Map();
      for (const { reserves } of pending.values()) {
        for (const [fundId, held] of Object.entries(reserves)) {
          fund(fundId);
          add(reserved, fundId, amount(held));
        }
      }
      const byId = [...pending].sort(([a], [b]) => Number(a) - Number(b));
      return {
        book,
        period,
        currency,
        events,
        firstSeq,
        lastSeq,
        funds: Object.fromEntries(
          sorted(funds).map(([id, tally]) => [
            id,
            {
              opening: format(tally.opening),
              ...(tally.broughtForward ? { broughtForward: format(tally.broughtForward) } : {}),
              collections: record(tally.collections),
              payouts: record(tally.payouts),
              transfersIn: format(tally.transfersIn),
              transfersOut: format(tally.transfersOut),
              returns: format(tally.returns),
              reversals: format(tally.reversals),
              closing: format(tally.opening + tally.net),
              ...(reserved.get(id) ? { reserved: format(reserved.get(id) as Minor) } : {}),
            },
          ]),
        ),
        programs: Object.fromEntries(
          sorted(programs).map(([id, tally]) => [
            id,
            {
              fundId: tally.fundId,
              paid: format(tally.paid),
              payments: tally.payments,
              beneficiaries: [...tally.beneficiaries].sort(),
              reversed: { count: tally.reversed[0], amount: format(tally.reversed[1]) },
              returned: { count: tally.returned[0], amount: format(tally.returned[1]) },
            },
          ]),
        ),
        collections: { bySource: record(bySource), byUnit: record(byUnit) },
        audit: {
          auditsStarted: audit.auditsStarted,
          auditsCompleted: [...audit.auditsCompleted].sort(),
          findingsOpened: audit.findingsOpened,
          findingsByCategory: counts(audit.findingsByCategory),
          findingsBySeverity: counts(audit.findingsBySeverity),
          findingsResolved: counts(audit.findingsResolved),
          amountInQuestion: format(audit.amountInQuestion),
          amountRecovered: format(audit.amountRecovered),
          amountReclassified: format(audit.amountReclassified),
        },
        corrections,
        ...(byId.length > 0 ? { pending: Object.fromEntries(byId) } : {}),
      };
    },
  };
}

/**
 * Keeps the pending proposals as events are read in seq order: ProposalMade adds one; the entry
 * that posts it (its payload names the proposal) or its ProposalVoided takes it away. An approval
 * that does not complete the policy changes nothing. Fed only the events dated up to a day, it
 * gives what was pending at that day's end (the month's fold, a fund's balance as of a date).
 */
export function trackPending(pending: Map<string, PendingFigures>, event: JournalEvent) {
  if (event.type === "ProposalApproved") return;
  if (event.type === "ProposalMade") {
    const made = ProposalMade.parse(event.payload);
    const reserves = Object.fromEntries(made.reserves.map(({ fundId, amount }) => [fundId, amount]));
    pending.set(String(made.proposalId), { on: event.occurredOn, reserves });
    return;
  }
  const id = proposalOf(event);
  if (id !== undefined) pending.delete(String(id));
}

const balances = (rollup: Rollup, which: "opening" | "closing"): Record<string, Minor> =>
  Object.fromEntries(
    Object.entries(rollup.funds).map(([id, figures]) => [
      id,
      readSignedAmount(figures[which], CURRENCIES[rollup.currency]),
    ]),
  );

/** Each fund's closing balance, as the next month's opening. */
export const closingBalances = (rollup: Rollup): Record<string, Minor> => balances(rollup, "closing");

/** The proposals pending at the month's end, as the next month's fold starts from them. */
export const pendingAtEnd = (rollup: Rollup): Record<string, PendingFigures> => rollup.pending ?? {};

/** Where a month's fold starts: each fund's balance and the proposals pending when the month before ended. */
export type MonthStart = {
  readonly opening: Record<string, Minor>;
  readonly pending: Readonly<Record<string, PendingFigures>>;
};

/** The start of a book's first month, or of one after a month that has no rollup. */
export const emptyStart = (): MonthStart => ({ opening: {}, pending: {} });

/** The start of the month after a rollup's: its closing balances and what it left pending. */
export const startAfter = (rollup: Rollup): MonthStart => ({
  opening: closingBalances(rollup),
  pending: pendingAtEnd(rollup),
});

/** Each fund's balance at the start of the month, as the rollup began from it. */
export const openingBalances = (rollup: Rollup): Record<string, Minor> => balances(rollup, "opening");

/** The fingerprint PeriodClosed records: the SHA-256 of the rollup's canonical JSON. */
export const rollupHash = (rollup: Rollup): string => fingerprint(rollup);
