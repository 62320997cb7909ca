import { type Actor, type CommandOf, CURRENCIES, type Minor, readSignedAmount } from "@relief-ledger/core";
import { ACTORS, PROGRAMS } from "./catalog.ts";
import { eventsOf, type ScriptBuilder, type SeqOf } from "./script.ts";

/** What an approval policy says: above `over`, `levels` approvals (core's ApprovalRules). */
export type Rules = readonly { readonly over: string; readonly levels: number }[];

/** The book's policy, set with the book: a transfer, a reversal or another programme's payout over 10,000.00 needs two. */
export const BOOK_APPROVALS: Rules = [{ over: "10000.00", levels: 2 }];

/** Winter relief and student aid: every payout one approval, and above 10,000.00 (every batch) two. */
export const RELIEF_APPROVALS: Rules = [
  { over: "0.00", levels: 1 },
  { over: "10000.00", levels: 2 },
];

/** The programmes with a policy of their own, set by the admin the day each one opens. */
export const PROGRAM_APPROVALS: Readonly<Record<string, Rules>> = {
  [PROGRAMS.winterRelief]: RELIEF_APPROVALS,
  [PROGRAMS.studentAid]: RELIEF_APPROVALS,
};

/** How long a proposal waits before the daily expiry voids it: half a month. */
export const APPROVAL_TTL_DAYS = 15;

/**
 * Who approves, in order: the head of finance checks (审核) and, when a second approval is needed,
 * the chair signs (审批). Neither proposes anything, so nobody approves their own.
 */
export const APPROVAL_ORDER = [ACTORS.financeHead, ACTORS.chair] as const;

/** A threshold of zero is a rule like any other, so amounts are read signed, as core reads a policy. */
const minor = (text: string): Minor => readSignedAmount(text, CURRENCIES.CNY);

/** How many approvals an amount needs under rules: the most any rule it passes asks for (core's needsFor). */
export const needsUnder = (rules: Rules, amount: string): number =>
  rules.reduce((needs, rule) => (minor(amount) > minor(rule.over) && rule.levels > needs ? rule.levels : needs), 0);

/** What a policy holds a money command to: its programme's policy for a payout, else the book's. */
export const rulesFor = (programId: string | undefined): Rules =>
  (programId ? PROGRAM_APPROVALS[programId] : undefined) ?? BOOK_APPROVALS;

export type MoneyOut = CommandOf<"record-payout" | "record-payout-chunk" | "record-transfer" | "reverse-entry">;

/** The amount and programme a policy is applied to; a deferred reversal says them, as it cannot be read yet. */
export type Held = { readonly amount: string; readonly programId?: string };

const heldAs = (command: MoneyOut): Held => {
  switch (command.type) {
    case "record-payout":
      return { amount: command.amount, programId: command.programId };
    case "record-payout-chunk": {
      if (!command.batchAmount) throw new Error(`demo chunk of ${command.batchId} without its batchAmount`);
      return { amount: command.batchAmount, programId: command.programId };
    }
    case "record-transfer":
      return { amount: command.amount };
    case "reverse-entry":
      throw new Error("a reversal's amount must be given");
  }
};

/**
 * Sends a payout, transfer or reversal as the finance office does, under the demo's policies:
 * recorded at once when none holds its amount, else proposed and approved the same day, after it
 * and in its phase, by as many approvers as the policy asks for. Returns the key (tail) of the step
 * that records the entry, for a later step that names it.
 */
export function sendMoney(
  b: ScriptBuilder,
  date: string,
  key: string,
  command: MoneyOut | ((seqOf: SeqOf) => MoneyOut),
  options: { phase?: number; held?: Held } = {},
): string {
  const deferred = typeof command === "function";
  const held = options.held ?? (deferred ? undefined : heldAs(command));
  if (!held) throw new Error(`demo step ${key}: say what a deferred money command holds`);
  const needs = needsUnder(rulesFor(held.programId), held.amount);
  const phase = options.phase ?? (deferred ? undefined : b.phaseOf(command));
  if (needs === 0) {
    b.add(date, ACTORS.finance, key, command, phase === undefined ? {} : { phase });
    return key;
  }
  b.add(date, ACTORS.finance, key, command, { ...(phase === undefined ? {} : { phase }), events: 1 });
  const [posting] = approve(b, date, [key], { needs, phase, events: [deferred ? 1 : eventsOf(command)] });
  return posting as string;
}

/**
 * The approvals of proposals made on `date` (a batch's chunks: each approver decides them all, as
 * the API's batch approval does, each chunk under a key of its own), in APPROVAL_ORDER: `given` of
 * the `needs` (all by default). When all are given, the last approval posts each proposal and
 * records its entry's `events`. Returns the keys of the steps that post.
 */
export function approve(
  b: ScriptBuilder,
  date: string,
  proposals: readonly string[],
  options: { needs: number; given?: number; phase?: number | undefined; events?: readonly number[] },
): string[] {
  const { needs, given = needs, phase } = options;
  if (needs > APPROVAL_ORDER.length) throw new Error(`the demo has ${APPROVAL_ORDER.length} approvers, not ${needs}`);
  const posting: string[] = [];
  APPROVAL_ORDER.slice(0, given).forEach((approver, level) => {
    const posts = level === needs - 1;
    proposals.forEach((proposal, index) => {
      const key = `${proposal}/approve/${approver.sub}`;
      const events = posts ? options.events?.[index] : 1;
      if (events === undefined) throw new Error(`demo proposal ${proposal}: say how many events its posting records`);
      b.add(date, approver, key, (seqOf) => ({ type: "approve-proposal", proposalId: seqOf(b.keyOf(proposal)) }), {
        ...(phase === undefined ? {} : { phase }),
        events,
      });
      if (posts) posting.push(key);
    });
  });
  return posting;
}

/**
 * A proposal the script means to void (a rejection, a withdrawal, an expiry follows): it records
 * its ProposalMade alone, so a policy must hold it.
 */
export function propose(b: ScriptBuilder, date: string, key: string, command: MoneyOut): void {
  if (needsUnder(rulesFor(heldAs(command).programId), heldAs(command).amount) === 0) {
    throw new Error(`demo proposal ${key}: no policy holds it, so it would be recorded at once`);
  }
  b.add(date, ACTORS.finance, key, command, { events: 1 });
}

/** An approver's no, with the reason, to a proposal made under `proposal` (its ProposalVoided). */
export function reject(
  b: ScriptBuilder,
  date: string,
  proposal: string,
  options: { by: Actor; reason: string; phase?: number },
): void {
  const { by, reason, phase } = options;
  b.add(
    date,
    by,
    `${proposal}/reject`,
    (seqOf) => ({ type: "reject-proposal", proposalId: seqOf(b.keyOf(proposal)), reason }),
    phase === undefined ? {} : { phase },
  );
}

/** The finance office takes back what it proposed (its ProposalVoided). */
export function withdraw(b: ScriptBuilder, date: string, proposal: string, phase?: number): void {
  b.add(
    date,
    ACTORS.finance,
    `${proposal}/withdraw`,
    (seqOf) => ({ type: "withdraw-proposal", proposalId: seqOf(b.keyOf(proposal)) }),
    phase === undefined ? {} : { phase },
  );
}
