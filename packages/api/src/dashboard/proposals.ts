import { ProposalKind, ProposedRequest, VoidReason } from "@relief-ledger/core";
import { z } from "zod";
import { type Api, ApiProblem, bookPath } from "./api.ts";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Sub = z.string().min(1).max(200);
/** A proposal id as the API's list sends its cursor: the seq of the entry that made it, as text. */
const Cursor = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number);

export const PROPOSAL_STATES = ["pending", "posted", "voided"] as const;
export const ProposalState = z.enum(PROPOSAL_STATES);
export type ProposalState = z.infer<typeof ProposalState>;

/** What a fund holds back while a proposal waits. */
export const Reserve = z.object({ fundId: z.string().min(1), amount: z.string() });
export type Reserve = z.infer<typeof Reserve>;

/**
 * A proposal as the API shows it (GET /v1/books/{book}/approvals, routes/proposal-view.ts), parsed
 * as it comes back: what the approvals page and the entry page show of it.
 */
export const ProposalView = z.object({
  id: z.int().positive(),
  kind: ProposalKind,
  state: ProposalState,
  request: ProposedRequest,
  proposer: Sub,
  needs: z.int().min(1),
  amount: z.string(),
  /** What it holds back, fund by fund: only while pending. */
  reserves: z.array(Reserve),
  on: Day,
  madeOn: Day,
  /** While pending: the last day it may be approved. */
  expiresOn: Day.optional(),
  approvals: z.array(z.object({ by: Sub, on: Day })),
  posted: z.object({ seq: z.int().positive(), on: Day }).optional(),
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

const ProposalList = z.object({ proposals: z.array(ProposalView), nextCursor: Cursor.optional() });

export type ProposalQuery = {
  readonly state?: ProposalState;
  readonly programId?: string;
  /** Only proposals made before this one: where the previous page ended (the API's cursor). */
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

const isProposalNotFound = (error: unknown) =>
  error instanceof ApiProblem && error.status === 404 && (error.problem.type ?? "").endsWith("/proposal-not-found");

/** The proposals of one book, through the JSON API's approvals routes, as the signed-in token reads them. */
export function proposalsOf(api: Api, book: string): Proposals {
  return {
    async list({ state, programId, before, limit }) {
      const path = bookPath(book, "/approvals", { state, programId, cursor: before, limit });
      const { proposals, nextCursor } = ProposalList.parse(await api.get<unknown>(path));
      return nextCursor === undefined ? { proposals } : { proposals, nextCursor };
    },
    async one(id) {
      try {
        return ProposalView.parse(await api.get<unknown>(bookPath(book, `/approvals/${id}`)));
      } catch (error) {
        if (isProposalNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

/**
 * Proposals asked for per read after the first, when most of what is read is filtered out here.
 * The API lists at most 200 a page; a page of the dashboard shows at most 100 (the first read asks
 * for one more), so no read here asks past it.
 */
const STRIDE = 100;
/** Reads one page may make to fill itself. */
const MAX_READS = 10;

/**
 * One page of proposals that pass `keep` (the decided ones, when the API lists every state), and
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
