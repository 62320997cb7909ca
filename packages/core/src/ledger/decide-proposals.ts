import { type DomainError, domainError, type LineRefusal } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { CURRENCIES, type Minor, readSignedAmount } from "../money.ts";
import { decodePostings, fundOf, type StoredPosting } from "../postings.ts";
import { err, ok, type Result } from "../result.ts";
import { needsFor, policyIn, programPolicy } from "./approval.ts";
import { recordsIn } from "./beneficiary.ts";
import type { CommandOf } from "./commands.ts";
import { recordTransfer, reverseEntry } from "./decide-money.ts";
import { recordPayout, recordPayoutChunk } from "./decide-payouts.ts";
import { amountIn, type DecideContext, type Decision, decided, defined, formatIn } from "./decision.ts";
import { type BatchLine, type ProposalKind, ProposedRequest, type VoidReason } from "./events.ts";
import { evolve } from "./evolve.ts";
import { entityWrites } from "./projections.ts";
import { approversOf, type ProposalRecord, proposalRef } from "./proposal.ts";
import type { BookInfo, BookState, PendingProposal } from "./state.ts";

/*
 * Maker-checker (经办, 审核, 审批): under a policy, a money request is a proposal that reserves its
 * amount at once and is posted by the approval that completes the policy, or voided by rejection,
 * withdrawal or expiry: the two-phase transfer (TigerBeetle's pending → post / void). Every step is
 * an event of its own, with its actor.
 */

/** How long a proposal waits for approval when the book names no approvalTtlDays. */
export const DEFAULT_APPROVAL_TTL_DAYS = 30;

/**
 * How many proposals one expire-proposals voids: each writes its event, the proposal's item and
 * its payee's record, and a transaction holds at most 100 items (with the head and the idempotency
 * item). The job runs again until none has expired.
 */
export const EXPIRE_AT_ONCE = 25;

const KIND: Record<ProposedRequest["type"], ProposalKind> = {
  "record-payout": "payout",
  "record-payout-chunk": "batch",
  "record-transfer": "transfer",
  "reverse-entry": "reversal",
};

/** The money entry a request records, decided by the rules it is decided by without a policy. */
function record(request: ProposedRequest, state: BookState, book: BookInfo, ctx: DecideContext): Decision {
  switch (request.type) {
    case "record-payout":
      return recordPayout(request, state, book, ctx, recordsIn(ctx.entities));
    case "record-payout-chunk":
      return recordPayoutChunk(request, state, book, ctx, recordsIn(ctx.entities));
    case "record-transfer":
      return recordTransfer(request, state, book, ctx);
    case "reverse-entry":
      return reverseEntry(request, state, book, ctx);
  }
}

/** A programme's policy covers its payouts and batches (the book's when it has none); the book's covers transfers and reversals. */
const rulesFor = (request: ProposedRequest, state: BookState) =>
  request.type === "record-payout" || request.type === "record-payout-chunk"
    ? programPolicy(state, request.programId)
    : state.approvals;

/** What entries take from each fund they touch, as their proposal reserves it: money into a fund reserves nothing. */
function takenFrom(entries: readonly EventDraft[], book: BookInfo): { fundId: string; amount: string }[] {
  const net = new Map<string, Minor>();
  const postings = entries.flatMap((entry) => (entry.payload.postings as StoredPosting[] | undefined) ?? []);
  for (const posting of decodePostings(postings, CURRENCIES[book.currency])) {
    const fundId = fundOf(posting.account);
    if (fundId !== undefined) net.set(fundId, (net.get(fundId) ?? 0n) + posting.amount);
  }
  return [...net]
    .filter(([, change]) => change < 0n)
    .map(([fundId, change]) => ({ fundId, amount: formatIn(book, -change) }));
}

/**
 * A payout, transfer or reversal: decided by every rule it is decided by today (reservations
 * included), and then, when a policy asks for approvals of its amount, proposed rather than
 * recorded. Without a policy, or under one that asks for none, it is recorded at once.
 */
