import { html } from "hono/html";
import { type Lang, t, type Word } from "./labels.ts";
import type { Html } from "./layout.ts";

/** The language an export is headed in: the reader's (the API's `lang` says zh, the dashboard zh-CN). */
export const exportLang = (lang: Lang): "zh" | "en" => (lang === "en" ? "en" : "zh");

/**
 * A button that downloads an export of the API (`path`, a GET under /v1 with its `format`). The
 * script (client.ts) fetches it with the signed-in token in the Authorization header and saves it
 * under the name the API gives; the path itself never carries the token, so it is safe to show.
 */
export const downloadButton = (lang: Lang, path: string, format: "csv" | "xlsx", what: Word = "download") =>
  html`<button type="button" class="button secondary download" data-download="${path}" data-format="${format}" data-failed="${t(lang, "downloadFailed")}">${t(lang, what)} ${t(lang, format)}</button>`;

/** The buttons of one list or table, grouped. */
export const downloads = (testId: string, buttons: readonly Html[]) =>
  html`<span class="downloads" data-testid="${testId}">${buttons}</span>`;
