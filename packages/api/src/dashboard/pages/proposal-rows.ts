import { html } from "hono/html";
import { daysBetween, formatCount, formatYuan } from "../format.ts";
import { bracketed, colon, type Lang, t } from "../labels.ts";
import type { Html } from "../layout.ts";
import { type Names, named } from "../names.ts";
import { problemTitle } from "../problems.ts";
import type { ProposalView } from "../proposals.ts";
import { term } from "../terms.ts";
import { entryLink, proposalLink } from "./entries.ts";
import { accountWords, type Shown } from "./payload.ts";

/** What the rows of the approvals page are drawn with: the payload's names and the day. */
export type Rows = Shown & {
  /** Today in the book's time zone, for a pending proposal's age. */
  readonly today: string;
};

const separator = (lang: Lang) => (lang === "en" ? ", " : "、");
const each = <T>(lang: Lang, items: readonly T[], draw: (item: T) => Html | string) =>
  items.length === 0 ? "—" : html`${items.map((item, n) => html`${n > 0 ? separator(lang) : ""}${draw(item)}`)}`;

/** The programme a proposal pays from: only a payout names one. */
export function programmeOf(proposal: ProposalView, names: Names): Html | string {
  const { request } = proposal;
  return request.type === "record-payout" ? named(names.programs, request.programId) : "—";
}

/** The programme's id, when the proposal names one. */
export const programIdOf = (proposal: ProposalView): string | undefined =>
  proposal.request.type === "record-payout" ? proposal.request.programId : undefined;

/** The beneficiaries the rows name, to read their names once for the whole page. */
export const beneficiariesOfProposals = (proposals: readonly ProposalView[]) =>
  proposals.map(({ request }) => (request.type === "record-payout" ? request.beneficiaryId : undefined));

/** Who the money goes to: the beneficiary of a payout, the fund a transfer fills, the entry a reversal undoes. */
export function payeeOf(proposal: ProposalView, shown: Shown): Html {
  const { request } = proposal;
  if (request.type === "record-payout") return accountWords(`beneficiary:${request.beneficiaryId}`, shown);
  if (request.type === "record-transfer") return accountWords(`fund:${request.toFundId}`, shown);
  if (request.type === "record-payout-chunk") {
    return html`${term(shown.lang, "batch")} <code>${request.batchId}</code> (${formatCount(request.lines.length)})`;
  }
  return html`${t(shown.lang, "reverses")} ${entryLink(shown.book, request.seq)}`;
}

/** The funds a pending proposal holds back, with the amounts. */
export const reservedOf = (proposal: ProposalView, rows: Shown): Html | string =>
  each(
    rows.lang,
    proposal.reserves,
    (reserve) =>
      html`<span data-fund="${reserve.fundId}">${named(rows.names.funds, reserve.fundId)} ${formatYuan(reserve.amount)}</span>`,
  );

/** Who approved, each with the day: `<code>sub</code>（2010-06-01）`. */
export const approvalsOf = (lang: Lang, approvals: ProposalView["approvals"]): Html | string =>
  each(
    lang,
    approvals,
    ({ by, on }) => html`<span data-approver="${by}"><code>${by}</code>${bracketed(lang, on)}</span>`,
  );

const kindOf = (proposal: ProposalView, lang: Lang) =>
  html`<span data-kind="${proposal.kind}">${term(lang, proposal.kind)}</span>`;

export const pendingHead = (lang: Lang) =>
  html`<thead><tr><th class="num">${t(lang, "proposal")}</th><th>${t(lang, "kind")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "programme")}</th><th>${t(lang, "payee")}</th><th>${t(lang, "reservedFunds")}</th><th>${t(lang, "proposer")}</th><th>${t(lang, "approvalsSoFar")}</th><th class="num">${t(lang, "needs")}</th><th>${t(lang, "madeOn")}</th><th class="num">${t(lang, "age")}</th><th>${t(lang, "expiresOn")}</th></tr></thead>`;

/** A proposal awaiting approval: what, how much, for whom, from which funds, who asked, who approved so far, how long it has waited, until when it may be approved. */
export function pendingRow(proposal: ProposalView, rows: Rows): Html {
  const { lang, book } = rows;
  const age = daysBetween(proposal.madeOn, rows.today);
  return html`<tr data-proposal="${proposal.id}" data-state="${proposal.state}">
<td class="num">${proposalLink(book, proposal.id)}</td>
<td>${kindOf(proposal, lang)}</td>
<td class="num" data-field="amount">${formatYuan(proposal.amount)}</td>
<td data-field="programme">${programmeOf(proposal, rows.names)}</td>
<td data-field="payee">${payeeOf(proposal, rows)}</td>
<td data-field="reserved">${reservedOf(proposal, rows)}</td>
<td data-field="proposer"><code>${proposal.proposer}</code></td>
<td data-field="approvals">${approvalsOf(lang, proposal.approvals)}</td>
<td class="num" data-field="needs">${proposal.approvals.length} / ${proposal.needs}</td>
<td data-field="made-on">${proposal.madeOn}</td>
<td class="num" data-field="age">${age === undefined ? "—" : `${formatCount(age)} ${t(lang, "days")}`}</td>
<td data-field="expires-on">${proposal.expiresOn ?? "—"}</td>
</tr>`;
}

