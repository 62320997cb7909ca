import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Actor, JournalEvent } from "../journal-event.ts";
import { CURRENCIES, readSignedAmount } from "../money.ts";
import type { Command } from "./commands.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import { type ProposalRecord, proposalRef, reservedIn } from "./proposal.ts";
import { expectDeclared, FINANCE, given, openBook } from "./scenario.test-support.ts";

// Whatever the finance office proposes and the approvers approve, reject or leave, and the
// proposers withdraw, reservations hold: no fund's reservations exceed its balance, and what the
// head reserves is exactly what the journal's pending proposals reserve.
const CNY = CURRENCIES.CNY;
const FUNDS = ["warmth", "general"] as const;
const PEOPLE = ["hh-wang-guilan", "hh-chen-guoqiang"] as const;
const APPROVERS: readonly Actor[] = [
  { sub: "chair-zhang", role: "approver" },
  { sub: "head-li", role: "approver" },
  { sub: "vice-chair-wu", role: "approver" },
];

const opened = (): MemoryLedger =>
  given(
    { ...openBook, approvals: [{ over: "500", levels: 1 }] },
    ...FUNDS.map((fundId): Command => ({ type: "open-fund", fundId, name: fundId, restricted: false })),
    {
      type: "open-program",
      programId: "winter-warmth",
      name: "送温暖",
      fundId: "warmth",
      requiresHardshipFile: false,
      budget: "5000",
      cap: { perBeneficiaryPerYear: { count: 3 } },
      approvals: [
        { over: "0", levels: 1 },
        { over: "1000", levels: 2 },
      ],
    },
    ...PEOPLE.map(
      (beneficiaryId): Command => ({ type: "register-beneficiary", beneficiaryId, kind: "worker", name: "职工" }),
    ),
    // Enough to pay a few proposals, not so much that reservations never bite.
    ...FUNDS.map(
      (fundId): Command => ({
        type: "record-collection",
        fundId,
        source: "allocation",
        amount: "4000",
        receivedOn: "2010-12-01",
      }),
    ),
  );

const amount = fc.integer({ min: 1, max: 3000 }).map(String);
const fund = fc.constantFrom(...FUNDS);
const pick = fc.nat({ max: 1000 });

/** A command and who sends it, built once the ledger before it is known: approvals name its proposals. */
type Step = (ledger: MemoryLedger) => { command: Command; actor: Actor };

/** A proposal of the journal, picked by index: pending ones mostly, now and then one already decided. */
const proposalAt = (ledger: MemoryLedger, index: number): number => {
  const pending = Object.keys(ledger.state.pending ?? {}).map(Number);
  const all = ledger.events.filter((event) => event.type === "ProposalMade").map((event) => event.seq);
  const from = pending.length && index % 5 !== 0 ? pending : all;
  return from.length ? (from[index % from.length] as number) : 1;
};

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ fundId: fund, amount }).map(
    (fields): Step =>
      () => ({
        command: { type: "record-collection", source: "allocation", receivedOn: "2010-12-01", ...fields },
        actor: FINANCE,
      }),
  ),
  {
    weight: 3,
    arbitrary: fc.record({ beneficiaryId: fc.constantFrom(...PEOPLE), amount }).map(
      (fields): Step =>
        () => ({
          command: { type: "record-payout", programId: "winter-warmth", paidOn: "2010-12-02", ...fields },
          actor: FINANCE,
        }),
    ),
  },
  fc.record({ fromFundId: fund, toFundId: fund, amount }).map(
    (fields): Step =>
      () => ({ command: { type: "record-transfer", on: "2010-12-03", ...fields }, actor: FINANCE }),
  ),
  {
    weight: 5,
    arbitrary: fc.record({ index: pick, approver: fc.constantFrom(...APPROVERS) }).map(
      ({ index, approver }): Step =>
        (ledger) => ({ command: { type: "approve-proposal", proposalId: proposalAt(ledger, index) }, actor: approver }),
    ),
  },
  fc.record({ index: pick, approver: fc.constantFrom(...APPROVERS) }).map(
    ({ index, approver }): Step =>
      (ledger) => ({
        command: { type: "reject-proposal", proposalId: proposalAt(ledger, index), reason: "不符合条件" },
        actor: approver,
      }),
  ),
  pick.map(
    (index): Step =>
      (ledger) => ({ command: { type: "withdraw-proposal", proposalId: proposalAt(ledger, index) }, actor: FINANCE }),
  ),
);

/** What the journal alone says is reserved: the reserves of every proposal neither posted nor voided. */
function reservedByJournal(events: readonly JournalEvent[]): Map<string, bigint> {
  const made = new Map<number, readonly { fundId: string; amount: string }[]>();
  for (const event of events) {
    const payload = event.payload as {
      proposalId?: number;
      reserves?: { fundId: string; amount: string }[];
      proposal?: { proposalId: number };
    };
    if (event.type === "ProposalMade" && payload.proposalId && payload.reserves)
      made.set(payload.proposalId, payload.reserves);
    if (event.type === "ProposalVoided" && payload.proposalId) made.delete(payload.proposalId);
    if (payload.proposal) made.delete(payload.proposal.proposalId);
  }
  const reserved = new Map<string, bigint>();
  for (const reserves of made.values()) {
    for (const { fundId, amount } of reserves)
      reserved.set(fundId, (reserved.get(fundId) ?? 0n) + readSignedAmount(amount, CNY));
  }
  return reserved;
}

describe("reservations under random proposals, approvals, rejections and withdrawals", () => {
  it("keep every fund's available balance non-negative, and equal what the journal's pending proposals reserve", () => {
    // How many proposals the runs posted and voided (several dozen of each): a property that
    // never saw either would prove little.
    const seen = { posted: 0, voided: 0 };
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const ledger = opened();
        for (const build of steps) {
          const { command, actor } = build(ledger);
          const result = ledger.execute(command, actor);
          if (!result.ok) expectDeclared(command, result.error);
          const journal = reservedByJournal(ledger.events);
          for (const fundId of FUNDS) {
            const reserved = reservedIn(ledger.state, fundId);
            expect(reserved).toBe(journal.get(fundId) ?? 0n);
            expect(reserved).toBeGreaterThanOrEqual(0n);
            expect(ledger.state.funds[fundId]?.balance ?? 0n).toBeGreaterThanOrEqual(reserved);
          }
          for (const id of Object.keys(ledger.state.pending ?? {})) {
            const proposal = ledger.entities.get(proposalRef(Number(id))) as ProposalRecord | undefined;
            expect(proposal?.status).toBe("pending");
          }
        }
        seen.posted += ledger.events.filter((event) => event.payload.proposal !== undefined).length;
        seen.voided += ledger.events.filter((event) => event.type === "ProposalVoided").length;
      }),
      { numRuns: 150 },
    );
    expect(seen.posted).toBeGreaterThan(30);
    expect(seen.voided).toBeGreaterThan(30);
  });
});
