import { ProposalKind, ProposedRequest, VoidReason } from "@relief-ledger/core";
import type { LedgerJournal } from "@relief-ledger/store";
import { z } from "zod";
import { can, reachesBook } from "../auth/permissions.ts";
import type { Principal } from "../auth/principal.ts";
import { PROBLEM_BASE } from "../problem.ts";
import { ApiProblem } from "./api.ts";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Sub = z.string().min(1).max(200);

/**
 * A proposal as the store keeps it (core's ProposalRecord, see packages/core/src/ledger/proposal.ts),
 * parsed as it comes back from the table: what the approvals page and the entry page show of it.
 */
export const ProposalView = z.object({
  id: z.int().positive(),
  kind: ProposalKind,
  request: ProposedRequest,
  proposer: Sub,
  needs: z.int().min(1),
  amount: z.string(),
  on: Day,
  madeOn: Day,
  approvals: z.array(z.object({ by: Sub, on: Day })),
  status: z.enum(["pending", "posted", "voided"]),
  posted: z.object({ seq: z.int().nonnegative(), on: Day }).optional(),
  voided: z
    .object({
      reason: VoidReason,
      on: Day,
      by: Sub.optional(),
      note: z.string().optional(),
      refusal: z.object({ code: z.string(), message: z.string() }).optional(),
    })
    .optional(),
});
export type ProposalView = z.infer<typeof ProposalView>;

export const PROPOSAL_STATES = ["pending", "posted", "voided"] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export type ProposalQuery = {
  readonly state?: ProposalState;
  readonly programId?: string;
  /** Only proposals made before this one: where the previous page ended. */
  readonly before?: number;
  readonly limit: number;
};

export type ProposalPage = { proposals: ProposalView[]; nextCursor?: number };

/** A book's proposals, newest first. */
export type Proposals = {
  list(query: ProposalQuery): Promise<ProposalPage>;
  /** One proposal by its id (the seq of the entry that made it), or undefined. */
  one(id: number): Promise<ProposalView | undefined>;
};

/**
 * The proposals of one book, for the token that asks. The JSON API has no list of proposals yet
 * (its approval routes are being added beside it), so this reads the store's listing
 * (`journal.proposals`, the read model the API's list will serve) — the one place the dashboard
 * reads past the API. It is called only after the API itself answered the book for this token
 * (bookPage in index.ts), and checks the same two things the API would again: the token reaches the
 * book and its role may read. When GET /v1/books/{book}/proposals exists, this becomes an
 * `api.get` and the check goes.
 */
export function proposalsOf(journal: LedgerJournal, principal: Principal, book: string): Proposals {
  if (!reachesBook(principal, book) || !can(principal.role, "read")) {
    const refused = { type: `${PROBLEM_BASE}forbidden`, title: "Not allowed", book };
    throw new ApiProblem(403, refused);
  }
  const list = async (query: ProposalQuery): Promise<ProposalPage> => {
    const answer = await journal.proposals(book, query);
    const proposals = answer.proposals.map((value) => ProposalView.parse(value));
    return answer.nextCursor === undefined ? { proposals } : { proposals, nextCursor: answer.nextCursor };
  };
  return {
    list,
    async one(id) {
      // Ids are seqs, listed newest first: the first proposal made before id + 1 is id, if it is one.
      const [found] = (await list({ before: id + 1, limit: 1 })).proposals;
      return found?.id === id ? found : undefined;
    },
  };
}

/** Proposals asked for per read after the first, when most of what is read is filtered out here. */
const STRIDE = 100;
/** Reads one page may make to fill itself. */
const MAX_READS = 10;

/**
 * One page of proposals that pass `keep` (the decided ones, when the store lists every state), and
 * where the next page starts: after the last one shown when there are more, or where the reads
 * stopped when they gave up before filling the page.
 */
export async function readProposals(
  proposals: Proposals,
  query: ProposalQuery,
  keep: (proposal: ProposalView) => boolean = () => true,
): Promise<{ shown: ProposalView[]; next?: number }> {
  const found: ProposalView[] = [];
  let before = query.before;
  let reads = 0;
  do {
    const page = await proposals.list({
      ...query,
      ...(before === undefined ? {} : { before }),
      limit: reads === 0 ? query.limit + 1 : STRIDE,
    });
    found.push(...page.proposals.filter(keep));
    before = page.nextCursor;
    reads += 1;
  } while (before !== undefined && found.length <= query.limit && reads < MAX_READS);
  const shown = found.slice(0, query.limit);
  const last = shown.at(-1)?.id;
  if (found.length > query.limit && last !== undefined) return { shown, next: last };
  return before === undefined ? { shown } : { shown, next: before };
}
