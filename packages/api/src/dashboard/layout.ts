import { html } from "hono/html";
import { bracketed, colon, type Lang, t, type Word } from "./labels.ts";
import type { ProblemText } from "./problems.ts";
import { roleLabel } from "./terms.ts";

/**
 * Pages are written with `hono/html` tagged templates: Hono's JSX-free way of rendering on the
 * server, with the same escaping and the same HtmlEscapedString as hono/jsx. JSX itself would need a
 * build step: Node 24 runs our .ts files by stripping types only and never transforms JSX, and
 * the project has no bundler for `npm start`. Every interpolated value is escaped; nothing in a
 * page is marked raw except the fixed SVG and markup built here.
 */
export type Html = ReturnType<typeof html>;

export const ASSET_VERSION = "1";

/**
 * The page a browser navigates to: only a frame and the script. The script takes the token from
 * sessionStorage and fetches the page's content (a server-rendered fragment) with it in the
 * Authorization header, so the token never travels in a URL or a cookie.
 */
export const shell = () => html`<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <link rel="icon" href="data:,">
  <title>relief-ledger</title>
  <link rel="stylesheet" href="/dashboard/assets/dashboard.css?v=${ASSET_VERSION}">
  <script src="/dashboard/assets/dashboard.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
  <div id="app" aria-live="polite"><p class="loading">加载中… Loading…</p></div>
  <noscript><p class="problem">此页面需要 JavaScript。This dashboard needs JavaScript to send your token.</p></noscript>
</body>
</html>`;

export type Who = { sub: string; role: string };

export type FrameOptions = {
  readonly lang: Lang;
  readonly title: string;
  readonly who?: Who;
  readonly book?: { id: string; name: string };
  readonly active?: "overview" | "journal" | "approvals" | "beneficiaries" | "reconciliation" | "verify";
};

const NAV: readonly { page: NonNullable<FrameOptions["active"]>; word: Word; path: string }[] = [
  { page: "overview", word: "overview", path: "" },
  { page: "journal", word: "journal", path: "/journal" },
  { page: "approvals", word: "approvals", path: "/approvals" },
  { page: "beneficiaries", word: "beneficiaries", path: "/beneficiaries" },
  { page: "reconciliation", word: "reconciliation", path: "/reconciliation" },
  { page: "verify", word: "verify", path: "/verify" },
];

export const dashboardBookPath = (book: string, rest = ""): string =>
  `/dashboard/books/${encodeURIComponent(book)}${rest}`;

/** A fragment: the header (book, navigation, language, who), the read-only notice, and the content. */
export function frame(options: FrameOptions, content: Html | Html[]): Html {
  const { lang, who, book, active } = options;
  const other: Lang = lang === "en" ? "zh-CN" : "en";
  return html`<div class="frame" data-title="${options.title}" data-lang="${lang}">
  <header class="top">
    <a class="brand" href="/dashboard">${t(lang, "appName")}</a>
    ${
      book
        ? html`<span class="book" title="${book.id}">${book.name}</span>
    <nav aria-label="${book.name}">${NAV.map(
      (item) =>
        html`<a href="${dashboardBookPath(book.id, item.path)}"${active === item.page ? html` aria-current="page"` : ""}>${t(lang, item.word)}</a>`,
    )}</nav>`
        : ""
    }
    <div class="tools">
      <button type="button" data-action="lang" data-lang="${other}" lang="${other}">${t(lang, "language")}</button>
      ${
        who
          ? html`<span class="who" data-testid="who" data-role="${who.role}">${t(lang, "signedInAs")}${colon(lang)}<code>${who.sub}</code>${bracketed(lang, roleLabel(lang, who.role))}</span>
      <button type="button" data-action="sign-out">${t(lang, "signOut")}</button>`
          : ""
      }
    </div>
  </header>
  ${who ? html`<p class="readonly">${t(lang, "readOnly")}</p>` : ""}
  <main>${content}</main>
</div>`;
}

/** A problem the API answered, said plainly in the page in the reader's language, with its stable code. */
export const problemBox = (lang: Lang, { title, detail, code }: ProblemText) =>
  html`<div class="problem" role="alert" data-testid="problem"${code ? html` data-code="${code}"` : ""}><strong>${title}</strong>${detail ? html`${colon(lang)}${detail}` : ""}${code ? html` <small>${t(lang, "problemCode")} <code>${code}</code></small>` : ""}</div>`;
