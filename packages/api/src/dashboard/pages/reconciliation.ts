import type { Reconciliation } from "@relief-ledger/core";
import { html } from "hono/html";
import { type Api, ApiProblem, bookPath } from "../api.ts";
import { formatYuan } from "../format.ts";
import { colon, type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html, problemBox } from "../layout.ts";
import { describeProblem } from "../problems.ts";
import { eventLabel } from "../terms.ts";
import { entryLink } from "./entries.ts";
import type { BookView } from "./types.ts";

export type ReconciliationQuery = { readonly period?: string | undefined; readonly fundId?: string | undefined };

/** The month before today's: the one whose statement is in at month-end. */
const lastMonth = (today: string) => {
  const [year, month] = today.split("-").map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
};

const chooser = (book: string, lang: Lang, period: string, fundId = "") =>
  html`<form class="filters" method="get" action="${dashboardBookPath(book, "/reconciliation")}" data-testid="reconciliation-chooser">
<label>${t(lang, "month")} <input name="period" value="${period}" size="8" pattern="[0-9]{4}-[0-9]{2}" required autocomplete="off"></label>
<label>${t(lang, "fund")} <input name="fundId" value="${fundId}" size="12" autocomplete="off" placeholder="general"></label>
<button type="submit">${t(lang, "showReconciliation")}</button></form>`;

/** The 调节表 itself: the bank's side and the book's, each adjusted by the items the other has not seen. */
const statementTable = (lang: Lang, r: Reconciliation) => html`<div class="scroll"><table data-testid="reconciliation">
<thead><tr><th>${t(lang, "bankSide")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "bookSide")}</th><th class="num">${t(lang, "amount")}</th></tr></thead>
<tbody>
<tr><th scope="row">${t(lang, "bankBalance")}</th><td class="num">${formatYuan(r.bank.closing)}</td><th scope="row">${t(lang, "bookBalance")}</th><td class="num">${formatYuan(r.book.closing)}</td></tr>
<tr><th scope="row">${t(lang, "addBookReceipts")}</th><td class="num">${formatYuan(r.bookNotInBank.totalReceipts)}</td><th scope="row">${t(lang, "addBankReceipts")}</th><td class="num">${formatYuan(r.bankNotInBook.totalReceipts)}</td></tr>
<tr><th scope="row">${t(lang, "lessBookPayments")}</th><td class="num">${formatYuan(r.bookNotInBank.totalPayments)}</td><th scope="row">${t(lang, "lessBankPayments")}</th><td class="num">${formatYuan(r.bankNotInBook.totalPayments)}</td></tr>
<tr><th scope="row">${t(lang, "adjustedBalance")}</th><td class="num" data-testid="adjusted-bank">${formatYuan(r.adjusted.bank)}</td><th scope="row">${t(lang, "adjustedBalance")}</th><td class="num" data-testid="adjusted-book">${formatYuan(r.adjusted.book)}</td></tr>
</tbody></table></div>`;

const direction = (lang: Lang, way: "in" | "out") => t(lang, way === "in" ? "collections" : "payouts");

/** Every reconciling item, the bank's first, then the book's (linked to its entry), each with the month it dates from. */
const itemsTable = (lang: Lang, book: string, r: Reconciliation) => {
  const bank = [...r.bankNotInBook.receipts, ...r.bankNotInBook.payments];
  const entries = [...r.bookNotInBank.receipts, ...r.bookNotInBank.payments];
  if (bank.length + entries.length === 0) return html`<p>${t(lang, "none")}</p>`;
  return html`<div class="scroll"><table data-testid="reconciling-items"><thead><tr><th>${t(lang, "bankSide")} / ${t(lang, "bookSide")}</th><th>${t(lang, "month")}</th><th>${t(lang, "date")}</th><th>${t(lang, "transfers")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "statementLine")} / ${t(lang, "entry")}</th><th>${t(lang, "counterparty")}</th></tr></thead><tbody>
${bank.map(
  (item) =>
    html`<tr data-side="bank"><td>${t(lang, item.direction === "in" ? "addBankReceipts" : "lessBankPayments")}</td><td>${item.month}</td><td>${item.date}</td><td>${direction(lang, item.direction)}</td><td class="num">${formatYuan(item.amount)}</td><td>${item.line}</td><td>${item.counterparty ?? ""}</td></tr>`,
)}
${entries.map(
  (item) =>
    html`<tr data-side="book"><td>${t(lang, item.direction === "in" ? "addBookReceipts" : "lessBookPayments")}</td><td>${item.month}</td><td>${item.date}</td><td>${eventLabel(lang, item.type)}</td><td class="num">${formatYuan(item.amount)}</td><td>${entryLink(book, item.entrySeq)}</td><td></td></tr>`,
)}
</tbody></table></div>`;
};

const matchesTable = (lang: Lang, book: string, r: Reconciliation) =>
  r.matches.length === 0
    ? html`<p>${t(lang, "none")}</p>`
    : html`<div class="scroll"><table data-testid="bank-matches"><thead><tr><th>${t(lang, "statementLine")}</th><th>${t(lang, "date")}</th><th class="num">${t(lang, "amount")}</th><th>${t(lang, "entry")}</th><th>${t(lang, "matchRule")}</th><th>${t(lang, "matchStatus")}</th></tr></thead><tbody>
${r.matches.map(
  (match) =>
    html`<tr><td>${match.line}</td><td>${match.date}</td><td class="num">${formatYuan(match.amount)}</td><td>${entryLink(book, match.entrySeq)}</td><td>${t(lang, match.rule === "reference" ? "ruleReference" : "ruleAmountDate")}</td><td>${t(lang, match.status === "confirmed" ? "statusConfirmed" : "statusMatched")}</td></tr>`,
)}
</tbody></table></div>`;

/**
 * "Bank reconciliation" (银行存款余额调节表): a fund's month, chosen in a GET form; the table of the
 * two balances and their adjustments, whether they agree, the reconciling items and the matches.
 * Read-only: confirming or undoing a match is finance's, through the API.
 */
export async function reconciliationPage(
  api: Api,
  lang: Lang,
  book: BookView,
  today: string,
  query: ReconciliationQuery,
): Promise<Html> {
  const period = query.period && /^\d{4}-\d{2}$/.test(query.period) ? query.period : lastMonth(today);
  let content: Html;
  try {
    const r = await api.get<Reconciliation>(bookPath(book.id, `/reconciliations/${period}`, { fundId: query.fundId }));
    content = html`<h2>${r.period}</h2>
${statementTable(lang, r)}
<p class="verdict ${r.balanced ? "ok" : "broken"}" role="status" data-testid="reconciliation-verdict" data-balanced="${String(r.balanced)}">${
      r.balanced
        ? `✓ ${t(lang, "reconciled")}`
        : `✗ ${t(lang, "notReconciled")}${colon(lang)}${formatYuan(r.difference)}`
    }</p>
<h2>${t(lang, "reconcilingItems")}</h2>
${itemsTable(lang, book.id, r)}
<h2>${t(lang, "matchedLines")}</h2>
${matchesTable(lang, book.id, r)}`;
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    content = problemBox(lang, describeProblem(lang, error.problem, error.status));
  }
  return html`<section class="reconciliation" data-testid="reconciliation-page">
<h1>${t(lang, "reconciliation")}</h1>
<p>${t(lang, "reconciliationIntro")}</p>
${chooser(book.id, lang, period, query.fundId)}
${content}
</section>`;
}
