import { html } from "hono/html";
import { type Api, bookPath, type Requester } from "../api.ts";
import { fieldLabel, inSchemaOrder } from "../fields.ts";
import { formatInstant, formatYuan } from "../format.ts";
import { bracketed, type Lang, t } from "../labels.ts";
import type { Html } from "../layout.ts";
import { beneficiaryNames, namesOf } from "../names.ts";
import { eventLabel, roleLabel } from "../terms.ts";
import { undoLinks } from "../undo-index.ts";
import { beneficiaryLink, entryLink, undoCell } from "./entries.ts";
import { accountWords, payloadValue, type Shown } from "./payload.ts";
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

/**
 * One journal entry as recorded: who, when, what, its postings, and both hashes of the chain, all
 * in the reader's language: the type and every field by name, accounts and ids by what they name,
 * the time it was recorded in the book's time zone. What the ledger recorded verbatim (the type, an
 * account, the UTC time) stays in attributes, for an auditor who needs to quote it.
 */
export async function entryPage(app: Requester, api: Api, lang: Lang, book: BookView, seq: number): Promise<Html> {
  const [entry, links, names] = await Promise.all([
    api.get<Entry>(bookPath(book.id, `/entries/${seq}`)),
    undoLinks(app, api, book.id, book.headSeq),
    namesOf(api, book.id),
  ]);
  const { postings: recorded, ...payload } = entry.payload;
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
<div><dt>${t(lang, "idempotencyKey")}</dt><dd><code>${entry.idempotencyKey}</code></dd></div>
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
