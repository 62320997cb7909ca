import { html } from "hono/html";
import { PROBLEM_BASE } from "../../problem.ts";
import { type Api, ApiProblem } from "../api.ts";
import { type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { beneficiaryNames, type Names, namesOf } from "../names.ts";
import { PROPOSAL_STATES, type ProposalState, type Proposals, readProposals } from "../proposals.ts";
import { term } from "../terms.ts";
import {
  beneficiariesOfProposals,
  decisionHead,
  decisionRow,
  pendingHead,
  pendingRow,
  proposalRecord,
  type Rows,
} from "./proposal-rows.ts";
import type { BookView } from "./types.ts";

/** The approvals page's query: the filters a person sets, where the page starts, or one proposal. */
export type ApprovalsQuery = {
  readonly state?: ProposalState;
  readonly programId?: string;
  readonly before?: number;
  readonly limit: number;
  readonly proposal?: number;
};

const ID = /^[1-9]\d{0,14}$/;

/** The query parameters the page reads, as they came. */
export type ApprovalsParams = Partial<Record<"state" | "programId" | "before" | "limit" | "proposal", string>>;

/** The query as the page takes it; a value it cannot take is a 400, said in the page as the API's own would be. */
export function approvalsQuery(params: ApprovalsParams): ApprovalsQuery {
  const value = (key: keyof ApprovalsParams) => params[key]?.trim() || undefined;
  const invalid: string[] = [];
  const state = value("state");
  if (state !== undefined && !(PROPOSAL_STATES as readonly string[]).includes(state)) invalid.push("state");
  const id = (key: "before" | "proposal") => {
    const text = value(key);
    if (text === undefined) return undefined;
    if (ID.test(text)) return Number(text);
    invalid.push(key);
    return undefined;
  };
  const before = id("before");
  const proposal = id("proposal");
  if (invalid.length > 0) {
    const problem = {
      type: `${PROBLEM_BASE}validation-failed`,
      title: "The request is not valid",
      errors: invalid.map((path) => ({ path, message: "not valid" })),
    };
    throw new ApiProblem(400, problem);
  }
  const programId = value("programId");
  const limit = Math.min(Math.max(Number(value("limit") ?? "50") || 50, 1), 100);
  return {
    limit,
    ...(state ? { state: state as ProposalState } : {}),
    ...(programId ? { programId } : {}),
    ...(before !== undefined ? { before } : {}),
    ...(proposal !== undefined ? { proposal } : {}),
  };
}

const queryOf = (query: Partial<Record<string, string | number | undefined>>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== "") search.set(key, `${value}`);
  const text = search.toString();
  return text ? `?${text}` : "";
};

const approvalsPath = (book: string, query: Partial<Record<string, string | number | undefined>> = {}) =>
  dashboardBookPath(book, `/approvals${queryOf(query)}`);