export function recordOrPropose(
  command: ProposedRequest,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  // A reversal is dated when it is asked for: approved a week later, it is still dated then.
  const request = command.type === "reverse-entry" ? { ...command, on: command.on ?? ctx.today } : command;
  const recorded = record(request, state, book, ctx);
  if (!recorded.ok) return recorded;
  const entries = recorded.value.events.filter((event) => event.payload.postings !== undefined);
  const [entry] = entries;
  // Nothing that moves money (a chunk whose every line was refused): recorded as it is.
  if (!entry) return recorded;
  const currency = CURRENCIES[book.currency];
  const amount = entries.reduce((sum, { payload }) => sum + readSignedAmount(String(payload.amount), currency), 0n);
  const chunk = request.type === "record-payout-chunk" ? request : undefined;
  // A batch is held to its policy by what the whole batch asks for, so that every chunk needs the same.
  const asked = chunk?.batchAmount ? amountIn(book, chunk.batchAmount, "batchAmount") : ok(amount);
  if (!asked.ok) return asked;
  const needs = needsFor(rulesFor(request, state), asked.value);
  if (needs === 0) return recorded;
  const payout = request.type === "record-payout" ? request : undefined;
  const lines = chunk ? proposedLines(entries, book) : undefined;
  // The entry's own writes (a reversal's undo mark) wait for it to be posted.
  return decided([
    {
      type: "ProposalMade",
      occurredOn: entry.occurredOn,
      payload: defined({
        proposalId: ctx.headSeq + 1,
        kind: KIND[request.type],
        // A batch's chunk holds the lines that passed, numbered; at approval only they are decided again.
        request: defined(chunk && lines ? heldChunk(chunk, lines) : request),
        proposer: ctx.actor.sub,
        needs,
        amount: formatIn(book, amount),
        reserves: takenFrom(entries, book),
        madeOn: ctx.today,
        programId: payout?.programId ?? chunk?.programId,
        beneficiaryId: payout?.beneficiaryId,
        batchId: chunk?.batchId,
        lines,
        refused: chunk ? refusedIn(recorded.value.events) : undefined,
      }),
    },
  ]);
}

/** The lines a chunk would pay, from the payouts it decided. */
const proposedLines = (payouts: readonly EventDraft[], book: BookInfo): BatchLine[] =>
  payouts.map(({ payload }) => ({
    line: Number(payload.line),
    beneficiaryId: String(payload.beneficiaryId),
    amount: formatIn(book, readSignedAmount(String(payload.amount), CURRENCIES[book.currency])),
  }));

/** The lines a chunk refused, from its summary. */
const refusedIn = (events: readonly EventDraft[]): LineRefusal[] =>
  (events.find((event) => event.type === "PayoutBatchChunkRecorded")?.payload.refused as LineRefusal[]) ?? [];

/**
 * A chunk as its proposal holds it: only the lines that passed, each with its number, and its
 * refusals recorded whatever the approval finds (a chunk whose every line is refused then still
 * posts, naming them).
 */
function heldChunk(
  chunk: CommandOf<"record-payout-chunk">,
  lines: readonly BatchLine[],
): CommandOf<"record-payout-chunk"> {
  const byLine = new Map(chunk.lines.map((line, index) => [line.line ?? chunk.firstLine + index, line]));
  return {
    ...chunk,
    lines: lines.map(({ line }) => ({ ...(byLine.get(line) as (typeof chunk.lines)[number]), line })),
    recordIfAllRefused: true,
  };
}

type Pending = { readonly proposal: ProposalRecord; readonly pending: PendingProposal };

/** The proposal a command decides: it exists and is still pending. */
function pendingProposal(state: BookState, ctx: DecideContext, proposalId: number): Result<Pending, DomainError> {
  const proposal = ctx.entities(proposalRef(proposalId)) as ProposalRecord | null | undefined;
  if (!proposal)
    return err(domainError("proposal-not-found", `no proposal ${proposalId} in this book`, { proposalId }));
  const pending = state.pending?.[String(proposalId)];
  if (proposal.status !== "pending" || !pending) {
    return err(
      domainError("proposal-not-pending", `proposal ${proposalId} is ${proposal.status}, no longer pending`, {
        proposalId,
        state: proposal.status,
      }),
    );
  }
  return ok({ proposal, pending });
}

