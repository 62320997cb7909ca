import { html } from "hono/html";
import { formatYuan, shortHash } from "../format.ts";
import { eventLabel, type Lang, t, term } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import type { UndoLink } from "../undo-index.ts";
import type { Entry } from "./types.ts";

/** Names of funds, programmes and units, to show beside their ids. */
export type Names = {
  readonly funds: ReadonlyMap<string, string>;
  readonly programs: ReadonlyMap<string, string>;
  readonly units: ReadonlyMap<string, string>;
};

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export const entryLink = (book: string, seq: number, label?: string) =>
  html`<a href="${dashboardBookPath(book, `/entries/${seq}`)}">${label ?? `#${seq}`}</a>`;

export const beneficiaryLink = (book: string, id: string) =>
  html`<a href="${dashboardBookPath(book, `/beneficiaries?id=${encodeURIComponent(id)}`)}">${id}</a>`;

/** What an entry is about, in a few words: its programme or fund, its payer unit, its subject. */
export function subject(entry: Entry, names: Names, lang: Lang): Html | string {
  const p = entry.payload;
  const program = text(p.programId);
  const fund = text(p.fundId);
  if (entry.type === "TransferRecorded") {
    const [from, to] = [text(p.fromFundId) ?? "", text(p.toFundId) ?? ""];
    return `${names.funds.get(from) ?? from} → ${names.funds.get(to) ?? to}`;
  }
  if (program) return names.programs.get(program) ?? program;
  if (entry.type === "CollectionRecorded" && fund) {
    const unit = text(p.unitId);
    const source = term(lang, text(p.source) ?? "");
    return `${names.funds.get(fund) ?? fund} · ${source}${unit ? ` · ${names.units.get(unit) ?? unit}` : ""}`;
  }
  if (fund) return names.funds.get(fund) ?? fund;
  if (entry.type === "PeriodClosed") return text(p.period) ?? "";
  // A reversal names no fund of its own: its postings say which funds it moved back.
  const funds = Array.isArray(p.postings)
    ? (p.postings as { account?: unknown }[]).flatMap((posting) =>
        typeof posting.account === "string" && posting.account.startsWith("fund:") ? [posting.account.slice(5)] : [],
      )
    : [];
  if (funds.length > 0) return funds.map((id) => names.funds.get(id) ?? id).join(" / ");
  const described = text(p.name) ?? text(p.findingId) ?? text(p.auditId) ?? text(p.unitId) ?? "";
  return described;
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

export function entryRow(book: string, entry: Entry, names: Names, undoneBy: UndoLink | undefined, lang: Lang): Html {
  const p = entry.payload;
  const beneficiary = text(p.beneficiaryId);
  const amount = text(p.amount);
  const undoing = entry.type === "EntryReversed" || entry.type === "PayoutReturned";
  return html`<tr data-seq="${entry.seq}" data-type="${entry.type}"${undoneBy ? html` class="undone"` : ""}>
<td class="num">${entryLink(book, entry.seq, String(entry.seq))}</td>
<td>${entry.occurredOn}</td>
<td>${eventLabel(lang, entry.type)}</td>
<td>${subject(entry, names, lang)}</td>
<td>${beneficiary ? beneficiaryLink(book, beneficiary) : ""}</td>
<td class="num${undoing ? " negative" : ""}" data-field="amount">${amount ? formatYuan(undoing ? `-${amount}` : amount) : ""}</td>
<td>${undoCell(book, entry, undoneBy, lang)}</td>
<td><code class="hash" title="${entry.hash}" data-field="hash">${shortHash(entry.hash)}</code></td>
</tr>`;
}

export const entryTableHead = (lang: Lang) =>
  html`<thead><tr><th class="num">${t(lang, "seq")}</th><th>${t(lang, "date")}</th><th>${t(lang, "type")}</th><th>${t(lang, "programme")} / ${t(lang, "fund")}</th><th>${t(lang, "beneficiary")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "links")}</th><th>${t(lang, "hash")}</th></tr></thead>`;
