import { z } from "@hono/zod-openapi";
import {
  type Command,
  CURRENCIES,
  fingerprint,
  formatAmount,
  type JournalEvent,
  type ProposalRecord,
  ProposalVoided,
  readSignedAmount,
} from "@relief-ledger/core";
import { isPending } from "@relief-ledger/store";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { outcomes, SettledLine } from "./batches.ts";
import {
  idempotencyKeyOf,
  RequestPending,
  recordAndAnswer,
  refusal,
  requestFingerprint,
  tryAppend,
  writeAnswer,
} from "./record.ts";

/*
 * A payout batch is proposed chunk by chunk (one proposal per chunk, so that each fits a
 * transaction), and approved, rejected or withdrawn as a whole: deciding any of its proposals
 * decides them all, in order, each under a key derived from the request's, so that a retry after a
 * timeout replays what was decided and decides the rest.
 */

// Books keep CNY (core's CURRENCIES; POST /books takes no other).
const currency = CURRENCIES.CNY;

/** The most chunks a batch has: 5,000 lines of 48. */
const MAX_PARTS = 200;

/** What deciding a batch's proposals answers. */
export const BatchDecision = z
  .object({
    batchId: z.string(),
    proposalIds: z.array(z.int()),
    state: z.enum(["pending", "posted", "voided", "mixed"]).openapi({
      description:
        "pending: approved, awaiting more approvals; posted: paid; voided: rejected, withdrawn, or refused on " +
        "re-check; mixed: its proposals ended differently (see `voided`)",
    }),
    recorded: z.int().openapi({ description: "Lines paid" }),
    amountRecorded: z.string(),
    results: z.array(SettledLine).openapi({ description: "Each line paid, and each refused on re-check" }),
    voided: z
      .array(z.object({ proposalId: z.int(), reason: z.string(), code: z.string().optional() }))
      .openapi({ description: "The proposals voided by this decision, and why" }),
  })
  .openapi("PayoutBatchDecision");

/**
 * Decides a proposal: one of a payout batch decides every proposal of its batch; any other is
 * decided alone (recordAndAnswer). `command` says what to append for each proposal.
 */
export async function decideProposal(
  c: Context<AppEnv>,
  book: string,
  proposalId: number,
  command: (proposalId: number) => Command,
  request: unknown,
): Promise<never> {
  const { journal } = c.var.ledger;
  const record = (await journal.entity(book, `proposal/${proposalId}`)) as unknown as ProposalRecord | null;
  if (!record?.batchId) return recordAndAnswer(c, book, command(proposalId), request);
  const { batchId } = record;
  const requestHash = requestFingerprint(c, request);
  const key = idempotencyKeyOf(c, true, requestHash);
  const listed = await journal.proposals(book, { batchId, limit: MAX_PARTS });
  const parts = listed.proposals.map((part) => part.id).sort((a, b) => a - b);
  const events: JournalEvent[] = [];
  for (const [index, part] of parts.entries()) {
    const partKey = `${key}#${part}`;
    const result = await tryAppend(c, book, command(part), {
      idempotencyKey: partKey,
      requestHash: fingerprint({ requestHash, part }),
    });
    if (isPending(result)) throw new RequestPending(book, partKey);
    if (!result.ok) {
      // Decided already by someone else (an expiry, say): the others are still decided. The first
      // part's refusal (self-approval, a stale approval) is the whole batch's, before anything is written.
      if (index > 0 && result.error.code === "proposal-not-pending") continue;
      throw refusal(result.error, key);
    }
    events.push(...result.value.events);
  }
  const voided = events.flatMap((event) => {
    if (event.type !== "ProposalVoided") return [];
    const { proposalId: id, reason, refusal: refused } = ProposalVoided.parse(event.payload);
    return [{ proposalId: id, reason, ...(refused ? { code: refused.code } : {}) }];
  });
  // Every proposal refused on re-check: answered as a single proposal's would be, with the refusal.
  if (voided.length > 0 && voided.length === events.length && voided.every((v) => v.reason === "recheck-failed")) {
    writeAnswer(book, events);
  }
  const results = outcomes(events).sort((a, b) => a.line - b.line);
  const paid = results.flatMap((line) => (line.status === "recorded" ? [line] : []));
  const posted = events.some((event) => event.payload.proposal !== undefined);
  const state = voided.length === 0 ? (posted ? "posted" : "pending") : posted ? "mixed" : "voided";
  c.header("Location", `/v1/books/${book}/approvals/${parts[0] ?? proposalId}`);
  return c.json(
    {
      batchId,
      proposalIds: parts,
      state,
      recorded: paid.length,
      amountRecorded: formatAmount(
        paid.reduce((sum, line) => sum + readSignedAmount(line.amount, currency), 0n),
        currency,
      ),
      results,
      voided,
    },
    201,
  ) as never;
}
