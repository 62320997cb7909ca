import { html } from "hono/html";
import { type Api, bookPath, type Requester } from "../api.ts";
import { bracketed, colon, type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { beneficiaryNames, type Names, namesOf } from "../names.ts";
import { EVENT_TYPE_NAMES, eventLabel } from "../terms.ts";
import { undoLinks } from "../undo-index.ts";
import { beneficiariesOf, entryRow, entryTableHead } from "./entries.ts";
import type { BookView, EntriesPage, Entry } from "./types.ts";

/** The journal's filters: the query parameters of the API's entries list that a person sets. */
export const FILTERS = ["type", "fundId", "programId", "unitId", "beneficiaryId", "from", "to", "limit"] as const;
/** The filters, and where the page starts: after a seq, or at an API cursor. */
export type Filters = Partial<Record<(typeof FILTERS)[number] | "after" | "cursor", string>>;

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
 * One page of the journal. A filter the API serves from the book's own partition (a type, a
 * fund, dates) may answer with few entries and a cursor, because the API bounds the reads of one
 * request; the page follows cursors until it is full, a bounded number of times. It continues
 * after the last entry it shows (the API's fromSeq), or, when it gave up before filling up, at the
 * API's cursor.
 */
async function readPage(api: Api, book: string, filters: Filters, limit: number) {
  const { after, cursor: start, limit: _limit, ...filter } = filters;
  const entries: Entry[] = [];
  let cursor = start;
  let calls = 0;
  do {
    const page: EntriesPage = await api.get<EntriesPage>(
      bookPath(book, "/entries", {
        ...filter,
        ...(after && /^\d+$/.test(after) ? { fromSeq: Number(after) + 1 } : {}),
        limit: calls === 0 ? limit : STRIDE,
        cursor,
      }),
    );
    entries.push(...page.entries);
    cursor = page.nextCursor;
    calls += 1;
  } while (cursor && entries.length < limit && calls < MAX_CALLS);
  const shown = entries.slice(0, limit);
  const last = shown.at(-1)?.seq;
  const next =
    entries.length > limit || (cursor && entries.length === limit && last !== undefined)
      ? { after: String(last) }
      : cursor
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
  const [{ shown, next }, links] = await Promise.all([
    readPage(api, book.id, filters, limit),
    undoLinks(app, api, book.id, book.headSeq),
  ]);
  const beneficiaries = await beneficiaryNames(api, book.id, beneficiariesOf(shown));
  const { cursor, after, ...kept } = filters;
  const first = shown[0]?.seq;
  const last = shown.at(-1)?.seq;
  return html`<section class="journal" data-testid="journal">
<h1>${t(lang, "journal")}</h1>
${filterForm(book.id, filters, names, lang)}
<p class="meta" data-testid="journal-count">${t(lang, "shownEntries")}${colon(lang)}${shown.length}${first !== undefined ? bracketed(lang, `#${first} – #${last}`) : ""}</p>
${
  shown.length === 0
    ? html`<p class="empty">${t(lang, "noEntries")}</p>`
    : html`<div class="scroll"><table class="entries" data-testid="entries">${entryTableHead(lang)}<tbody>${shown.map(
        (entry) => entryRow(book.id, entry, names, beneficiaries, links.get(entry.seq), lang),
      )}</tbody></table></div>`
}
<nav class="pager">
${cursor || after ? html`<a class="button secondary" href="${dashboardBookPath(book.id, `/journal?${queryOf(kept)}`)}">${t(lang, "firstPage")}</a>` : ""}
${next ? html`<a class="button" rel="next" data-testid="next-page" href="${dashboardBookPath(book.id, `/journal?${queryOf({ ...kept, ...next })}`)}">${t(lang, "nextPage")} →</a>` : ""}
</nav>
</section>`;
}
