import { describe, expect, it } from "vitest";
import { type ProposalQuery, type Proposals, type ProposalView, readProposals } from "./proposals.ts";

/** A proposal of the given id and state; the rest is what any payout proposal holds. */
const proposal = (id: number, status: ProposalView["status"]): ProposalView => ({
  id,
  kind: "payout",
  request: {
    type: "record-payout",
    programId: "winter",
    beneficiaryId: "hh-0001",
    amount: "100.00",
    paidOn: "2010-06-01",
  },
  proposer: "cashier-wang",
  needs: 1,
  amount: "100.00",
  on: "2010-06-01",
  madeOn: "2010-06-01",
  approvals: [],
  status,
});

/** The store's listing over these proposals: newest first, by state, before an id, a page of `limit` and a cursor. */
function listing(all: readonly ProposalView[]): Proposals & { reads: ProposalQuery[] } {
  const reads: ProposalQuery[] = [];
  const newest = [...all].sort((a, b) => b.id - a.id);
  const list = async (query: ProposalQuery) => {
    reads.push(query);
    const matching = newest.filter(
      (p) =>
        (query.state === undefined || p.status === query.state) && (query.before === undefined || p.id < query.before),
    );
    const proposals = matching.slice(0, query.limit);
    const last = proposals.at(-1);
    return matching.length > query.limit && last ? { proposals, nextCursor: last.id } : { proposals };
  };
  return { reads, list, one: async (id) => all.find((p) => p.id === id) };
}

const decided = (p: ProposalView) => p.status !== "pending";

describe("a page of proposals", () => {
  it("shows the decided ones among pending ones, and starts the next page after the last one shown", async () => {
    const store = listing([
      proposal(9, "pending"),
      proposal(8, "posted"),
      proposal(7, "pending"),
      proposal(6, "voided"),
      proposal(5, "posted"),
      proposal(4, "voided"),
    ]);
    const first = await readProposals(store, { limit: 2 }, decided);
    expect(first.shown.map((p) => p.id)).toEqual([8, 6]);
    expect(first.next).toBe(6);
    const second = await readProposals(store, { limit: 2, before: 6 }, decided);
    expect(second.shown.map((p) => p.id)).toEqual([5, 4]);
    expect(second.next).toBeUndefined();
  });

  it("asks the store for one more than it shows, so that a full last page offers no next page", async () => {
    const store = listing([proposal(3, "voided"), proposal(2, "voided")]);
    const page = await readProposals(store, { state: "voided", limit: 2 });
    expect(page.shown.map((p) => p.id)).toEqual([3, 2]);
    expect(page.next).toBeUndefined();
    expect(store.reads).toEqual([{ state: "voided", limit: 3 }]);
  });

  it("gives up after a bounded number of reads and continues where the reads stopped", async () => {
    const pending = Array.from({ length: 1_200 }, (_, n) => proposal(n + 2, "pending"));
    const store = listing([proposal(1, "posted"), ...pending]);
    const page = await readProposals(store, { limit: 5 }, decided);
    expect(page.shown).toEqual([]);
    expect(store.reads.length).toBe(10);
    expect(page.next).toBeGreaterThan(1);
    const rest = await readProposals(store, { limit: 5, before: page.next as number }, decided);
    expect(rest.shown.map((p) => p.id)).toEqual([1]);
    expect(rest.next).toBeUndefined();
  });
});