function filterForm(book: string, query: ApprovalsQuery, programs: ReadonlyMap<string, string>, lang: Lang): Html {
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${value === selected ? html` selected` : ""}>${label}</option>`;
  const limit = String(query.limit);
  return html`<form class="filters" method="get" action="${approvalsPath(book)}" data-testid="approvals-filters">
<label>${t(lang, "status")} <select name="state">${option("", t(lang, "any"), query.state ?? "")}${PROPOSAL_STATES.map((state) => option(state, term(lang, state), query.state))}</select></label>
<label>${t(lang, "programme")} <select name="programId">${option("", t(lang, "any"), query.programId ?? "")}${[...programs].map(([id, name]) => option(id, name, query.programId))}</select></label>
<label>${t(lang, "perPage")} <select name="limit">${["25", "50", "100"].map((n) => html`<option${n === limit ? html` selected` : ""}>${n}</option>`)}</select></label>
<button type="submit">${t(lang, "filter")}</button>
<a class="button secondary" href="${approvalsPath(book)}">${t(lang, "clear")}</a>
</form>`;
}

const table = (testId: string, head: Html, rows: readonly Html[], empty: string) =>
  rows.length === 0
    ? html`<p class="empty" data-testid="${testId}-empty">${empty}</p>`
    : html`<div class="scroll"><table class="proposals" data-testid="${testId}">${head}<tbody>${rows}</tbody></table></div>`;

/**
 * A book's approvals: the proposals awaiting approval first (with what each reserves, how long it
 * has waited and until when it may be approved), then the decisions, newest first, each posted one
 * linked to its entry and each voided one with its reason, who voided it and why; filtered by state
 * and programme, paged by the id of the last proposal shown. With `?proposal=` it shows that one
 * proposal in full.
 */
export async function approvalsPage(
  api: Api,
  proposals: Proposals,
  lang: Lang,
  book: BookView,
  today: string,
  query: ApprovalsQuery,
): Promise<Html> {
  const names = await namesOf(api, book.id);
  if (query.proposal !== undefined) return onePage(api, proposals, lang, book, today, query.proposal, names);
  const { state, programId, before, limit } = query;
  const filter = { ...(programId ? { programId } : {}) };
  // Pending ones head the first page; a page that starts further on, or asks for decisions only, has none.
  const pendingOnly = state === "pending";
  const showPending = pendingOnly || (state === undefined && before === undefined);
  const [pending, decided] = await Promise.all([
    showPending
      ? readProposals(proposals, {
          ...filter,
          state: "pending",
          limit,
          ...(pendingOnly && before !== undefined ? { before } : {}),
        })
      : undefined,
    pendingOnly
      ? undefined
      : readProposals(
          proposals,
          { ...filter, ...(state ? { state } : {}), ...(before !== undefined ? { before } : {}), limit },
          (proposal) => proposal.state !== "pending",
        ),
  ]);
  const listed = [...(pending?.shown ?? []), ...(decided?.shown ?? [])];
  const beneficiaries = await beneficiaryNames(api, book.id, beneficiariesOfProposals(listed));
  const rows: Rows = { lang, book: book.id, names, beneficiaries, today };
  const kept = { state, programId, limit: limit === 50 ? undefined : limit };
  const paged = pendingOnly ? pending : decided;
  return html`<section class="approvals" data-testid="approvals">
<h1>${t(lang, "approvals")}</h1>
${filterForm(book.id, query, names.programs, lang)}
${
  pending
    ? html`<h2>${t(lang, "awaitingApproval")}</h2>
${table(
  "pending",
  pendingHead(lang),
  pending.shown.map((proposal) => pendingRow(proposal, rows)),
  t(lang, "noPending"),
)}
${!pendingOnly && pending.next !== undefined ? html`<p><a href="${approvalsPath(book.id, { state: "pending", programId, before: pending.next })}" data-testid="more-pending">${t(lang, "morePending")} →</a></p>` : ""}`
    : ""
}
${
  decided
    ? html`<h2>${t(lang, "recentDecisions")}</h2>
${table(
  "decisions",
  decisionHead(lang),
  decided.shown.map((proposal) => decisionRow(proposal, rows)),
  t(lang, "noDecisions"),
)}`
    : ""
}
<nav class="pager">
${before !== undefined ? html`<a class="button secondary" href="${approvalsPath(book.id, kept)}">${t(lang, "firstPage")}</a>` : ""}
${paged?.next !== undefined ? html`<a class="button" rel="next" data-testid="next-page" href="${approvalsPath(book.id, { ...kept, before: paged.next })}">${t(lang, "nextPage")} →</a>` : ""}
</nav>
</section>`;
}

async function onePage(
  api: Api,
  proposals: Proposals,
  lang: Lang,
  book: BookView,
  today: string,
  id: number,
  names: Names,
): Promise<Html> {
  const proposal = await proposals.one(id);
  if (!proposal) {
    const missing = { type: `${PROBLEM_BASE}proposal-not-found`, title: "No such proposal", proposalId: id };
    throw new ApiProblem(404, missing);
  }
  const beneficiaries = await beneficiaryNames(api, book.id, beneficiariesOfProposals([proposal]));
  const rows: Rows = { lang, book: book.id, names, beneficiaries, today };
  return html`<section class="approvals" data-testid="approvals">
<h1>${t(lang, "proposal")} #${proposal.id}</h1>
<nav class="pager"><a class="button secondary" href="${approvalsPath(book.id)}">${t(lang, "allApprovals")}</a></nav>
${proposalRecord(proposal, rows)}
</section>`;
}
