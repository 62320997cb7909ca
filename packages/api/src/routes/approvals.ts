import { OpenAPIHono, z } from "@hono/zod-openapi";
import { CommandSchemas, DEFAULT_APPROVAL_TTL_DAYS, type ProposalRecord, ProposalStatus } from "@relief-ledger/core";
import type { AppEnv } from "../env.ts";
import { ProblemError, problemFor } from "../problem.ts";
import { BatchDecision, decideProposal } from "./batch-approvals.ts";
import {
  BookParams,
  entryCreated,
  guarded,
  Id,
  IdempotencyHeaders,
  JournalEntry,
  jsonBody,
  withDocs,
} from "./common.ts";
import { operation } from "./operation.ts";
import { ProposalView, proposalView } from "./proposal-view.ts";
import { recordAndAnswer } from "./record.ts";
import { requireBook } from "./views.ts";

/*
 * Maker-checker over HTTP. Finance proposes by asking for money as always (under a policy the
 * answer is 202 with the proposal); approvers approve or reject here; the proposer may withdraw.
 * Every step is an entry of the journal, answered as one; the approval that completes the policy
 * answers with the money entry it posted. Policies are set by the admin who opens the book, never
 * by the finance office whose payouts they hold.
 */

const ProposalParams = BookParams.extend({
  proposalId: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, "must be a proposal id: the seq of the entry that made it")
    .transform(Number)
    .openapi({ param: { name: "proposalId", in: "path" }, example: "42", description: "The proposal's id" }),
});

const ProgramParams = BookParams.extend({ program: Id.openapi({ param: { name: "program", in: "path" } }) });

/** Proposals per page: the default and the most one page holds. */
const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;

const ListQuery = z.object({
  state: ProposalStatus.optional().openapi({ description: "Only proposals in this state" }),
  programId: Id.optional().openapi({ description: "Only payouts of this programme" }),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, "must be the previous page's nextCursor")
    .transform(Number)
    .optional()
    .openapi({ description: "From the previous page's nextCursor" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_MAX)
    .default(PAGE_DEFAULT)
    .openapi({ example: 50, description: `Proposals per page, 1 to ${PAGE_MAX}` }),
});

const ProposalList = z
  .object({
    proposals: z.array(ProposalView),
    nextCursor: z.string().optional().openapi({ description: "Present while older proposals remain" }),
  })
  .openapi("ProposalList");

const Rules = withDocs(CommandSchemas["set-approval-policy"].pick({ approvals: true, approvalTtlDays: true }), {
  approvals: {
    description:
      "Each rule: an amount above `over` needs `levels` approvals, from as many different approvers; the strictest " +
      "rule an amount passes applies. An empty list: money moves at once.",
    example: [
      { over: "0.00", levels: 1 },
      { over: "10000.00", levels: 2 },
    ],
  },
  approvalTtlDays: {
    description: `Days a proposal waits for approval before it expires (${DEFAULT_APPROVAL_TTL_DAYS} when never set)`,
  },
});
const BookPolicy = Rules.openapi("BookApprovalPolicy");
const ProgramPolicy = Rules.pick({ approvals: true }).openapi("ProgramApprovalPolicy");

const listProposals = operation(
  {
    method: "get",
    path: "/books/{book}/approvals",
    operationId: "listProposals",
    tags: ["Approvals"],
    summary: "Proposals awaiting approval and those decided, newest first",
    ...guarded("read"),
    request: { params: BookParams, query: ListQuery },
    responses: {
      200: { description: "A page of proposals", content: { "application/json": { schema: ProposalList } } },
    },
  },
  { raises: ["book-not-found"] },
);

const getProposal = operation(
  {
    method: "get",
    path: "/books/{book}/approvals/{proposalId}",
    operationId: "getProposal",
    tags: ["Approvals"],
    summary: "One proposal: what it asks, what it reserves, who approved it, and what became of it",
    ...guarded("read"),
    request: { params: ProposalParams },
    responses: { 200: { description: "The proposal", content: { "application/json": { schema: ProposalView } } } },
  },
  { raises: ["book-not-found", "proposal-not-found"] },
);

/** Approving and withdrawing say nothing but which proposal: the body may be absent, or `{}`. */
const NoBody = z.strictObject({}).openapi("Empty");

/** A proposal's decision answers its entry; a payout batch's, what became of the whole batch. */
const decided = {
  ...entryCreated,
  201: {
    description:
      "Recorded: the entry (ProposalApproved, the money entry, or ProposalVoided); for a proposal of a payout " +
      "batch, every proposal of the batch is decided and the answer says line by line what was paid",
    content: { "application/json": { schema: z.union([JournalEntry, BatchDecision]) } },
  },
};

const decision = <B extends z.ZodObject>(
  step: "approve" | "reject" | "withdraw",
  operationId: string,
  summary: string,
  description: string,
  command: "approve-proposal" | "reject-proposal" | "withdraw-proposal",
  body: B,
) =>
  operation(
    {
      method: "post",
      path: `/books/{book}/approvals/{proposalId}/${step}`,
      operationId,
      tags: ["Approvals"],
      summary,
      description,
      ...guarded(step === "withdraw" ? "money" : "approve"),
      request: {
        params: ProposalParams,
        headers: IdempotencyHeaders,
        body: { content: { "application/json": { schema: body } }, required: body !== NoBody },
      },
      responses: decided,
    },
    { commands: [command] },
  );

