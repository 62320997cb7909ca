import { z } from "zod";
import type { LineRefusal } from "../errors.ts";
import type { EventDraft, EventFacts } from "../journal-event.ts";
import type { Minor } from "../money.ts";
import {
  type BatchLine,
  ProposalApproved,
  ProposalMade,
  ProposalVoided,
  type ProposedRequest,
  type VoidReason,
} from "./events.ts";
import type { BookState } from "./state.ts";

export const ProposalStatus = z.enum(["pending", "posted", "voided"]);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

/**
 * A proposal as the ledger keeps it: a projection of the journal in an item of its own, read by
 * the approval, rejection or withdrawal that decides it. It holds the request as proposed, so that
 * the last approval decides exactly what was approved. At most five approvers (a policy's most
 * levels), so the item stays small.
 */
export type ProposalRecord = {
  readonly id: number;
  readonly kind: ProposalMade["kind"];
  readonly request: ProposedRequest;
  readonly proposer: string;
  readonly needs: number;
  readonly amount: string;
  /** A batch's chunk: its batch, and the lines it would pay. */
  readonly batchId?: string;
  readonly lines?: readonly BatchLine[];
  /** The lines of a batch's chunk refused when it was proposed. */
  readonly refused?: readonly LineRefusal[];
  /** What it holds back of each fund while it is pending. */
  readonly reserves: readonly { readonly fundId: string; readonly amount: string }[];
  /** The business date of the entry it would post. */
  readonly on: string;
  readonly madeOn: string;
  /** Who approved it, and on which day (the book's), in order; the last one posts it. */
  readonly approvals: readonly { readonly by: string; readonly on: string }[];
  readonly status: ProposalStatus;
  /** The entry that posted it. */
  readonly posted?: { readonly seq: number; readonly on: string };
  readonly voided?: {
    readonly reason: VoidReason;
    readonly on: string;
    readonly by?: string;
    readonly note?: string;
    readonly refusal?: { readonly code: string; readonly message: string };
  };
};

/** Who approved a proposal so far. */
export const approversOf = (record: ProposalRecord): string[] => record.approvals.map(({ by }) => by);

export const proposalRef = (id: number) => `proposal/${id}`;

/** The proposal an event concerns: one it makes, approves or voids, or the one a money entry posts. */
export const proposalOf = (event: Pick<EventDraft, "payload">): number | undefined => {
  const { proposalId, proposal } = event.payload as { proposalId?: unknown; proposal?: { proposalId?: unknown } };
  const id = proposalId ?? proposal?.proposalId;
  return typeof id === "number" ? id : undefined;
};

/** How one event changes a proposal: made, approved, posted (by its money entry) or voided. */
export function evolveProposal(record: ProposalRecord | undefined, event: EventFacts): ProposalRecord | undefined {
  switch (event.type) {
    case "ProposalMade": {
      const made = ProposalMade.parse(event.payload);
      const { proposalId, kind, request, proposer, needs, amount, reserves, madeOn, batchId, lines, refused } = made;
      return {
        id: proposalId,
        kind,
        request,
        proposer,
        needs,
        amount,
        reserves,
        ...(batchId ? { batchId } : {}),
        ...(lines ? { lines } : {}),
        ...(refused ? { refused } : {}),
        on: event.occurredOn,
        madeOn,
        approvals: [],
        status: "pending",
      };
    }
    case "ProposalApproved": {
      if (!record) return record;
      const { approver } = ProposalApproved.parse(event.payload);
      return { ...record, approvals: [...record.approvals, { by: approver, on: event.occurredOn }] };
    }
    case "ProposalVoided": {
      if (!record) return record;
      const { reason, by, note, refusal } = ProposalVoided.parse(event.payload);
      const voided = { reason, on: event.occurredOn, ...(by ? { by } : {}), ...(note ? { note } : {}) };
      return { ...record, status: "voided", voided: refusal ? { ...voided, refusal } : voided };
    }
    default: {
      const signature = (event.payload as { proposal?: { approvers?: unknown; approvedOn?: unknown } }).proposal;
      // A batch's chunk posts in several entries: the first makes it posted.
      if (record?.status !== "pending" || !Array.isArray(signature?.approvers)) return record;
      // The approval that posts it is recorded by the entry itself, not by a ProposalApproved.
      const last = String(signature.approvers.at(-1));
      const on = typeof signature.approvedOn === "string" ? signature.approvedOn : event.occurredOn;
      const approvals = [...record.approvals, { by: last, on }];
      return { ...record, status: "posted", approvals, posted: { seq: event.seq ?? 0, on } };
    }
  }
}

const pendingOf = (state: BookState) => Object.values(state.pending ?? {});

/** What pending proposals reserve of a fund: spoken for, though still in its balance. */
export const reservedIn = (state: BookState, fundId: string): Minor =>
  pendingOf(state).reduce((sum, pending) => sum + (pending.reserves[fundId] ?? 0n), 0n);

/** What a programme's pending payouts reserve of its budget. */
export const reservedBy = (state: BookState, programId: string): Minor =>
  pendingOf(state).reduce((sum, pending) => sum + (pending.programId === programId ? pending.amount : 0n), 0n);
