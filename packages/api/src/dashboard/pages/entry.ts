import { html } from "hono/html";
import { type Api, bookPath, type Requester } from "../api.ts";
import { fieldLabel, inSchemaOrder } from "../fields.ts";
import { formatInstant, formatYuan } from "../format.ts";
import { bracketed, type Lang, t } from "../labels.ts";
import type { Html } from "../layout.ts";
import { beneficiaryNames, namesOf } from "../names.ts";
import type { Proposals, ProposalView } from "../proposals.ts";
import { eventLabel, roleLabel } from "../terms.ts";
import { undoLinks } from "../undo-index.ts";
import { beneficiaryLink, entryLink, proposalLink, undoCell } from "./entries.ts";
import { accountWords, payloadValue, type Shown } from "./payload.ts";
import { approvalsOf } from "./proposal-rows.ts";
import type { BookView, Entry } from "./types.ts";

type Posting = { account?: unknown; amount?: unknown };

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The beneficiaries an entry names: in its payload, and in its postings' accounts. */
const beneficiariesIn = (payload: Entry["payload"], postings: readonly Posting[]) => [
  text(payload.beneficiaryId),
  text(payload.householdId),
  ...postings.map((posting) => {
    const account = text(posting.account);
    return account?.startsWith("beneficiary:") ? account.slice("beneficiary:".length) : undefined;
  }),
];

type Signature = { proposalId?: unknown; proposer?: unknown; approvers?: unknown; approvedOn?: unknown };

/** The proposal an entry concerns: the one a ProposalMade, -Approved or -Voided names, or the one a money entry posts. */
function proposalIdOf(payload: Entry["payload"]): number | undefined {
  const signature = payload.proposal as Signature | undefined;
  const id = payload.proposalId ?? signature?.proposalId;
  return typeof id === "number" ? id : undefined;
}

/**
 * Who proposed and who approved, for an entry posted by approval: each approval with its day, from
 * the proposal's record; from the entry's own signature (the last approval's day only) when the
 * record cannot be read. An entry that makes, approves or voids a proposal names who proposed it.
 */
function approvalRows(
  lang: Lang,
  book: string,
  payload: Entry["payload"],
  record: ProposalView | undefined,
): Html | "" {
  const id = proposalIdOf(payload);
  if (id === undefined) return "";
  const signature = typeof payload.proposal === "object" ? (payload.proposal as Signature) : undefined;
  const proposer = record?.proposer ?? (typeof signature?.proposer === "string" ? signature.proposer : undefined);
  const signed = Array.isArray(signature?.approvers) ? signature.approvers.map(String) : [];
  const approvedOn = typeof signature?.approvedOn === "string" ? signature.approvedOn : undefined;
  const approvals =
    record && record.approvals.length >= signed.length
      ? record.approvals
      : signed.map((by, n) => ({ by, on: n === signed.length - 1 ? approvedOn : undefined }));
  return html`<div data-field="proposal"><dt>${t(lang, "proposal")}</dt><dd>${proposalLink(book, id)}</dd></div>
${proposer ? html`<div data-field="proposer"><dt>${t(lang, "proposer")}</dt><dd><code>${proposer}</code></dd></div>` : ""}
${
  signature
    ? html`<div data-field="approvers"><dt>${t(lang, "approvedBy")}</dt><dd>${approvalsOf(
        lang,
        approvals.map(({ by, on }) => ({ by, on: on ?? "—" })),
      )}</dd></div>`
    : ""
}`;
}

/**
 * One journal entry as recorded: who, when, what, its postings, and both hashes of the chain, all
 * in the reader's language: the type and every field by name, accounts and ids by what they name,
 * the time it was recorded in the book's time zone. What the ledger recorded verbatim (the type, an
 * account, the UTC time) stays in attributes, for an auditor who needs to quote it.
 */