const approve = decision(
  "approve",
  "approveProposal",
  "Approve a proposal (审批); the approval that completes its policy records the money entry",
  "Answers 201 with the entry recorded: a ProposalApproved while more approvals are needed, or the money entry " +
    "itself (naming proposer and approvers) when this one completes the policy. That last approval decides the " +
    "request again against the ledger as it is now: if it no longer passes (a hardship file closed, a programme " +
    "closed meanwhile) the proposal is voided, its reservation released, and the approval answered with the " +
    "refusal's problem, with `proposalId` and `voidedSeq`. A retry with the same Idempotency-Key answers the same.",
  "approve-proposal",
  NoBody,
);
const Rejection = withDocs(CommandSchemas["reject-proposal"].pick({ reason: true }), {
  reason: { description: "Why (驳回理由); shown to the proposer and in the journal", example: "材料不全" },
}).openapi("ProposalRejection");
const reject = decision(
  "reject",
  "rejectProposal",
  "Reject a proposal (驳回): it is voided and its reservation released",
  "Answers 201 with the ProposalVoided entry.",
  "reject-proposal",
  Rejection,
);
const withdraw = decision(
  "withdraw",
  "withdrawProposal",
  "Withdraw one's own proposal (撤回): it is voided and its reservation released",
  "Only the token subject that proposed it may. Answers 201 with the ProposalVoided entry.",
  "withdraw-proposal",
  NoBody,
);

const policyRoute = <P extends z.ZodObject, B extends z.ZodObject>(
  path: string,
  operationId: string,
  summary: string,
  params: P,
  body: B,
) =>
  operation(
    {
      method: "put",
      path,
      operationId,
      tags: ["Approvals"],
      summary,
      description:
        "Recorded as an ApprovalPolicySet entry; it applies to proposals made after it, and those already made keep " +
        "the approvals they were made with. Set by the admin, not by the finance office whose money it holds. " +
        "A programme without a policy of its own follows the book's; an empty one of its own holds nothing.",
      ...guarded("policy"),
      request: { params, headers: IdempotencyHeaders, ...jsonBody(body) },
      responses: entryCreated,
    },
    { commands: ["set-approval-policy"] },
  );

const setBookPolicy = policyRoute(
  "/books/{book}/approval-policy",
  "setBookApprovalPolicy",
  "Set the book's approval policy: for transfers and reversals, and programmes without a policy of their own",
  BookParams,
  BookPolicy,
);
const setProgramPolicy = policyRoute(
  "/books/{book}/programs/{program}/approval-policy",
  "setProgramApprovalPolicy",
  "Set a programme's approval policy: for its payouts and batches",
  ProgramParams,
  ProgramPolicy,
);

export const approvalsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listProposals, async (c) => {
    const { book } = c.req.valid("param");
    const { state, programId, cursor, limit } = c.req.valid("query");
    const { journal } = c.var.ledger;
    const head = await journal.head(book);
    requireBook(head.state, book);
    const page = await journal.proposals(book, {
      ...(state ? { state } : {}),
      ...(programId ? { programId } : {}),
      ...(cursor !== undefined ? { before: cursor } : {}),
      limit,
    });
    const proposals = page.proposals.map((record) => proposalView(book, record, head.state));
    return c.json(
      { proposals, ...(page.nextCursor !== undefined ? { nextCursor: String(page.nextCursor) } : {}) },
      200,
    );
  })
  .openapi(getProposal, async (c) => {
    const { book, proposalId } = c.req.valid("param");
    const { journal } = c.var.ledger;
    const head = await journal.head(book);
    requireBook(head.state, book);
    const record = (await journal.entity(book, `proposal/${proposalId}`)) as unknown as ProposalRecord | null;
    if (!record) {
      throw new ProblemError(
        problemFor("proposal-not-found", `no proposal ${proposalId} in book ${book}`, { proposalId }),
      );
    }
    return c.json(proposalView(book, record, head.state), 200);
  })
  .openapi(approve, async (c) => {
    const { book, proposalId } = c.req.valid("param");
    return decideProposal(c, book, proposalId, (id) => ({ type: "approve-proposal", proposalId: id }), { proposalId });
  })
  .openapi(reject, async (c) => {
    const { book, proposalId } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const command = (id: number) => ({ type: "reject-proposal" as const, proposalId: id, reason });
    return decideProposal(c, book, proposalId, command, { proposalId, reason });
  })
  .openapi(withdraw, async (c) => {
    const { book, proposalId } = c.req.valid("param");
    return decideProposal(c, book, proposalId, (id) => ({ type: "withdraw-proposal", proposalId: id }), { proposalId });
  })
  .openapi(setBookPolicy, async (c) => {
    const { book } = c.req.valid("param");
    const body = c.req.valid("json");
    return recordAndAnswer(c, book, { type: "set-approval-policy", ...body }, body);
  })
  .openapi(setProgramPolicy, async (c) => {
    const { book, program } = c.req.valid("param");
    const body = c.req.valid("json");
    return recordAndAnswer(c, book, { type: "set-approval-policy", programId: program, ...body }, { program, ...body });
  });
