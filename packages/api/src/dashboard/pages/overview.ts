import { comparePeriods, type FundLine, PERIOD_BOUNDS } from "@relief-ledger/core";
import { html } from "hono/html";
import type { TableId } from "../../exports/index.ts";
import { type Api, bookPath } from "../api.ts";
import { type MonthFigures, monthlyChart } from "../chart.ts";
import { downloadButton, downloads, exportLang } from "../downloads.ts";
import { formatCount, formatYuan, sumDecimals } from "../format.ts";
import { colon, type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { named } from "../names.ts";
import { term } from "../terms.ts";
import type { AnnualReport, BookView, Entry, Finding, FundView, Named } from "./types.ts";

type FundsReport = { funds: FundLine[] };

const collectedOf = (lines: readonly FundLine[]) => sumDecimals(lines.map((line) => line.collected));
const paidOutOf = (lines: readonly FundLine[]) => sumDecimals(lines.map((line) => line.paidOut));
const moved = (lines: readonly FundLine[]) => lines.some((line) => /[1-9]/.test(line.collected + line.paidOut));

/**
 * The years to offer and the one to show. Offered: from the book's first entry through the latest
 * year in which money moved (a book of 2010 read today offers 2010, not every empty year since),
 * or through today's year when no money has moved yet. Shown: the year asked for, else the
 * latest offered. Each year is one funds report over its twelve rollups; years before the first
 * the API reports on (PERIOD_BOUNDS) are not offered.
 */
async function chooseYear(api: Api, book: BookView, today: string, asked: string | undefined) {
  const first = await api.get<Entry>(bookPath(book.id, "/entries/1"));
  const from = Math.max(Number(first.occurredOn.slice(0, 4)), PERIOD_BOUNDS.firstYear);
  const to = Number(today.slice(0, 4));
  const span = Array.from({ length: Math.max(to - from + 1, 1) }, (_, i) => String(from + i));
  const reports = await Promise.all(
    span.map((year) =>
      api.get<FundsReport>(bookPath(book.id, "/reports/funds", { from: `${year}-01`, to: `${year}-12` })),
    ),
  );
  const lastActive = span.filter((_, index) => moved(reports[index]?.funds ?? [])).at(-1);
  const years = lastActive ? span.slice(0, span.indexOf(lastActive) + 1) : span;
  if (asked && span.includes(asked)) return { years: years.includes(asked) ? years : [...years, asked], year: asked };
  return { years, year: years.at(-1) ?? today.slice(0, 4) };
}

/** Each month of the year up to today's: what came into and went out of all funds. */
async function monthsOf(api: Api, book: string, year: string, today: string): Promise<MonthFigures[]> {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`).filter(
    (month) => comparePeriods(month, today.slice(0, 7)) <= 0,
  );
  const reports = await Promise.all(
    months.map((month) => api.get<FundsReport>(bookPath(book, "/reports/funds", { from: month, to: month }))),
  );
  return months.map((month, index) => ({
    month,
    collections: collectedOf(reports[index]?.funds ?? []),
    payouts: paidOutOf(reports[index]?.funds ?? []),
  }));
}

/** Under the balance of all funds, what proposals awaiting approval reserve of it, when they reserve anything. */
function reservedNote(lang: Lang, funds: readonly FundView[]) {
  const reserved = sumDecimals(funds.map((fund) => fund.reserved));
  if (!/[1-9]/.test(reserved)) return undefined;
  return html`${t(lang, "reservedOfBalance")} <span data-field="reserved-now">${formatYuan(reserved)}</span>`;
}

/**
 * Whether the year's figures are final: a closed year's report is frozen (with its digest); in an
 * open one, the months not closed yet are provisional.
 */
function yearStatus(lang: Lang, annual: AnnualReport, today: string) {
  if (annual.frozen) {
    const digest = annual.frozen.annualReportHash;
    return html`<p class="meta" data-field="year-frozen">${t(lang, "yearFrozen")} <code title="${digest}">${digest.slice(0, 16)}…</code></p>`;
  }
  const months = (annual.provisional ?? []).filter((month) => comparePeriods(month, today.slice(0, 7)) <= 0);
  if (months.length === 0) return "";
  const shown = months.length > 1 ? `${months[0]} – ${months.at(-1)}` : months[0];
  return html`<p class="meta" data-field="provisional">${t(lang, "provisionalNote")}${shown}</p>`;
}

const card = (label: string, value: string, field: string, note?: Html | string) =>
  html`<div class="card"><div class="label">${label}</div><div class="value" data-field="${field}">${value}</div>${note ? html`<div class="note">${note}</div>` : ""}</div>`;

export async function overviewPage(
  api: Api,
  lang: Lang,
  book: BookView,
  today: string,
  asked: string | undefined,
): Promise<Html> {
  const { years, year } = await chooseYear(api, book, today, asked);
  const [annual, funds, months, open, units] = await Promise.all([
    api.get<AnnualReport>(bookPath(book.id, `/reports/annual/${year}`)),
    api.get<{ funds: FundView[] }>(bookPath(book.id, "/funds")),
    monthsOf(api, book.id, year, today),
    api.get<{ findings: Finding[] }>(bookPath(book.id, "/audit-findings", { status: "open" })),
    api.get<{ units: Named[] }>(bookPath(book.id, "/units")),
  ]);
  const unitName = new Map(units.units.map((unit) => [unit.id, unit.name]));
  const provisional = new Set(annual.provisional ?? []);
  const audit = annual.audit;
  const yearLines = new Map(annual.funds.map((line) => [line.fundId, line]));
  const exportAs = exportLang(lang);
  const annualFile = (format: "csv" | "xlsx", table?: TableId) =>
    bookPath(book.id, `/reports/annual/${year}`, { format, table, lang: exportAs });
  const tableCsv = (table: TableId) =>
    downloads(`${table}-downloads`, [downloadButton(lang, annualFile("csv", table), "csv")]);
  const findingsFile = (format: "csv" | "xlsx") =>
    bookPath(book.id, "/audit-findings", { status: "open", format, lang: exportAs });

  return html`<section class="overview" data-testid="overview" data-year="${year}">
<h1>${book.name} <small><code>${book.id}</code></small></h1>
<p class="meta">${t(lang, "headSeq")} <span data-field="head-seq">${formatCount(book.headSeq)}</span> ·
${t(lang, "headHash")} <code title="${book.headHash}">${book.headHash.slice(0, 16)}…</code> ·
${t(lang, "closedThrough")} ${book.closedThrough ?? t(lang, "none")}</p>
<nav class="years" aria-label="${t(lang, "year")}">${t(lang, "year")}${colon(lang)}${years.map(
    (y) =>
      html`<a href="${dashboardBookPath(book.id, `?year=${y}`)}"${y === year ? html` aria-current="page"` : ""}>${y}</a>`,
  )}</nav>
${yearStatus(lang, annual, today)}
${downloads("annual-downloads", [downloadButton(lang, annualFile("xlsx"), "xlsx", "downloadAnnual")])}

<div class="cards">
${card(t(lang, "balanceNow"), formatYuan(sumDecimals(funds.funds.map((fund) => fund.balance))), "balance-now", reservedNote(lang, funds.funds))}
${card(t(lang, "collectedInYear"), formatYuan(collectedOf(annual.funds)), "collected-in-year", year)}
${card(t(lang, "paidInYear"), formatYuan(paidOutOf(annual.funds)), "paid-in-year", year)}
${card(t(lang, "auditsDone"), `${audit.completed} / ${audit.target ?? "—"}`, "audits")}
${card(t(lang, "openFindings"), `${audit.findings.open} / ${audit.findings.overdue}`, "findings")}
</div>

<h2>${t(lang, "chartTitle")} · ${year}</h2>
${monthlyChart(months, lang)}
<details class="chart-data"><summary>${t(lang, "month")} · ${t(lang, "collections")} · ${t(lang, "payouts")}</summary>
<table data-testid="months"><thead><tr><th>${t(lang, "month")}</th><th class="num">${t(lang, "collections")}</th><th class="num">${t(lang, "payouts")}</th></tr></thead>
<tbody>${months.map(
    (m) =>
      html`<tr data-month="${m.month}"${provisional.has(m.month) ? html` data-provisional="true"` : ""}><td>${m.month}${provisional.has(m.month) ? html` <span class="tag">${t(lang, "provisional")}</span>` : ""}</td><td class="num" data-field="collections">${formatYuan(m.collections)}</td><td class="num" data-field="payouts">${formatYuan(m.payouts)}</td></tr>`,
  )}</tbody></table></details>

<h2>${t(lang, "funds")}</h2>
${tableCsv("funds")}
<div class="scroll"><table data-testid="funds"><thead><tr><th>${t(lang, "fund")}</th><th class="num">${t(lang, "opening")} ${year}</th><th class="num">${t(lang, "collected")}</th><th class="num">${t(lang, "paidOut")}</th><th class="num">${t(lang, "transfers")}</th><th class="num">${t(lang, "closing")} ${year}</th><th class="num">${t(lang, "balance")}</th><th class="num">${t(lang, "reserved")}</th><th class="num">${t(lang, "available")}</th></tr></thead>
<tbody>${funds.funds.map((fund) => {
    const line = yearLines.get(fund.id);
    return html`<tr data-fund="${fund.id}"><td>${fund.name}${fund.restricted ? html` <span class="tag">${t(lang, "restricted")}</span>` : ""}${fund.bankAccount ? html`<br><small class="account" data-field="bank-account">${fund.bankAccount.bank} · ${t(lang, "accountEnding")} ${fund.bankAccount.last4}</small>` : ""}</td>
<td class="num">${formatYuan(line?.opening ?? "0.00")}</td><td class="num" data-field="collected">${formatYuan(line?.collected ?? "0.00")}</td><td class="num" data-field="paid-out">${formatYuan(line?.paidOut ?? "0.00")}</td>
<td class="num">${formatYuan(line?.transfersIn ?? "0.00")} / ${formatYuan(line?.transfersOut ?? "0.00")}</td><td class="num" data-field="closing">${formatYuan(line?.closing ?? "0.00")}</td>
<td class="num strong" data-field="balance">${formatYuan(fund.balance)}</td><td class="num" data-field="reserved">${formatYuan(fund.reserved)}</td><td class="num strong" data-field="available">${formatYuan(fund.available)}</td></tr>`;
  })}</tbody></table></div>

<h2>${t(lang, "programmes")} · ${year}</h2>
${tableCsv("programmes")}
<div class="scroll"><table data-testid="programmes"><thead><tr><th>${t(lang, "programme")}</th><th class="num">${t(lang, "amount")}</th><th class="num">${t(lang, "personTimes")}</th><th class="num">${t(lang, "distinctBeneficiaries")}</th><th class="num">${t(lang, "budget")}</th><th>${t(lang, "execution")}</th></tr></thead>
<tbody>${annual.programmes.map(
    (
      line,
    ) => html`<tr data-program="${line.programId}"><td><a href="${dashboardBookPath(book.id, `/journal?programId=${encodeURIComponent(line.programId)}&type=PayoutRecorded`)}">${line.name}</a></td>
<td class="num" data-field="amount">${formatYuan(line.amount)}</td><td class="num" data-field="person-times">${formatCount(line.personTimes)}</td><td class="num" data-field="beneficiaries">${formatCount(line.distinctBeneficiaries)}</td>
<td class="num">${formatYuan(line.budget)}</td>
<td class="execution" data-field="execution">${line.executionPercent === null ? "—" : html`<progress max="100" value="${Math.min(Number(line.executionPercent), 100)}"></progress> ${line.executionPercent}%`}</td></tr>`,
  )}</tbody></table></div>

<h2>${t(lang, "audit")} · ${year}</h2>
${tableCsv("audit")}
<dl class="figures" data-testid="audit">
<div><dt>${t(lang, "target")}</dt><dd data-field="target">${audit.target ?? "—"}</dd></div>
<div><dt>${t(lang, "completed")}</dt><dd data-field="completed">${audit.completed}${audit.target ? html` <progress max="${audit.target}" value="${Math.min(audit.completed, audit.target)}"></progress>` : ""}</dd></div>
<div><dt>${t(lang, "started")}</dt><dd>${audit.started}</dd></div>
<div><dt>${t(lang, "findingsRecorded")}</dt><dd data-field="recorded">${audit.findings.recorded}</dd></div>
<div><dt>${t(lang, "open")}</dt><dd data-field="open">${audit.findings.open}</dd></div>
<div><dt>${t(lang, "overdue")}</dt><dd data-field="overdue" class="${audit.findings.overdue > 0 ? "warn" : ""}">${audit.findings.overdue}</dd></div>
<div><dt>${t(lang, "resolved")}</dt><dd data-field="resolved">${audit.findings.resolved}</dd></div>
<div><dt>${t(lang, "amountInQuestion")}</dt><dd>${formatYuan(audit.findings.amountInQuestion)}</dd></div>
<div><dt>${t(lang, "amountRecovered")}</dt><dd>${formatYuan(audit.findings.amountRecovered)}</dd></div>
</dl>
${
  open.findings.length > 0
    ? html`<h3>${t(lang, "openFindingsList")}</h3>
${downloads("findings-downloads", [downloadButton(lang, findingsFile("csv"), "csv"), downloadButton(lang, findingsFile("xlsx"), "xlsx")])}
<div class="scroll"><table data-testid="open-findings"><thead><tr><th>${t(lang, "number")}</th><th>${t(lang, "unit")}</th><th>${t(lang, "severity")}</th><th>${t(lang, "status")}</th><th class="num">${t(lang, "amountInQuestion")}</th><th>${t(lang, "dueBy")}</th></tr></thead>
<tbody>${open.findings.map(
        (finding) =>
          html`<tr${finding.overdue ? html` class="overdue"` : ""}><td title="${finding.description}"><code>${finding.id}</code></td><td>${named(unitName, finding.unitId)}</td><td>${term(lang, finding.severity)} · ${term(lang, finding.category)}</td><td>${term(lang, finding.status)}${finding.overdue ? html` <span class="tag warn">${t(lang, "overdue")}</span>` : ""}</td><td class="num">${formatYuan(finding.amountInQuestion)}</td><td>${finding.currentDueBy ?? "—"}</td></tr>`,
      )}</tbody></table></div>`
    : ""
}
</section>`;
}
