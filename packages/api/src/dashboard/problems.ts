import { html } from "hono/html";
import { PROBLEM_BASE, type ProblemCode } from "../problem.ts";
import { formatCount, formatYuan } from "./format.ts";
import { type Lang, t } from "./labels.ts";
import type { Html } from "./layout.ts";
import { PROBLEM_TEXTS } from "./problem-texts.ts";
import { eventLabel, term } from "./terms.ts";

/*
 * Fills the templates of problem-texts.ts with a problem's members: amounts as yuan, the ledger's
 * vocabulary and event types in words, dates and seqs as they are, anything else (ids) as code.
 */

const CAPS: Record<string, readonly [string, string]> = {
  "per-payment": ["每笔上限", "the per-payment cap"],
  "per-year-count": ["每人每年次数上限", "the yearly count per beneficiary"],
  "per-year-amount": ["每人每年金额上限", "the yearly amount per beneficiary"],
};

const AMOUNT_REASONS: Record<string, readonly [string, string]> = {
  format: ["不是十进制金额", "not a decimal amount"],
  "too-many-decimals": ["小数位数超过币种所允许的", "more decimals than the currency has"],
  "not-positive": ["须大于零", "must be more than zero"],
  "too-large": ["金额过大", "too large"],
};

const MONEY = new Set(["balance", "requested", "budget", "paid", "reserved", "available"]);
const PLAIN = /^(\d{4}-\d{2}(-\d{2})?|\d+)$/;

export type Problem = { readonly type?: string; readonly title?: string; readonly detail?: string } & Readonly<
  Record<string, unknown>
>;

/** The code at the end of a problem's type, when it is one of ours. */
export const problemCode = (problem: Problem): string | undefined =>
  typeof problem.type === "string" && problem.type.startsWith(PROBLEM_BASE)
    ? problem.type.slice(PROBLEM_BASE.length)
    : undefined;

const isKnown = (code: string | undefined): code is ProblemCode =>
  code !== undefined && Object.hasOwn(PROBLEM_TEXTS, code);

const join = (lang: Lang, items: readonly (Html | string)[]) =>
  items.map((item, index) => (index === 0 ? item : html`${lang === "en" ? ", " : "、"}${item}`));

/** A member of the problem, as its placeholder shows it; undefined when the problem lacks it. */
function member(lang: Lang, name: string, problem: Problem): Html | string | (Html | string)[] | undefined {
  const value = problem[name];
  if (value === undefined || value === null || value === "") return undefined;
  // Nothing reserved is nothing to say: the detail that does not speak of reservations is chosen.
  if (name === "reserved" && typeof value === "string" && !/[1-9]/.test(value)) return undefined;
  const words = (table: Record<string, readonly [string, string]>, key: string) =>
    table[key]?.[lang === "en" ? 1 : 0] ?? html`<code>${key}</code>`;
  if (name === "errors" && Array.isArray(value)) {
    const paths = value.flatMap((error) => (typeof error?.path === "string" ? [html`<code>${error.path}</code>`] : []));
    return paths.length > 0 ? join(lang, paths) : undefined;
  }
  if (name === "refused" && Array.isArray(value)) return formatCount(value.length);
  if (name === "allowed" && Array.isArray(value))
    return join(
      lang,
      value.map((item) => term(lang, String(item))),
    );
  if (Array.isArray(value) || typeof value === "object") return undefined;
  const text = String(value);
  if (name === "cap") return words(CAPS, text);
  if (name === "reason") return words(AMOUNT_REASONS, text);
  if (name === "method" || name === "status" || name === "outcome") return term(lang, text);
  if (name === "entryType") return eventLabel(lang, text);
  if (MONEY.has(name) || (name === "limit" && problem.cap !== undefined && problem.cap !== "per-year-count"))
    return formatYuan(text);
  // Numbers here are seqs and line counts, written as the journal writes them.
  if (typeof value === "number") return String(value);
  return PLAIN.test(text) ? text : html`<code>${text}</code>`;
}

/** A template with its placeholders filled, or undefined when the problem lacks one of them. */
function fill(lang: Lang, template: string, problem: Problem): Html | undefined {
  const parts: (Html | string | (Html | string)[])[] = [];
  for (const [index, part] of template.split(/(\{\w+\}|`[^`]+`)/).entries()) {
    if (index % 2 === 0) parts.push(part);
    else if (part.startsWith("`")) parts.push(html`<code>${part.slice(1, -1)}</code>`);
    else {
      const value = member(lang, part.slice(1, -1), problem);
      if (value === undefined) return undefined;
      parts.push(value);
    }
  }
  return html`${parts.flat()}`;
}

export type ProblemText = { readonly title: string; readonly detail?: Html | string; readonly code?: string };

/** A problem in the reader's language, by its code; the API's own words only for a code not in the table. */
export function describeProblem(lang: Lang, problem: Problem, status?: number): ProblemText {
  const code = problemCode(problem);
  if (!isKnown(code)) {
    const title = problem.title ?? `${t(lang, "problem")}${status ? ` (${status})` : ""}`;
    return { title, ...(problem.detail ? { detail: problem.detail } : {}), ...(code ? { code } : {}) };
  }
  const [title, ...details] = PROBLEM_TEXTS[code][lang === "en" ? 1 : 0];
  for (const template of details) {
    const detail = fill(lang, template, problem);
    if (detail) return { title, detail, code };
  }
  return { title, code };
}

/** A code's title alone (a refused line of a payout batch names only its code). */
export const problemTitle = (lang: Lang, code: string): string | undefined =>
  isKnown(code) ? PROBLEM_TEXTS[code][lang === "en" ? 1 : 0][0] : undefined;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };

/** The same words as plain text, for a JSON answer (the script puts it in the page as text). */
export function problemText(lang: Lang, problem: Problem): { title: string; detail?: string } {
  const { title, detail } = describeProblem(lang, problem);
  if (detail === undefined) return { title };
  const plain = String(detail)
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
  return { title, detail: plain };
}
