import { html } from "hono/html";
import { type Api, bookPath, type Requester } from "../api.ts";
import { downloadButton, downloads, exportLang } from "../downloads.ts";
import { formatCount, formatYuan } from "../format.ts";
import { bracketed, colon, type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { beneficiaryNames, type Names, namesOf } from "../names.ts";
import { EVENT_TYPE_NAMES, eventLabel } from "../terms.ts";
import { undoLinks } from "../undo-index.ts";
import { beneficiariesOf, entryRow, entryTableHead } from "./entries.ts";
import type { BookView, EntriesPage, Entry, EntryTotals } from "./types.ts";

/** The journal's filters: the query parameters of the API's entries list that a person sets. */
export const FILTERS = [
  "type",
  "fundId",
  "programId",
  "unitId",
  "beneficiaryId",
  "from",
  "to",
  "limit",
  "order",
] as const;
/** Where a page starts: after a seq (oldest first), before one (newest first), or at an API cursor. */
export const PAGE_STARTS = ["after", "before", "cursor"] as const;
/** The filters, and where the page starts. */
export type Filters = Partial<Record<(typeof FILTERS)[number] | (typeof PAGE_STARTS)[number], string>>;

/** Newest first unless the reader asked for oldest first: an auditor looks at what happened lately. */
const orderOf = (filters: Filters): "asc" | "desc" => (filters.order === "asc" ? "asc" : "desc");

/** What the API filters by: the filters without the page's own settings. */
const apiFilter = (filters: Filters) => {
  const { after: _a, before: _b, cursor: _c, limit: _l, order: _o, ...filter } = filters;
  return filter;
};

/** Requests one page may make to fill itself when a filter is sparse (the API stops each after 25 reads). */
const MAX_CALLS = 12;
/** Entries asked for per request after the first, so that a sparse filter scans in large strides. */
const STRIDE = 250;

const options = (entries: Iterable<[string, string]>, selected: string | undefined, lang: Lang) =>
  html`<option value="">${t(lang, "any")}</option>${[...entries].map(
    ([value, label]) => html`<option value="${value}"${value === selected ? html` selected` : ""}>${label}</option>`,
  )}`;

function filterForm(book: string, filters: Filters, names: Names, lang: Lang): Html {
  const limit = filters.limit ?? "50";
  return html`<form class="filters" method="get" action="${dashboardBookPath(book, "/journal")}" data-testid="journal-filters">
<label>${t(lang, "type")} <select name="type">${options(
    EVENT_TYPE_NAMES.map((type) => [type, eventLabel(lang, type)]),
    filters.type,
    lang,
  )}</select></label>
<label>${t(lang, "fund")} <select name="fundId">${options(names.funds, filters.fundId, lang)}</select></label>
<label>${t(lang, "programme")} <select name="programId">${options(names.programs, filters.programId, lang)}</select></label>
<label>${t(lang, "unit")} <select name="unitId">${options(names.units, filters.unitId, lang)}</select></label>
<label>${t(lang, "beneficiaryId")} <input name="beneficiaryId" value="${filters.beneficiaryId ?? ""}" size="12" autocomplete="off"></label>
<label>${t(lang, "from")} <input type="date" name="from" value="${filters.from ?? ""}"></label>
<label>${t(lang, "to")} <input type="date" name="to" value="${filters.to ?? ""}"></label>
<label>${t(lang, "perPage")} <select name="limit">${["25", "50", "100"].map(
    (n) => html`<option${n === limit ? html` selected` : ""}>${n}</option>`,
  )}</select></label>
<label>${t(lang, "order")} <select name="order">${(["desc", "asc"] as const).map(
    (order) =>
      html`<option value="${order}"${order === orderOf(filters) ? html` selected` : ""}>${t(lang, order === "desc" ? "newestFirst" : "oldestFirst")}</option>`,
  )}</select></label>
<button type="submit">${t(lang, "filter")}</button>
<a class="button secondary" href="${dashboardBookPath(book, "/journal")}">${t(lang, "clear")}</a>
</form>`;
}

const queryOf = (filters: Filters) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) search.set(key, value);
  return search.toString();
};

/**
 * One page of the journal, in the order asked for. The API never answers an empty page with a
 * cursor, but a filter it serves from the book's own partition (a type, a fund, dates) may answer
 * with fewer entries than asked, because it bounds the reads of one request; the page follows
 * cursors until it has one entry more than it shows (so that a "next" link always leads to
 * entries), a bounded number of times. It continues after (oldest first) or before (newest first)
 * the last entry it shows (the API's fromSeq or toSeq), or, when it gave up before filling up, at
 * the API's cursor.
 */
