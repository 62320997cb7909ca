import { html } from "hono/html";
import { type Api, bookPath } from "../api.ts";
import { formatCount, formatYuan } from "../format.ts";
import { colon, type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { beneficiaryNames, named, namesOf } from "../names.ts";
import { eventLabel, term } from "../terms.ts";
import { beneficiaryLink, entryLink } from "./entries.ts";
import type { BookView } from "./types.ts";

type Beneficiary = {
  id: string;
  kind: string;
  name: string;
  unitId?: string;
  householdId?: string;
  registeredOn: string;
  hardshipFiles: { tier: string; cause: string; openedOn: string; validUntil: string; closedOn?: string }[];
  totals: { programId: string; year: string; count: number; amount: string }[];
};

type History = {
  payments: {
    seq: number;
    type: string;
    occurredOn: string;
    programId: string;
    amount: string;
    year: string;
    yearCount: number;
    yearTotal: string;
  }[];
};

const lookup = (book: string, lang: Lang, id = "") =>
  html`<form class="filters" method="get" action="${dashboardBookPath(book, "/beneficiaries")}" data-testid="beneficiary-lookup">
<label>${t(lang, "beneficiaryId")} <input name="id" value="${id}" size="16" required autocomplete="off" placeholder="hh-0001"></label>
<button type="submit">${t(lang, "show")}</button></form>`;

/** A beneficiary: who they are, their hardship files, and every payment with running yearly totals. */
export async function beneficiaryPage(api: Api, lang: Lang, book: BookView, id: string | undefined): Promise<Html> {
  if (!id)
    return html`<section class="beneficiary"><h1>${t(lang, "beneficiaries")}</h1>${lookup(book.id, lang)}</section>`;
  const [who, history, names] = await Promise.all([
    api.get<Beneficiary>(bookPath(book.id, `/beneficiaries/${encodeURIComponent(id)}`)),
    api.get<History>(bookPath(book.id, `/beneficiaries/${encodeURIComponent(id)}/history`)),
    namesOf(api, book.id),
  ]);
  const household = who.householdId
    ? (await beneficiaryNames(api, book.id, [who.householdId])).get(who.householdId)
    : undefined;
  return html`<section class="beneficiary" data-testid="beneficiary" data-id="${who.id}">
<h1>${t(lang, "beneficiaries")}${colon(lang)}${who.name} <small><code>${who.id}</code></small></h1>
${lookup(book.id, lang, id)}
<dl class="record">
<div><dt>${t(lang, "kind")}</dt><dd>${term(lang, who.kind)}</dd></div>
<div><dt>${t(lang, "unit")}</dt><dd>${who.unitId ? named(names.units, who.unitId) : "—"}</dd></div>
${who.householdId ? html`<div><dt>${t(lang, "household")}</dt><dd>${beneficiaryLink(book.id, who.householdId, household)}</dd></div>` : ""}
<div><dt>${t(lang, "registeredOn")}</dt><dd>${who.registeredOn}</dd></div>
<div><dt>${t(lang, "hardshipFiles")}</dt><dd>${
    who.hardshipFiles.length === 0
      ? "—"
      : who.hardshipFiles.map(
          (file) =>
            html`<div>${term(lang, file.tier)} · ${file.cause} · ${file.openedOn} → ${file.closedOn ?? file.validUntil}</div>`,
        )
  }</dd></div>
</dl>
<h2>${t(lang, "history")}</h2>
${
  history.payments.length === 0
    ? html`<p class="empty">${t(lang, "noPayments")}</p>`
    : html`<div class="scroll"><table data-testid="history"><thead><tr><th class="num">${t(lang, "seq")}</th><th>${t(lang, "date")}</th><th>${t(lang, "type")}</th><th>${t(lang, "programme")}</th><th class="num">${t(lang, "amount")}</th><th class="num">${t(lang, "yearCount")}</th><th class="num">${t(lang, "yearTotal")}</th></tr></thead>
<tbody>${history.payments.map(
        (line) =>
          html`<tr data-seq="${line.seq}"><td class="num">${entryLink(book.id, line.seq, String(line.seq))}</td><td>${line.occurredOn}</td><td title="${line.type}">${eventLabel(lang, line.type)}</td><td>${named(names.programs, line.programId)}</td><td class="num">${formatYuan(line.amount)}</td><td class="num">${formatCount(line.yearCount)}</td><td class="num">${formatYuan(line.yearTotal)}</td></tr>`,
      )}</tbody></table></div>`
}
</section>`;
}
