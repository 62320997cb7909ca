import { html } from "hono/html";
import { type Api, bookPath, type Requester } from "../api.ts";
import { formatYuan } from "../format.ts";
import { eventLabel, type Lang, t, term } from "../labels.ts";
import type { Html } from "../layout.ts";
import { undoLinks } from "../undo-index.ts";
import { beneficiaryLink, entryLink, type Names, undoCell } from "./entries.ts";
import { namesOf } from "./journal.ts";
import type { BookView, Entry } from "./types.ts";

type Posting = { account?: unknown; amount?: unknown };

/** Payload fields whose values are words of the ledger's vocabulary, shown translated. */
const VOCABULARY = new Set(["source", "kind", "severity", "category", "tier", "status", "outcome", "method"]);

const value = (key: string, item: unknown, lang: Lang, names: Names): Html | string => {
  if (typeof item === "string") {
    if (key === "amount" || key.startsWith("amount")) return formatYuan(item);
    if (VOCABULARY.has(key)) return term(lang, item);
    const name =
      key === "fundId" || key === "fromFundId" || key === "toFundId"
        ? names.funds.get(item)
        : key === "programId"
          ? names.programs.get(item)
          : key === "unitId"
            ? names.units.get(item)
            : undefined;
    return name ? `${name} (${item})` : item;
  }
  if (typeof item === "number" || typeof item === "boolean") return String(item);
  return html`<code>${JSON.stringify(item)}</code>`;
};

/** One journal entry as recorded: who, when, what, its postings, and both hashes of the chain. */
export async function entryPage(app: Requester, api: Api, lang: Lang, book: BookView, seq: number): Promise<Html> {
  const [entry, links, names] = await Promise.all([
    api.get<Entry>(bookPath(book.id, `/entries/${seq}`)),
    undoLinks(app, api, book.id, book.headSeq),
    namesOf(api, book.id),
  ]);
  const { postings, ...payload } = entry.payload;
  const beneficiary = typeof payload.beneficiaryId === "string" ? payload.beneficiaryId : undefined;
  return html`<section class="entry" data-testid="entry" data-seq="${entry.seq}">
<h1>${t(lang, "entry")} #${entry.seq} · ${eventLabel(lang, entry.type)}</h1>
<nav class="pager">
${entry.seq > 1 ? entryLink(book.id, entry.seq - 1, `← ${t(lang, "previous")}`) : ""}
${entry.seq < book.headSeq ? entryLink(book.id, entry.seq + 1, `${t(lang, "next")} →`) : ""}
</nav>
<dl class="record">
<div><dt>${t(lang, "seq")}</dt><dd>${entry.seq}</dd></div>
<div><dt>${t(lang, "type")}</dt><dd>${entry.type}</dd></div>
<div><dt>${t(lang, "date")}</dt><dd>${entry.occurredOn}</dd></div>
<div><dt>${t(lang, "recordedAt")}</dt><dd>${entry.recordedAt}</dd></div>
<div><dt>${t(lang, "actor")}</dt><dd>${entry.actor.sub} (${entry.actor.role})</dd></div>
<div><dt>${t(lang, "idempotencyKey")}</dt><dd><code>${entry.idempotencyKey}</code></dd></div>
<div><dt>${t(lang, "prevHash")}</dt><dd><code class="hash-full">${entry.prevHash}</code></dd></div>
<div><dt>${t(lang, "hash")}</dt><dd><code class="hash-full" data-field="hash">${entry.hash}</code></dd></div>
${beneficiary ? html`<div><dt>${t(lang, "beneficiary")}</dt><dd>${beneficiaryLink(book.id, beneficiary)}</dd></div>` : ""}
<div><dt>${t(lang, "links")}</dt><dd>${undoCell(book.id, entry, links.get(entry.seq), lang) || "—"}</dd></div>
</dl>
<h2>${t(lang, "payload")}</h2>
<dl class="record">${Object.entries(payload).map(
    ([key, item]) => html`<div><dt>${key}</dt><dd>${value(key, item, lang, names)}</dd></div>`,
  )}</dl>
${
  Array.isArray(postings)
    ? html`<h2>${t(lang, "postings")}</h2><table class="postings"><thead><tr><th>${t(lang, "account")}</th><th class="num">${t(lang, "amount")}</th></tr></thead><tbody>${(
        postings as Posting[]
      ).map(
        (posting) =>
          html`<tr><td><code>${String(posting.account)}</code></td><td class="num">${formatYuan(String(posting.amount))}</td></tr>`,
      )}</tbody></table>`
    : ""
}
</section>`;
}