/** Only an approver approves or rejects: never the finance office, the audit committee or an auditor. */
const checkApprover = (ctx: DecideContext, proposalId: number): Result<void, DomainError> =>
  ctx.actor.role === "approver"
    ? ok(undefined)
    : err(
        domainError("not-an-approver", `a ${ctx.actor.role} may not approve or reject proposal ${proposalId}`, {
          proposalId,
          role: ctx.actor.role,
        }),
      );

const voided = (
  book: BookInfo,
  { proposal, pending }: Pending,
  reason: VoidReason,
  on: string,
  why: { by?: string; note?: string; refusal?: { code: string; message: string } },
): EventDraft => ({
  type: "ProposalVoided",
  occurredOn: on,
  payload: defined({
    proposalId: proposal.id,
    reason,
    ...why,
    amount: formatIn(book, pending.amount),
    proposedOn: pending.on,
    programId: pending.programId,
    beneficiaryId: pending.beneficiaryId,
    // A batch's chunk names its lines: each payee's pending payment is released from this event alone.
    ...(proposal.lines ? { batchId: proposal.batchId, lines: [...proposal.lines] } : {}),
  }),
});

/**
 * An approval. Nobody approves what they proposed, nor twice; one that does not complete the
 * policy is recorded as such, and the one that does posts the entry.
 */
export function approveProposal(
  command: CommandOf<"approve-proposal">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { proposalId } = command;
  const found = pendingProposal(state, ctx, proposalId);
  if (!found.ok) return found;
  const { proposal } = found.value;
  const approver = checkApprover(ctx, proposalId);
  if (!approver.ok) return approver;
  const { sub } = ctx.actor;
  if (sub === proposal.proposer) {
    return err(
      domainError("self-approval", `${sub} proposed ${proposalId} and may not approve it`, {
        proposalId,
        proposer: proposal.proposer,
      }),
    );
  }
  if (approversOf(proposal).includes(sub)) {
    return err(
      domainError("already-approved", `${sub} already approved proposal ${proposalId}`, { proposalId, approver: sub }),
    );
  }
  const approvers = [...approversOf(proposal), sub];
  if (approvers.length < proposal.needs) {
    const payload = { proposalId, approver: sub, level: approvers.length, needs: proposal.needs };
    return decided([{ type: "ProposalApproved", occurredOn: ctx.today, payload }]);
  }
  return post(found.value, approvers, state, book, ctx);
}

/**
 * Posts a proposal whose policy is complete: its entry is decided again against the ledger as it
 * is now, with the proposal's own reservation released first, and recorded naming the proposal,
 * its proposer and every approver. An entry refused now (a hardship file closed, a programme
 * closed meanwhile) is voided instead, and the approver is answered with the refusal.
 */
function post(
  { proposal, pending }: Pending,
  approvers: readonly string[],
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const release = voided(book, { proposal, pending }, "recheck-failed", ctx.today, {});
  const releasedState = evolve(state, { ...release, book: ctx.book });
  const releasedEntities = new Map(entityWrites([release], ctx, book).map(({ ref, value }) => [ref, value]));
  const entities = (ref: string) => (releasedEntities.has(ref) ? releasedEntities.get(ref) : ctx.entities(ref));
  // The request comes back from the proposal's item: parsed, as any command is before it is decided.
  const request = ProposedRequest.parse(proposal.request);
  const recorded = record(request, releasedState, book, { ...ctx, entities });
  if (!recorded.ok) {
    const { code, message } = recorded.error;
    const why = { by: ctx.actor.sub, refusal: { code, message } };
    return ok({
      events: [voided(book, { proposal, pending }, "recheck-failed", ctx.today, why)],
      writes: [],
      claims: [],
      answer: recorded.error,
    });
  }
  const signature = {
    proposalId: proposal.id,
    proposer: proposal.proposer,
    approvers: [...approvers],
    approvedOn: ctx.today,
  };
  const paid = new Set(recorded.value.events.map(({ payload }) => payload.line).filter((line) => line !== undefined));
  const unpaid = proposal.lines?.filter(({ line }) => !paid.has(line)) ?? [];
  const events = recorded.value.events.map((event) => ({
    ...event,
    payload: {
      ...event.payload,
      proposal: signature,
      // A batch's chunk says which of its proposed lines it did not pay: their reservations end here.
      ...(event.type === "PayoutBatchChunkRecorded" && unpaid.length > 0 ? { unpaid } : {}),
    },
  }));
  return ok({ ...recorded.value, events });
}

