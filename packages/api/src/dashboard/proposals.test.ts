import { describe, expect, it } from "vitest";
import { type Api, ApiProblem } from "./api.ts";
import { type ProposalQuery, type Proposals, type ProposalView, proposalsOf, readProposals } from "./proposals.ts";

/** A proposal of the given id and state; the rest is what any payout proposal holds. */
const proposal = (id: number, state: ProposalView["state"]): ProposalView => ({
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
  reserves: state === "pending" ? [{ fundId: "relief", amount: "100.00" }] : [],
  approvals: [],
  state,
});

/** The API's listing over these proposals: newest first, by state, before an id, a page of `limit` and a cursor. */
function listing(all: readonly ProposalView[]): Proposals & { reads: ProposalQuery[] } {
  const reads: ProposalQuery[] = [];
  const newest = [...all].sort((a, b) => b.id - a.id);
  const list = async (query: ProposalQuery) => {
    reads.push(query);
    const matching = newest.filter(
      (p) =>
        (query.state === undefined || p.state === query.state) && (query.before === undefined || p.id < query.before),
    );
    const proposals = matching.slice(0, query.limit);
    const last = proposals.at(-1);
    return matching.length > query.limit && last ? { proposals, nextCursor: last.id } : { proposals };
  };
  return { reads, list, one: async (id) => all.find((p) => p.id === id) };
}

const decided = (p: ProposalView) => p.state !== "pending";

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

/** An Api that answers each path from `answers` (a function throws, as the client does on a 4xx), and keeps the paths asked. */
function apiAnswering(answers: Record<string, unknown>): Api & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async get<T>(path: string): Promise<T> {
      asked.push(path);
      const answer = answers[path];
      if (typeof answer === "function") throw answer();
      if (answer === undefined) throw new Error(`unexpected ${path}`);
      return answer as T;
    },
  };
}

/** A proposal as the API sends it: with what the dashboard does not show as well. */
const sent = (id: number, state: ProposalView["state"]) => ({
  ...proposal(id, state),
  reserved: state === "pending" ? "100.00" : "0.00",
  programId: "winter",
  beneficiaryId: "hh-0001",
  ...(state === "pending" ? { expiresOn: "2010-07-01" } : {}),
});

const notFound = (type: string) => () =>
  new ApiProblem(404, { type: `https://relief-ledger.example/problems/${type}` });

describe("the proposals of a book, through the API", () => {
  it("lists through GET …/approvals with the API's cursor, and takes its nextCursor as an id", async () => {
    const api = apiAnswering({
      "/v1/books/b%2F1/approvals?state=pending&programId=winter&cursor=9&limit=2": {
        proposals: [sent(8, "pending"), sent(7, "pending")],
        nextCursor: "7",
      },
    });
    const page = await proposalsOf(api, "b/1").list({ state: "pending", programId: "winter", before: 9, limit: 2 });
    expect(page.proposals.map((p) => [p.id, p.state, p.reserves, p.expiresOn])).toEqual([
      [8, "pending", [{ fundId: "relief", amount: "100.00" }], "2010-07-01"],
      [7, "pending", [{ fundId: "relief", amount: "100.00" }], "2010-07-01"],
    ]);
    expect(page.nextCursor).toBe(7);
  });

  it("refuses an answer that is not a list of proposals rather than showing it", async () => {
    const api = apiAnswering({ "/v1/books/b/approvals?limit=1": { proposals: [{ id: "1" }] } });
    await expect(proposalsOf(api, "b").list({ limit: 1 })).rejects.toThrow();
  });

  it("reads one through GET …/approvals/{id}, and a proposal the API does not have as none", async () => {
    const api = apiAnswering({
      "/v1/books/b/approvals/5": sent(5, "posted"),
      "/v1/books/b/approvals/6": notFound("proposal-not-found"),
      "/v1/books/b/approvals/7": () =>
        new ApiProblem(403, { type: "https://relief-ledger.example/problems/forbidden" }),
    });
    const proposals = proposalsOf(api, "b");
    expect((await proposals.one(5))?.state).toBe("posted");
    expect(await proposals.one(6)).toBeUndefined();
    await expect(proposals.one(7)).rejects.toBeInstanceOf(ApiProblem);
  });
});
