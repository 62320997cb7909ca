import { type Command, CURRENCIES, DEFAULT_APPROVAL_TTL_DAYS, type Minor, readSignedAmount } from "@relief-ledger/core";
import type { MoneyOut, Rules } from "./approvals.ts";
import { addDays, type DemoStep, eventsOf } from "./script.ts";

type Proposal = { readonly request: MoneyOut; readonly needs: number; approvals: number; readonly madeOn: string };

/** What became of the script's proposals. */
export type ApprovalTally = {
  proposed: number;
  posted: number;
  rejected: number;
  withdrawn: number;
  expired: number;
  /** Still waiting when the script ends: a month with one cannot close. */
  pending: number;
};

/** What one step does: the command whose effect it records (itself, or what its approval posts), and its events. */
export type Followed = { readonly records?: Command; readonly events: number };

const MONEY_OUT = new Set<Command["type"]>([
  "record-payout",
  "record-payout-chunk",
  "record-transfer",
  "reverse-entry",
]);
const isMoneyOut = (command: Command): command is MoneyOut => MONEY_OUT.has(command.type);

const exceeds = (amount: Minor, over: string) => amount > readSignedAmount(over, CURRENCIES.CNY);

/**
 * Follows the book's approval policies and proposals through the script, from its commands alone
 * (as figures.ts works out the money): a money command that a policy holds records its proposal
 * and moves nothing; the approval that completes the policy records it; a rejection, a withdrawal
 * or an expiry voids it. `amountOf` says what a money command asks for (a reversal: the entry it
 * undoes; a batch's chunk: the whole batch).
 */
export function followApprovals(amountOf: (command: MoneyOut) => Minor) {
  let book: Rules = [];
  let ttl = DEFAULT_APPROVAL_TTL_DAYS;
  const programs = new Map<string, Rules>();
  const pending = new Map<number, Proposal>();
  const tally: ApprovalTally = { proposed: 0, posted: 0, rejected: 0, withdrawn: 0, expired: 0, pending: 0 };

  const needsOf = (command: MoneyOut): number => {
    const programId = "programId" in command ? command.programId : undefined;
    const rules = (programId !== undefined ? programs.get(programId) : undefined) ?? book;
    const amount = amountOf(command);
    return rules.reduce((needs, rule) => (exceeds(amount, rule.over) && rule.levels > needs ? rule.levels : needs), 0);
  };
  const settle = (proposalId: number, outcome: "rejected" | "withdrawn") => {
    if (!pending.delete(proposalId)) throw new Error(`demo decides proposal ${proposalId}, which is not pending`);
    tally[outcome] += 1;
    tally.pending = pending.size;
  };

  const step = ({ command, today }: DemoStep, first: number): Followed => {
    switch (command.type) {
      case "open-book":
        book = command.approvals ?? [];
        ttl = command.approvalTtlDays ?? ttl;
        break;
      case "set-approval-policy":
        if (command.programId) programs.set(command.programId, command.approvals);
        else book = command.approvals;
        ttl = command.approvalTtlDays ?? ttl;
        break;
      case "approve-proposal": {
        const proposal = pending.get(command.proposalId);
        if (!proposal) throw new Error(`demo approves proposal ${command.proposalId}, which is not pending`);
        proposal.approvals += 1;
        if (proposal.approvals < proposal.needs) return { events: 1 };
        pending.delete(command.proposalId);
        tally.posted += 1;
        tally.pending = pending.size;
        return { records: proposal.request, events: eventsOf(proposal.request) };
      }
      case "reject-proposal":
        settle(command.proposalId, "rejected");
        return { events: 1 };
      case "withdraw-proposal":
        settle(command.proposalId, "withdrawn");
        return { events: 1 };
      case "expire-proposals": {
        const expired = [...pending].filter(([, proposal]) => addDays(proposal.madeOn, ttl) < today);
        for (const [proposalId] of expired) pending.delete(proposalId);
        tally.expired += expired.length;
        tally.pending = pending.size;
        return { events: expired.length };
      }
      default:
        if (isMoneyOut(command)) {
          const needs = needsOf(command);
          if (needs === 0) break;
          pending.set(first, { request: command, needs, approvals: 0, madeOn: today });
          tally.proposed += 1;
          tally.pending = pending.size;
          return { events: 1 };
        }
    }
    return { records: command, events: eventsOf(command) };
  };
  return { step, tally };
}