async function readPage(api: Api, book: string, filters: Filters, limit: number) {
  const order = orderOf(filters);
  const text = order === "asc" ? filters.after : filters.before;
  const from = text && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
  // Newest first before seq 1: nothing is left.
  if (from !== undefined && order === "desc" && from <= 1) return { shown: [], next: undefined };
  const range = from === undefined ? {} : order === "asc" ? { fromSeq: from + 1 } : { toSeq: from - 1 };
  const entries: Entry[] = [];
  let cursor = filters.cursor;
  let calls = 0;
  do {
    const page: EntriesPage = await api.get<EntriesPage>(
      bookPath(book, "/entries", {
        ...apiFilter(filters),
        ...range,
        order,
        limit: calls === 0 ? limit + 1 : STRIDE,
        cursor,
      }),
    );
    entries.push(...page.entries);
    cursor = page.nextCursor;
    calls += 1;
  } while (cursor && entries.length <= limit && calls < MAX_CALLS);
  const shown = entries.slice(0, limit);
  const last = String(shown.at(-1)?.seq);
  const next =
    entries.length > limit
      ? order === "asc"
        ? { after: last }
        : { before: last }
      : cursor && shown.length > 0
        ? { cursor }
        : undefined;
  return { shown, next };
}

/** A page of the journal, filtered, with each entry's hash and its reversal or return linked. */
export async function journalPage(
  app: Requester,
  api: Api,
  lang: Lang,
  book: BookView,
  filters: Filters,
): Promise<Html> {
  const names = await namesOf(api, book.id);
  const limit = Math.min(Math.max(Number(filters.limit ?? "50") || 50, 1), 100);
  const order = orderOf(filters);
  const [{ shown, next }, links, totals] = await Promise.all([
    readPage(api, book.id, filters, limit),
    undoLinks(app, api, book.id, book.headSeq),
    api.get<EntryTotals>(bookPath(book.id, "/entries/totals", apiFilter(filters))),
  ]);
  const beneficiaries = await beneficiaryNames(api, book.id, beneficiariesOf(shown));
  const { cursor, after, before, ...kept } = filters;
  const exported = (format: "csv" | "xlsx") =>
    bookPath(book.id, "/entries", { ...apiFilter(filters), order, format, lang: exportLang(lang) });
  const { order: _order, ...unordered } = kept;
  const reordered = order === "desc" ? { ...unordered, order: "asc" } : unordered;
  const first = shown[0]?.seq;
  const last = shown.at(-1)?.seq;
  return html`<section class="journal" data-testid="journal">
<h1>${t(lang, "journal")}</h1>
${filterForm(book.id, filters, names, lang)}
<div class="totals" data-testid="journal-totals">
<span>${t(lang, "matching")}${colon(lang)}<strong data-field="count">${formatCount(totals.count)}</strong></span>
<span>${t(lang, "moneyIn")}${colon(lang)}<strong data-field="in">${formatYuan(totals.amounts.in)}</strong></span>
<span>${t(lang, "moneyOut")}${colon(lang)}<strong data-field="out">${formatYuan(totals.amounts.out)}</strong></span>
<span>${t(lang, "net")}${colon(lang)}<strong data-field="net">${formatYuan(totals.amounts.net)}</strong></span>
<small>${t(lang, "totalsNote")}</small>
</div>
<div class="list-tools">
<a class="button secondary" data-testid="order-toggle" href="${dashboardBookPath(book.id, `/journal?${queryOf(reordered)}`)}">${t(lang, order === "desc" ? "oldestFirst" : "newestFirst")}</a>
${downloads("journal-downloads", [downloadButton(lang, exported("csv"), "csv"), downloadButton(lang, exported("xlsx"), "xlsx")])}
</div>
<p class="meta" data-testid="journal-count">${t(lang, "shownEntries")}${colon(lang)}${shown.length}${first !== undefined ? bracketed(lang, `#${first} – #${last}`) : ""}</p>
${
  shown.length === 0
    ? html`<p class="empty">${t(lang, "noEntries")}</p>`
    : html`<div class="scroll"><table class="entries" data-testid="entries">${entryTableHead(lang)}<tbody>${shown.map(
        (entry) => entryRow(book.id, entry, names, beneficiaries, links.get(entry.seq), lang),
      )}</tbody></table></div>`
}
<nav class="pager">
${cursor || after || before ? html`<a class="button secondary" href="${dashboardBookPath(book.id, `/journal?${queryOf(kept)}`)}">${t(lang, "firstPage")}</a>` : ""}
${next ? html`<a class="button" rel="next" data-testid="next-page" href="${dashboardBookPath(book.id, `/journal?${queryOf({ ...kept, ...next })}`)}">${t(lang, "nextPage")} →</a>` : ""}
</nav>
</section>`;
}
