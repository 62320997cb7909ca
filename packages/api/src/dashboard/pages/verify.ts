import { html } from "hono/html";
import { type Api, bookPath } from "../api.ts";
import { formatCount } from "../format.ts";
import { type Lang, t } from "../labels.ts";
import { dashboardBookPath, type Html } from "../layout.ts";
import { entryLink } from "./entries.ts";
import type { BookView } from "./types.ts";

type VerifyReport = {
  ok: boolean;
  checked: number;
  fromSeq: number;
  headSeq: number;
  headHash: string;
  lastGood: { seq: number; hash: string };
  firstBreak?: { seq: number; reason: string; detail: string };
};

/**
 * "Verify chain": the API recomputes every entry's hash from the first; the answer is shown as
 * one plain sentence, green or red, with the counts and the first break if there is one. The
 * button is a GET link (?run=1): verifying reads, it never writes.
 */
export async function verifyPage(api: Api, lang: Lang, book: BookView, run: boolean): Promise<Html> {
  const report = run ? await api.get<VerifyReport>(bookPath(book.id, "/verify")) : undefined;
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
<div><dt>${t(lang, "lastGood")}</dt><dd>${report.lastGood.seq > 0 ? entryLink(book.id, report.lastGood.seq) : "—"} <code class="hash-full">${report.lastGood.hash}</code></dd></div>
${report.firstBreak ? html`<div><dt>${t(lang, "firstBreak")}</dt><dd>${entryLink(book.id, report.firstBreak.seq)}: ${report.firstBreak.reason} — ${report.firstBreak.detail}</dd></div>` : ""}
</dl></div>`
    : ""
}
</section>`;
}