export const decisionHead = (lang: Lang) =>
  html`<thead><tr><th class="num">${t(lang, "proposal")}</th><th>${t(lang, "kind")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "programme")}</th><th>${t(lang, "payee")}</th><th>${t(lang, "proposer")}</th><th>${t(lang, "decision")}</th><th>${t(lang, "decidedBy")}</th><th>${t(lang, "noteOrRefusal")}</th><th>${t(lang, "decidedOn")}</th></tr></thead>`;

/** What a void says beyond its reason: the note, or the refusal of the re-check, by its code in words. */
function noteOf(proposal: ProposalView, lang: Lang): Html | string {
  const voided = proposal.voided;
  if (!voided) return "";
  const refusal = voided.refusal;
  const refused = refusal
    ? html`<span data-field="refusal" data-code="${refusal.code}" title="${refusal.message}">${problemTitle(lang, refusal.code) ?? ""} <code>${refusal.code}</code></span>`
    : "";
  const note = voided.note ? html`<span>${voided.note}</span>` : "";
  return html`${note}${note && refused ? html`<br>` : ""}${refused}`;
}

/** How a proposal was decided: posted as an entry (linked), or voided, and why, in words. */
export function decisionOf(proposal: ProposalView, lang: Lang, book: string): Html | string {
  if (proposal.state === "posted" && proposal.posted)
    return html`<span data-decision="posted">${term(lang, "posted")}${colon(lang)}${entryLink(book, proposal.posted.seq)}</span>`;
  if (proposal.state === "voided" && proposal.voided)
    return html`<span data-decision="voided" data-reason="${proposal.voided.reason}">${term(lang, "voided")}${colon(lang)}${term(lang, proposal.voided.reason)}</span>`;
  return html`<span data-decision="${proposal.state}">${term(lang, proposal.state)}</span>`;
}

/** Who decided: everyone who approved a posted one; who voided a voided one (expiry is no one's act). */
function deciderOf(proposal: ProposalView, lang: Lang): Html | string {
  if (proposal.state === "posted") return approvalsOf(lang, proposal.approvals);
  if (proposal.voided?.by) return html`<code>${proposal.voided.by}</code>`;
  return proposal.voided ? t(lang, "nobody") : "—";
}

/** A proposal that was decided: posted, or voided with its reason, by whom, with the note, and when. */
export function decisionRow(proposal: ProposalView, rows: Shown): Html {
  const { lang, book } = rows;
  const on = proposal.posted?.on ?? proposal.voided?.on;
  return html`<tr data-proposal="${proposal.id}" data-state="${proposal.state}">
<td class="num">${proposalLink(book, proposal.id)}</td>
<td>${kindOf(proposal, lang)}</td>
<td class="num" data-field="amount">${formatYuan(proposal.amount)}</td>
<td data-field="programme">${programmeOf(proposal, rows.names)}</td>
<td data-field="payee">${payeeOf(proposal, rows)}</td>
<td data-field="proposer"><code>${proposal.proposer}</code></td>
<td data-field="decision">${decisionOf(proposal, lang, book)}</td>
<td data-field="decided-by">${deciderOf(proposal, lang)}</td>
<td data-field="note">${noteOf(proposal, lang)}</td>
<td data-field="decided-on">${on ?? "—"}</td>
</tr>`;
}

/** One proposal in full, for a link from an entry: every fact of its record, and the entries it made and posted. */
export function proposalRecord(proposal: ProposalView, rows: Rows): Html {
  const { lang, book } = rows;
  const row = (word: Parameters<typeof t>[1], value: Html | string, field: string) =>
    html`<div data-field="${field}"><dt>${t(lang, word)}</dt><dd>${value}</dd></div>`;
  const age = proposal.state === "pending" ? daysBetween(proposal.madeOn, rows.today) : undefined;
  return html`<dl class="record" data-testid="proposal" data-proposal="${proposal.id}" data-state="${proposal.state}">
${row("proposal", html`#${proposal.id}`, "id")}
${row("status", decisionOf(proposal, lang, book), "decision")}
${row("kind", kindOf(proposal, lang), "kind")}
${row("amount", formatYuan(proposal.amount), "amount")}
${row("programme", programmeOf(proposal, rows.names), "programme")}
${row("payee", payeeOf(proposal, rows), "payee")}
${proposal.state === "pending" ? row("reservedFunds", reservedOf(proposal, rows), "reserved") : ""}
${row("date", proposal.on, "on")}
${row("proposer", html`<code>${proposal.proposer}</code>`, "proposer")}
${row("madeOn", html`${proposal.madeOn}${age === undefined ? "" : bracketed(lang, `${formatCount(age)} ${t(lang, "days")}`)}`, "made-on")}
${proposal.expiresOn ? row("expiresOn", proposal.expiresOn, "expires-on") : ""}
${row("madeBy", entryLink(book, proposal.id), "made-by")}
${row("approvalsSoFar", approvalsOf(lang, proposal.approvals), "approvals")}
${row("needs", `${proposal.approvals.length} / ${proposal.needs}`, "needs")}
${proposal.voided ? row("decidedBy", deciderOf(proposal, lang), "decided-by") : ""}
${proposal.voided ? row("noteOrRefusal", noteOf(proposal, lang) || "—", "note") : ""}
${proposal.voided ? row("decidedOn", proposal.voided.on, "decided-on") : ""}
</dl>`;
}
