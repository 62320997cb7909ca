import { html } from "hono/html";
import { formatYuan, shortHash } from "../format.ts";
import { type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { type Names, named } from "../names.ts";
import { eventLabel, term } from "../terms.ts";
import type { UndoLink } from "../undo-index.ts";
import type { Entry } from "./types.ts";

export type { Names } from "../names.ts";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export const entryLink = (book: string, seq: number, label?: string) =>
  html`<a href="${dashboardBookPath(book, `/entries/${seq}`)}">${label ?? `#${seq}`}</a>`;

/** A proposal, linked to its place on the approvals page. */
export const proposalLink = (book: string, id: number, label?: string) =>
  html`<a href="${dashboardBookPath(book, `/approvals?proposal=${id}`)}" data-proposal="${id}">${label ?? `#${id}`}</a>`;

/** A beneficiary by name, linked to their page; by id (as code) when the name could not be read. */
export const beneficiaryLink = (book: string, id: string, name: string | undefined) =>
  html`<a href="${dashboardBookPath(book, `/beneficiaries?id=${encodeURIComponent(id)}`)}" data-beneficiary="${id}" title="${id}">${name ?? html`<code>${id}</code>`}</a>`;

/** What an entry is about, in a few words: its programme or fund, its payer unit, its subject. */
export function subject(entry: Entry, names: Names, lang: Lang): Html | string {
  const p = entry.payload;
  const program = text(p.programId);
  const fund = text(p.fundId);
  const unit = text(p.unitId);
  if (entry.type === "TransferRecorded")
    return html`${named(names.funds, text(p.fromFundId) ?? "")} → ${named(names.funds, text(p.toFundId) ?? "")}`;
  if (program) return named(names.programs, program);
  if (entry.type === "CollectionRecorded" && fund)
    return html`${named(names.funds, fund)} · ${term(lang, text(p.source) ?? "")}${unit ? html` · ${named(names.units, unit)}` : ""}`;
  if (fund) return named(names.funds, fund);
  if (entry.type === "PeriodClosed") return text(p.period) ?? "";
  if (entry.type === "AuditPlanSet") return String(p.year ?? "");
  // A reversal names no fund of its own: its postings say which funds it moved back.
  const funds = Array.isArray(p.postings)
    ? (p.postings as { account?: unknown }[]).flatMap((posting) =>
        typeof posting.account === "string" && posting.account.startsWith("fund:") ? [posting.account.slice(5)] : [],
      )
    : [];
  if (funds.length > 0) return html`${funds.map((id, n) => html`${n > 0 ? " / " : ""}${named(names.funds, id)}`)}`;
  if (unit && entry.type === "FindingRecorded")
    return html`${named(names.units, unit)} · ${term(lang, text(p.category) ?? "")}`;
  if (unit && entry.type !== "UnitAdded") return named(names.units, unit);
  const name = text(p.name);
  if (name) return name;
  const id = text(p.findingId) ?? text(p.auditId);
  return id ? html`<code>${id}</code>` : "";
}

/** The links an entry has to others: what it undoes, or what undid it. */
export function undoCell(book: string, entry: Entry, undoneBy: UndoLink | undefined, lang: Lang): Html | string {
  const original = entry.payload.entrySeq;
  if (typeof original === "number" && (entry.type === "EntryReversed" || entry.type === "PayoutReturned")) {
    const word = entry.type === "EntryReversed" ? t(lang, "reverses") : t(lang, "returns");
    return html`<span class="link-undo" data-field="undoes">${word} ${entryLink(book, original)}</span>`;
  }
  if (undoneBy) {
    const word = undoneBy.type === "EntryReversed" ? t(lang, "reversedBy") : t(lang, "returnedBy");
    return html`<span class="link-undone" data-field="undone-by">${word} ${entryLink(book, undoneBy.seq)}</span>`;
  }
  return "";
}

/** The beneficiaries a list of entries names, to read their names once for the whole list. */
export const beneficiariesOf = (entries: readonly Entry[]) => entries.map((entry) => text(entry.payload.beneficiaryId));

export function entryRow(
  book: string,
  entry: Entry,
  names: Names,
  beneficiaries: ReadonlyMap<string, string>,
  undoneBy: UndoLink | undefined,
  lang: Lang,
): Html {
  const p = entry.payload;
  const beneficiary = text(p.beneficiaryId);
  const amount = text(p.amount);
  const undoing = entry.type === "EntryReversed" || entry.type === "PayoutReturned";
  return html`<tr data-seq="${entry.seq}" data-type="${entry.type}"${undoneBy ? html` class="undone"` : ""}>
<td class="num">${entryLink(book, entry.seq, String(entry.seq))}</td>
<td>${entry.occurredOn}</td>
<td title="${entry.type}" data-field="type">${eventLabel(lang, entry.type)}</td>
<td>${subject(entry, names, lang)}</td>
<td data-field="beneficiary">${beneficiary ? beneficiaryLink(book, beneficiary, beneficiaries.get(beneficiary)) : ""}</td>
<td class="num${undoing ? " negative" : ""}" data-field="amount">${amount ? formatYuan(undoing ? `-${amount}` : amount) : ""}</td>
<td>${undoCell(book, entry, undoneBy, lang)}</td>
<td><code class="hash" title="${entry.hash}" data-field="hash">${shortHash(entry.hash)}</code></td>
</tr>`;
}

export const entryTableHead = (lang: Lang) =>
  html`<thead><tr><th class="num">${t(lang, "seq")}</th><th>${t(lang, "date")}</th><th>${t(lang, "type")}</th><th>${t(lang, "programme")} / ${t(lang, "fund")}</th><th>${t(lang, "beneficiary")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "links")}</th><th>${t(lang, "hash")}</th></tr></thead>`;
