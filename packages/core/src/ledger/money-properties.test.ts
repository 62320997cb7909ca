import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../journal-event.ts";
import { CURRENCIES, parseAmount } from "../money.ts";
import { decodePostings, fundOf, type StoredPosting } from "../postings.ts";
import type { Command } from "./commands.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import { expectDeclared, given, openBook } from "./scenario.test-support.ts";

// Whatever sequence of collections, payouts, transfers, reversals and returns the finance office
// sends, the ledger's arithmetic holds: double entry, no negative fund, state = journal.
const CNY = CURRENCIES.CNY;
const FUNDS = ["warmth", "general"] as const;
const PROGRAMS = { "winter-warmth": "warmth", "model-worker-condolence": "general" } as const;
const PEOPLE = ["hh-wang-guilan", "hh-chen-guoqiang", "mw-he-guangrong"] as const;

const opened = (): MemoryLedger =>
  given(
    openBook,
    ...FUNDS.map((fundId): Command => ({ type: "open-fund", fundId, name: fundId, restricted: fundId === "warmth" })),
    ...Object.entries(PROGRAMS).map(
      ([programId, fundId]): Command => ({
        type: "open-program",
        programId,
        name: programId,
        fundId,
        requiresHardshipFile: false,
      }),
    ),
    ...PEOPLE.map(
      (beneficiaryId): Command => ({ type: "register-beneficiary", beneficiaryId, kind: "worker", name: "职工" }),
    ),
  );

/** Amounts as a caller writes them: "800", "800.5", "800.50"; now and then zero, which is refused. */
const amountUpTo = (yuan: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: yuan }), fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 1, 2))
    .map(([whole, fen, digits]) =>
      digits === 0
        ? String(whole)
        : digits === 1
          ? `${whole}.${Math.floor(fen / 10)}`
          : `${whole}.${String(fen).padStart(2, "0")}`,
    );
const amount = amountUpTo(3000);
const day = fc.integer({ min: 1, max: 28 }).map((d) => `2010-12-${String(d).padStart(2, "0")}`);
const fund = fc.constantFrom(...FUNDS);
const source = fc.constantFrom("dues", "upper-subsidy", "allocation") as fc.Arbitrary<
  "dues" | "upper-subsidy" | "allocation"
>;
const programId = fc.constantFrom(...(Object.keys(PROGRAMS) as (keyof typeof PROGRAMS)[]));

/**
 * Shares of the generated steps that must be recorded, not refused, for the property to mean
 * something. About half are (every collection; 40% of payouts; a third of reversals and returns,
 * which often name an entry already reversed or returned; a fifth of transfers, which often name
 * one fund twice or one that is empty), so these bounds leave room for chance, not for a rule
 * that refuses everything.
 */
const SHARE_RECORDED = 0.4;
const SHARE_RECORDED_OF_EACH = 0.1;

/** A command, built once the journal before it is known: reversals and returns name earlier entries. */
type Step = (events: readonly JournalEvent[]) => Command;

