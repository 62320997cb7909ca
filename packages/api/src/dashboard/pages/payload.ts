import { html } from "hono/html";
import { fieldLabel, MONEY_FIELDS } from "../fields.ts";
import { currencyName, formatCount, formatYuan, zoneName } from "../format.ts";
import { colon, type Lang, t } from "../labels.ts";
import type { Html } from "../layout.ts";
import { type Names, named } from "../names.ts";
import { problemTitle } from "../problems.ts";
import { accountKindLabel, eventLabel, isAccountKind, term } from "../terms.ts";
import { beneficiaryLink, entryLink, proposalLink } from "./entries.ts";

/** What a payload's values are shown with: the book, its names, and the beneficiaries' names. */
export type Shown = {
  readonly lang: Lang;
  readonly book: string;
  readonly names: Names;
  readonly beneficiaries: ReadonlyMap<string, string>;
};

/**
 * Fields whose values are words of the ledger's vocabulary, shown translated: `type` is a
 * proposal's request's command, `reason` a void's (a free-text reason has no term and shows as written).
 */
const VOCABULARY = new Set([
  "source",
  "kind",
  "severity",
  "category",
  "tier",
  "outcome",
  "method",
  "methods",
  "type",
  "reason",
  "mode",
  "rule",
]);
/** Identifiers, keys, hashes and the token subjects of proposers and approvers: shown verbatim, as code. */
const CODES = new Set([
  "auditId",
  "findingId",
  "batchId",
  "reference",
  "idNumberHash",
  "rollupHash",
  "annualReportHash",
  "statementHash",
  "accountLast4",
  "importId",
  "accountHash",
  "fileHash",
  "format",
  "layout",
  "proposer",
  "approver",
  "approvers",
  "by",
]);
const FUNDS = new Set(["fundId", "fromFundId", "toFundId"]);
const BENEFICIARIES = new Set(["beneficiaryId", "householdId"]);
const SEQS = new Set(["entrySeq", "lastSeq", "relatedEntries"]);

const list = (lang: Lang, items: readonly (Html | string)[]) =>
  html`${items.map((item, n) => html`${n > 0 ? (lang === "en" ? ", " : "、") : ""}${item}`)}`;

type Refused = { line?: unknown; code?: unknown; message?: unknown };

const refusedLines = (lines: readonly Refused[], shown: Shown) =>
  lines.length === 0
    ? "—"
    : html`<table class="refused"><thead><tr><th class="num">${fieldLabel(shown.lang, "line")}</th><th>${fieldLabel(shown.lang, "code")}</th></tr></thead><tbody>${lines.map(
        (line) => {
          const code = String(line.code);
          const title = problemTitle(shown.lang, code);
          return html`<tr><td class="num">${String(line.line)}</td><td title="${String(line.message ?? "")}" data-code="${code}">${title ?? html`<code>${code}</code>`}</td></tr>`;
        },
      )}</tbody></table>`;

/** One payload value in words: names for ids, yuan for amounts, the vocabulary translated. */
export function payloadValue(key: string, item: unknown, shown: Shown): Html | string {
  const { lang, book, names, beneficiaries } = shown;
  if (item === null || item === undefined) return "—";
  if (key === "refused" && Array.isArray(item)) return refusedLines(item as Refused[], shown);
  if (SEQS.has(key)) {
    const seqs = (Array.isArray(item) ? item : [item]).filter((seq): seq is number => typeof seq === "number");
    return list(
      lang,
      seqs.map((seq) => entryLink(book, seq)),
    );
  }
  if (Array.isArray(item))
    return list(
      lang,
      item.map((each) => payloadValue(key, each, shown)),
    );
  if (typeof item === "object")
    return html`<dl class="record nested">${Object.entries(item).map(
      ([inner, value]) =>
        html`<div><dt>${fieldLabel(lang, inner)}</dt><dd>${payloadValue(inner, value, shown)}</dd></div>`,
    )}</dl>`;
  if (typeof item === "boolean") return t(lang, item ? "yes" : "no");
  // A proposal's id is the seq of the entry that made it; it links to the proposal on the approvals page.
  if (key === "proposalId" && typeof item === "number") return proposalLink(book, item);
  if (typeof item === "number") return key === "year" ? String(item) : formatCount(item);
  const value = String(item);
  if (MONEY_FIELDS.has(key)) return formatYuan(value);
  if (VOCABULARY.has(key)) return term(lang, value);
  if (key === "entryType") return html`<span data-type="${value}" title="${value}">${eventLabel(lang, value)}</span>`;
  if (FUNDS.has(key)) return named(names.funds, value);
  if (key === "programId") return named(names.programs, value);
  if (key === "unitId") return named(names.units, value);
  if (BENEFICIARIES.has(key)) return beneficiaryLink(book, value, beneficiaries.get(value));
  if (CODES.has(key)) return html`<code>${value}</code>`;
  if (key === "timeZone") return html`${zoneName(value, lang)} <code>${value}</code>`;
  if (key === "currency") return html`${currencyName(value, lang)} <code>${value}</code>`;
  return value;
}

/**
 * A posting's account in words: `fund:relief` is "资金：帮扶资金", `source:dues` "来源：会费",
 * `beneficiary:hh-0001` the beneficiary's name, `unit:…` the unit's; the account as recorded is
 * kept in the title and a data attribute for whoever needs it verbatim.
 */
export function accountWords(account: string, shown: Shown): Html {
  const { lang, book, names, beneficiaries } = shown;
  const split = account.indexOf(":");
  const kind = account.slice(0, split);
  const id = account.slice(split + 1);
  if (split < 0 || !isAccountKind(kind)) return html`<code>${account}</code>`;
  const what =
    kind === "fund"
      ? named(names.funds, id)
      : kind === "unit"
        ? named(names.units, id)
        : kind === "source"
          ? term(lang, id)
          : beneficiaryLink(book, id, beneficiaries.get(id));
  return html`<span data-account="${account}" title="${account}">${accountKindLabel(lang, kind)}${colon(lang)}${what}</span>`;
}
