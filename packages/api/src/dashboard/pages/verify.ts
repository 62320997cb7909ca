import { html } from "hono/html";
import { type Api, bookPath } from "../api.ts";
import { formatCount, formatInstant } from "../format.ts";
import { bracketed, colon, type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { breakLabel } from "../terms.ts";
import { entryLink } from "./entries.ts";
import type { BookView } from "./types.ts";

type Break = { seq: number; reason: string; detail: string };
type Difference = { path: string; recorded: unknown; recomputed: unknown; period?: string };

type VerifyReport = {
  ok: boolean;
  checked: number;
  fromSeq: number;
  headSeq: number;
  headHash: string;
  lastGood: { seq: number; hash: string };
  breaks: Break[];
  breakCount: number;
  checkpoints: { kept: boolean; valid: number; latest: { seq: number; at: string } | null };
  state: { differences: Difference[] };
  rollups: { differences: Difference[] };
};

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value ?? null));

const checkpointLine = (lang: Lang, report: VerifyReport, timeZone: string) => {
  const { kept, valid, latest } = report.checkpoints;
  if (!kept) return t(lang, "checkpointsNone");
  return t(lang, "checkpointsLatest")
    .replace("{valid}", formatCount(valid))
    .replace("{seq}", latest ? formatCount(latest.seq) : "—")
    .replace("{at}", latest ? formatInstant(latest.at, timeZone, lang) : "—");
};

/**
 * "Verify chain": the API recomputes every entry's hash from the first, holds the entries to the
 * signed checkpoints and folds the balances and rollups again; the answer is one plain sentence,
 * green or red, then every break and every figure that no longer follows from the entries. The
 * button is a GET link (?run=1): verifying reads, it never writes.
 */
export async function verifyPage(api: Api, lang: Lang, book: BookView, run: boolean): Promise<Html> {
  const report = run ? await api.get<VerifyReport>(bookPath(book.id, "/verify")) : undefined;
  const differences = report ? [...report.state.differences, ...report.rollups.differences] : [];
  return html`<section class="verify" data-testid="verify">
<h1>${t(lang, "verify")}</h1>
<p>${t(lang, "verifyIntro")}</p>
<p><a class="button" data-testid="run-verify" href="${dashboardBookPath(book.id, "/verify?run=1")}">${t(lang, "runVerify")}</a></p>
${
  report
    ? html`<div class="verdict ${report.ok ? "ok" : "broken"}" role="status" data-testid="verify-result" data-ok="${String(report.ok)}">
<p class="sentence">${report.ok ? `✓ ${t(lang, "chainOk")}` : `✗ ${t(lang, "chainBroken")}`}</p>
<dl class="record">
<div><dt>${t(lang, "checked")}</dt><dd data-field="checked">${formatCount(report.checked)}</dd></div>
<div><dt>${t(lang, "headSeq")}</dt><dd>${formatCount(report.headSeq)}</dd></div>
<div><dt>${t(lang, "headHash")}</dt><dd><code class="hash-full">${report.headHash}</code></dd></div>
<div><dt>${t(lang, "checkpoints")}</dt><dd data-field="checkpoints">${checkpointLine(lang, report, book.timeZone)}</dd></div>
<div><dt>${t(lang, "lastGood")}</dt><dd>${report.lastGood.seq > 0 ? entryLink(book.id, report.lastGood.seq) : "—"} <code class="hash-full">${report.lastGood.hash}</code></dd></div>
</dl>
${
  report.breaks.length > 0
    ? html`<h2>${t(lang, "breaks")}${bracketed(lang, formatCount(report.breakCount))}</h2><ol class="breaks" data-testid="verify-breaks">${report.breaks.map(
        // The verifier's detail is English prose: shown as such in English, kept as a tooltip in Chinese.
        (item) =>
          html`<li data-reason="${item.reason}" title="${item.detail}">${entryLink(book.id, item.seq)}${colon(lang)}${breakLabel(lang, item.reason)}${lang === "en" ? ` — ${item.detail}` : ""}</li>`,
      )}</ol>`
    : ""
}
${
  differences.length > 0
    ? html`<h2>${t(lang, "differences")}</h2><ul class="differences" data-testid="verify-differences">${differences.map(
        (item) =>
          html`<li>${item.period ? `${item.period} ` : ""}<code>${item.path}</code>${colon(lang)}${t(lang, "recorded")} <code>${show(item.recorded)}</code>${lang === "en" ? ", " : "，"}${t(lang, "recomputed")} <code>${show(item.recomputed)}</code></li>`,
      )}</ul>`
    : ""
}
</div>`
    : ""
}
</section>`;
}
