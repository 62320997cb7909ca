import { z } from "@hono/zod-openapi";
import {
  type BookState,
  CURRENCIES,
  DEFAULT_APPROVAL_TTL_DAYS,
  formatAmount,
  ProposalKind,
  type ProposalRecord,
  ProposalStatus,
  readSignedAmount,
  VoidReason,
} from "@relief-ledger/core";

const Amount = z.string().openapi({ example: "800.00" });

const Approval = z.object({
  by: z.string().openapi({ description: "The approver's token subject" }),
  on: z.string().openapi({ description: "The business date of the approval, in the book's time zone" }),
});

/** A proposal as the API shows it: the proposal's own record, with what it holds back now. */
export const ProposalView = z
  .object({
    id: z.int().openapi({ description: "The seq of the entry that made it" }),
    kind: ProposalKind,
    state: ProposalStatus,
    amount: Amount,
    reserved: Amount.openapi({ description: "What it holds back of its funds now: its amount while pending, else 0" }),
    reserves: z.array(z.object({ fundId: z.string(), amount: Amount })),
    needs: z.int().openapi({ description: "Approvals it needs, from as many different approvers" }),
    approvals: z.array(Approval),
    proposer: z.string().openapi({ description: "The token subject that asked for the money" }),
    on: z.string().openapi({ description: "The business date of the entry it would record" }),
    madeOn: z.string(),
    expiresOn: z.string().optional().openapi({ description: "While pending: the last day it may be approved" }),
    programId: z.string().optional(),
    beneficiaryId: z.string().optional(),
    request: z.record(z.string(), z.unknown()).openapi({ description: "The request as proposed" }),
    posted: z
      .object({ seq: z.int(), on: z.string(), location: z.string() })
      .optional()
      .openapi({ description: "The entry that posted it" }),
    voided: z
      .object({
        reason: VoidReason,
        on: z.string(),
        by: z.string().optional(),
        note: z.string().optional(),
        refusal: z.object({ code: z.string(), message: z.string() }).optional(),
      })
      .optional(),
  })
  .openapi("Proposal");
export type ProposalView = z.infer<typeof ProposalView>;

const daysAfter = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A proposal as the API shows it. With the book's state, a pending one says when it expires; the
 * 202 that answers a proposed request is built from its event alone, so that a retry answers the
 * same bytes, and says nothing of expiry.
 */
export function proposalView(book: string, record: ProposalRecord, state?: BookState): ProposalView {
  const currency = CURRENCIES[state?.book?.currency ?? "CNY"];
  const pending = record.status === "pending";
  const reserved = pending
    ? record.reserves.reduce((sum, { amount }) => sum + readSignedAmount(amount, currency), 0n)
    : 0n;
  const { request, posted, voided } = record;
  const { programId, beneficiaryId } = request as { programId?: string; beneficiaryId?: string };
  const ttl = state?.book ? (state.approvalTtlDays ?? DEFAULT_APPROVAL_TTL_DAYS) : undefined;
  return {
    id: record.id,
    kind: record.kind,
    state: record.status,
    amount: record.amount,
    reserved: formatAmount(reserved, currency),
    reserves: pending ? record.reserves.map(({ fundId, amount }) => ({ fundId, amount })) : [],
    needs: record.needs,
    approvals: record.approvals.map(({ by, on }) => ({ by, on })),
    proposer: record.proposer,
    on: record.on,
    madeOn: record.madeOn,
    ...(pending && ttl !== undefined ? { expiresOn: daysAfter(record.madeOn, ttl) } : {}),
    ...(programId ? { programId } : {}),
    ...(beneficiaryId ? { beneficiaryId } : {}),
    request: { ...request },
    ...(posted ? { posted: { ...posted, location: `/v1/books/${book}/entries/${posted.seq}` } } : {}),
    ...(voided ? { voided: { ...voided } } : {}),
  };
}