export async function entryPage(
  app: Requester,
  api: Api,
  lang: Lang,
  book: BookView,
  seq: number,
  proposals: Proposals,
): Promise<Html> {
  const [entry, links, names] = await Promise.all([
    api.get<Entry>(bookPath(book.id, `/entries/${seq}`)),
    undoLinks(app, api, book.id, book.headSeq),
    namesOf(api, book.id),
  ]);
  const { postings: recorded, ...payload } = entry.payload;
  const proposalId = proposalIdOf(payload);
  const record = proposalId === undefined ? undefined : await proposals.one(proposalId);
  const postings = Array.isArray(recorded) ? (recorded as Posting[]) : [];
  const beneficiaries = await beneficiaryNames(api, book.id, beneficiariesIn(payload, postings));
  const shown: Shown = { lang, book: book.id, names, beneficiaries };
  const beneficiary = text(payload.beneficiaryId);
  const label = eventLabel(lang, entry.type);
  return html`<section class="entry" data-testid="entry" data-seq="${entry.seq}" data-type="${entry.type}">
<h1>${t(lang, "entry")} #${entry.seq} · ${label}</h1>
<nav class="pager">
${entry.seq > 1 ? entryLink(book.id, entry.seq - 1, `← ${t(lang, "previous")}`) : ""}
${entry.seq < book.headSeq ? entryLink(book.id, entry.seq + 1, `${t(lang, "next")} →`) : ""}
</nav>
<dl class="record">
<div><dt>${t(lang, "seq")}</dt><dd>${entry.seq}</dd></div>
<div><dt>${t(lang, "type")}</dt><dd data-field="type" title="${entry.type}">${label}</dd></div>
<div><dt>${t(lang, "date")}</dt><dd>${entry.occurredOn}</dd></div>
<div><dt>${t(lang, "recordedAt")}</dt><dd data-field="recorded-at"><time datetime="${entry.recordedAt}" title="${entry.recordedAt} · ${book.timeZone}">${formatInstant(entry.recordedAt, book.timeZone, lang)}</time></dd></div>
<div><dt>${t(lang, "actor")}</dt><dd data-field="actor"><code>${entry.actor.sub}</code>${bracketed(lang, roleLabel(lang, entry.actor.role))}</dd></div>
${approvalRows(lang, book.id, payload, record)}
<div><dt>${t(lang, "idempotencyKey")}</dt><dd><code>${entry.idempotencyKey}</code></dd></div>
${entry.requestId ? html`<div><dt>${t(lang, "requestId")}</dt><dd><code data-field="request-id">${entry.requestId}</code></dd></div>` : ""}
<div><dt>${t(lang, "prevHash")}</dt><dd><code class="hash-full">${entry.prevHash}</code></dd></div>
<div><dt>${t(lang, "hash")}</dt><dd><code class="hash-full" data-field="hash">${entry.hash}</code></dd></div>
${beneficiary ? html`<div><dt>${t(lang, "beneficiary")}</dt><dd>${beneficiaryLink(book.id, beneficiary, beneficiaries.get(beneficiary))}</dd></div>` : ""}
<div><dt>${t(lang, "links")}</dt><dd>${undoCell(book.id, entry, links.get(entry.seq), lang) || "—"}</dd></div>
</dl>
<h2>${t(lang, "payload")}</h2>
<dl class="record" data-testid="payload">${inSchemaOrder(entry.type, Object.keys(payload)).map(
    (key) =>
      html`<div data-key="${key}"><dt title="${key}">${fieldLabel(lang, key)}</dt><dd>${payloadValue(key, payload[key], shown)}</dd></div>`,
  )}</dl>
${
  postings.length > 0
    ? html`<h2>${t(lang, "postings")}</h2><table class="postings" data-testid="postings"><thead><tr><th>${t(lang, "account")}</th><th class="num">${t(lang, "amount")}</th></tr></thead><tbody>${postings.map(
        (posting) =>
          html`<tr><td>${accountWords(String(posting.account), shown)}</td><td class="num">${formatYuan(String(posting.amount))}</td></tr>`,
      )}</tbody></table>`
    : ""
}
</section>`;
}