/** An earlier entry of one of the types, picked by index; any entry when there is none. */
const earlier = (events: readonly JournalEvent[], index: number, types: readonly string[]) => {
  const candidates = events.filter((event) => types.includes(event.type));
  const from = candidates.length ? candidates : events;
  return from.length ? (from[index % from.length] as JournalEvent).seq : 1;
};
const MONEY = ["CollectionRecorded", "PayoutRecorded", "TransferRecorded"];

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ fundId: fund, amount, receivedOn: day, source }).map(
      (fields): Step =>
        () => ({ type: "record-collection", ...fields }),
    ),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ programId, beneficiaryId: fc.constantFrom(...PEOPLE), amount: amountUpTo(800), paidOn: day })
      .map(
        (fields): Step =>
          () => ({ type: "record-payout", ...fields }),
      ),
  },
  {
    weight: 2,
    arbitrary: fc.record({ fromFundId: fund, toFundId: fund, amount: amountUpTo(1500), on: day }).map(
      (fields): Step =>
        () => ({ type: "record-transfer", ...fields }),
    ),
  },
  {
    weight: 2,
    // Mostly money entries; now and then anything, which must be refused.
    arbitrary: fc.tuple(fc.nat(), fc.boolean()).map(
      ([index, money]): Step =>
        (events) => ({ type: "reverse-entry", seq: earlier(events, index, money ? MONEY : []), reason: "更正" }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.nat().map(
      (index): Step =>
        (events) => ({
          type: "return-payout",
          seq: earlier(events, index, ["PayoutRecorded"]),
          returnedOn: "2010-12-30",
          reason: "银行退回",
        }),
    ),
  },
);

const postingsOf = (event: JournalEvent) =>
  decodePostings((event.payload.postings as StoredPosting[] | undefined) ?? [], CNY);

/** Every fund's balance, summed from the postings of every recorded event. */
const journalBalances = (events: readonly JournalEvent[]) => {
  const sums = new Map<string, bigint>(FUNDS.map((fundId) => [fundId, 0n]));
  for (const event of events) {
    for (const posting of postingsOf(event)) {
      const fundId = fundOf(posting.account);
      if (fundId !== undefined) sums.set(fundId, (sums.get(fundId) ?? 0n) + posting.amount);
    }
  }
  return sums;
};

/** What each programme has paid, net of the payouts reversed or returned. */
const journalPaid = (events: readonly JournalEvent[]) => {
  const paid = new Map<string, bigint>();
  for (const event of events) {
    const sign =
      event.type === "PayoutRecorded"
        ? 1n
        : event.type === "EntryReversed" || event.type === "PayoutReturned"
          ? -1n
          : 0n;
    const programId = event.payload.programId;
    if (sign === 0n || typeof programId !== "string") continue;
    const minor = parseAmount(event.payload.amount as string, CNY);
    if (!minor.ok) throw new Error(`stored amount ${event.payload.amount}`);
    paid.set(programId, (paid.get(programId) ?? 0n) + sign * minor.value);
  }
  return paid;
};

describe("money, for any sequence of entries", () => {
  it("keeps every fund's balance equal to its postings, never negative, and every entry balanced", () => {
    // A property that held only because every step was refused would prove nothing: count them.
    const tried = new Map<Command["type"], number>();
    const recorded = new Map<Command["type"], number>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 40 }), (steps) => {
        const ledger = opened();
        for (const command of steps) {
          const before = ledger.events.length;
          const sent = command(ledger.events);
          const result = ledger.execute(sent);
          tried.set(sent.type, (tried.get(sent.type) ?? 0) + 1);
          if (result.ok) recorded.set(sent.type, (recorded.get(sent.type) ?? 0) + 1);
          else {
            expect(ledger.events).toHaveLength(before);
            expectDeclared(sent, result.error);
          }
          const balances = journalBalances(ledger.events);
          for (const fundId of FUNDS) {
            const balance = ledger.state.funds[fundId]?.balance;
            expect(balance).toBe(balances.get(fundId));
            expect(balance !== undefined && balance >= 0n).toBe(true);
          }
        }
        for (const event of ledger.events) {
          expect(
            postingsOf(event).reduce((sum, posting) => sum + posting.amount, 0n),
            `${event.type} #${event.seq}`,
          ).toBe(0n);
        }
        const paid = journalPaid(ledger.events);
        for (const programId of Object.keys(PROGRAMS)) {
          expect(ledger.state.programs[programId]?.paid).toBe(paid.get(programId) ?? 0n);
        }
      }),
      { numRuns: 150 },
    );
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n, 0);
    expect(total(recorded) / total(tried)).toBeGreaterThan(SHARE_RECORDED);
    for (const [type, sent] of tried) {
      expect(
        (recorded.get(type) ?? 0) / sent,
        `${type}: ${recorded.get(type) ?? 0} of ${sent} recorded`,
      ).toBeGreaterThan(SHARE_RECORDED_OF_EACH);
    }
  });

  it("records a collection or payout for exactly the amount the caller wrote", () => {
    fc.assert(
      fc.property(amount, (text) => {
        const ledger = opened();
        const result = ledger.execute({
          type: "record-collection",
          fundId: "warmth",
          source: "dues",
          amount: text,
          receivedOn: "2010-12-01",
        });
        const parsed = parseAmount(text, CNY);
        expect(result.ok).toBe(parsed.ok);
        if (!result.ok || !parsed.ok) return;
        expect(ledger.state.funds.warmth?.balance).toBe(parsed.value);
        const payout = ledger.execute({
          type: "record-payout",
          programId: "winter-warmth",
          beneficiaryId: "hh-wang-guilan",
          amount: text,
          paidOn: "2010-12-02",
        });
        expect(payout.ok).toBe(true);
        expect(ledger.state.funds.warmth?.balance).toBe(0n);
      }),
      { numRuns: 200 },
    );
  });
});