/** An approver's no: the proposal is voided and its reservation released. */
export function rejectProposal(
  command: CommandOf<"reject-proposal">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { proposalId, reason } = command;
  const found = pendingProposal(state, ctx, proposalId);
  if (!found.ok) return found;
  const approver = checkApprover(ctx, proposalId);
  if (!approver.ok) return approver;
  const why = { by: ctx.actor.sub, note: reason };
  return decided([voided(book, found.value, "rejected", ctx.today, why)]);
}

/** The proposer takes a proposal back; nobody else may. */
export function withdrawProposal(
  command: CommandOf<"withdraw-proposal">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { proposalId } = command;
  const found = pendingProposal(state, ctx, proposalId);
  if (!found.ok) return found;
  const { proposer } = found.value.proposal;
  if (ctx.actor.sub !== proposer) {
    return err(
      domainError("not-the-proposer", `only ${proposer}, who proposed ${proposalId}, may withdraw it`, {
        proposalId,
        proposer,
      }),
    );
  }
  return decided([voided(book, found.value, "withdrawn", ctx.today, { by: proposer })]);
}

const daysAfter = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The proposals expire-proposals looks at: the oldest pending, at most EXPIRE_AT_ONCE. The expired
 * ones are always the oldest, so they are among these; its reads load them without knowing today.
 */
export const oldestPending = (state: BookState): [number, PendingProposal][] =>
  Object.entries(state.pending ?? {})
    .map(([id, pending]): [number, PendingProposal] => [Number(id), pending])
    .sort(([a, one], [b, other]) => (one.madeOn === other.madeOn ? a - b : one.madeOn < other.madeOn ? -1 : 1))
    .slice(0, EXPIRE_AT_ONCE);

/** Voids every proposal made more than the book's approvalTtlDays ago (at most EXPIRE_AT_ONCE at a time). */
export function expireProposals(state: BookState, book: BookInfo, ctx: DecideContext): Decision {
  const ttl = state.approvalTtlDays ?? DEFAULT_APPROVAL_TTL_DAYS;
  const events: EventDraft[] = [];
  let items = 0;
  for (const [proposalId, pending] of oldestPending(state)) {
    if (daysAfter(pending.madeOn, ttl) >= ctx.today) continue;
    const proposal = ctx.entities(proposalRef(proposalId)) as ProposalRecord | null;
    if (!proposal) continue;
    // Its event, its item and each payee's record: what fits beside the head and the idempotency record.
    const cost = 2 + new Set(proposal.lines?.map(({ beneficiaryId }) => beneficiaryId) ?? [pending.beneficiaryId]).size;
    if (events.length > 0 && items + cost > EXPIRY_ITEMS) break;
    items += cost;
    events.push(voided(book, { proposal, pending }, "expired", ctx.today, {}));
  }
  return decided(events);
}

/** The items one expiry may write: a transaction's 100 less the book head and the idempotency record. */
const EXPIRY_ITEMS = 98;

/** Changes the book's or a programme's policy; proposals already made keep the approvals they need. */
export function setApprovalPolicy(
  command: CommandOf<"set-approval-policy">,
  state: BookState,
  book: BookInfo,
  on: string,
): Decision {
  const { programId, approvalTtlDays } = command;
  if (programId && !state.programs[programId]) {
    return err(domainError("program-not-found", `no programme ${programId} in this book`, { programId }));
  }
  const approvals = policyIn(book, command.approvals, "approvals");
  if (!approvals.ok) return approvals;
  const payload = defined({ programId, approvals: approvals.value, approvalTtlDays });
  return decided([{ type: "ApprovalPolicySet", occurredOn: on, payload }]);
}
