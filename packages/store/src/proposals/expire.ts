import { type Actor, type DomainError, localDate, ProposalVoided } from "@relief-ledger/core";
import { isPending } from "../append-types.ts";
import { type LedgerJournal, ledgerAppend } from "../ledger-journal.ts";

/** The daily expiry acts as the system role, as the monthly close does. */
export const EXPIRY_ACTOR: Actor = { sub: "proposal-expiry", role: "system" };

/** What the daily expiry did to one book. */
export type ExpiryResult = {
  readonly book: string;
  /** Today in the book's time zone: the date the expiries are recorded on, and their keys carry. */
  readonly on: string;
  /** How many proposals this run voided as expired (a rerun's replayed rounds are not counted). */
  readonly expired: number;
  /** Those proposals, by id, in the order they were voided. */
  readonly proposalIds: readonly number[];
  /** The ProposalVoided entries this run recorded, by seq. */
  readonly seqs: readonly number[];
  /** Why the book was left before nothing more had expired: refused, or still pending after a handoff. */
  readonly error?: DomainError;
};

/**
 * The key of one round of a book's expiry on a day. A rerun the same day (EventBridge delivering
 * twice, Lambda's retry, the local scheduler) replays the rounds already recorded under these keys
 * instead of deciding them again, and only its first new round is decided afresh.
 */
export const expiryKey = (book: string, on: string, round: number): string => `expire-proposals/${book}/${on}/${round}`;

/**
 * Expires one book's proposals: appends expire-proposals until a round records nothing. Each round
 * voids at most core's EXPIRE_AT_ONCE (25) proposals, because one transaction holds at most 100
 * items and each void writes three (its event, the proposal's item, its payee's record), so a
 * backlog takes several rounds.
 */
export async function expireBookProposals(
  journal: LedgerJournal,
  book: string,
  options: { clock?: () => Date } = {},
): Promise<ExpiryResult> {
  const clock = options.clock ?? (() => new Date());
  const { state } = await journal.head(book);
  const on = localDate(state.book?.timeZone ?? "Asia/Shanghai", clock());
  const proposalIds: number[] = [];
  const seqs: number[] = [];
  const done = (error?: DomainError): ExpiryResult => ({
    book,
    on,
    expired: proposalIds.length,
    proposalIds,
    seqs,
    ...(error ? { error } : {}),
  });
  if (!state.book) return done();
  // Every fresh round that records something voids at least one of the proposals pending now (none
  // made today can have expired today): this bounds the fresh rounds even if something misbehaves.
  const freshRounds = Object.keys(state.pending ?? {}).length + 1;
  let fresh = 0;
  for (let round = 1; fresh < freshRounds; round++) {
    const command = ledgerAppend(
      book,
      { type: "expire-proposals" },
      { idempotencyKey: expiryKey(book, on, round), actor: EXPIRY_ACTOR, clock },
    );
    const result = await journal.append(book, command);
    if (isPending(result) || !result.ok) return done(result.error);
    const { events, replayed } = result.value;
    if (events.length === 0) break;
    if (replayed) continue;
    fresh++;
    for (const event of events) {
      proposalIds.push(ProposalVoided.parse(event.payload).proposalId);
      seqs.push(event.seq);
    }
  }
  return done();
}

/**
 * The daily job, for the AWS cron, the CLI and `npm start` alike: every book's proposals older than
 * its approvalTtlDays are voided as expired, which releases what they reserved. Safe to run any
 * number of times a day; a book refused or left pending does not stop the others.
 */
export async function expireProposals(
  journal: LedgerJournal,
  options: { clock?: () => Date } = {},
): Promise<ExpiryResult[]> {
  const results: ExpiryResult[] = [];
  for (const { id } of await journal.books()) results.push(await expireBookProposals(journal, id, options));
  return results;
}

/** One line for a book that expired something or was left with an error, for a log; undefined otherwise. */
export const describeExpiry = (result: ExpiryResult): string | undefined =>
  result.error
    ? `proposal expiry: ${result.book}: ${result.error.code}: ${result.error.message}`
    : result.expired > 0
      ? `proposal expiry: ${result.book}: ${result.expired} proposal(s) expired on ${result.on}, ids ${result.proposalIds.join(", ")}`
      : undefined;
