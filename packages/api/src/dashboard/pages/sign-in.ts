import { html } from "hono/html";
import { type Lang, t } from "../labels.ts";
import type { Html } from "../layout.ts";

/**
 * The sign-in form. Its textarea has no `name`: even if the script did not run and the form were
 * submitted by the browser, the token could not end up in a URL. The script stores it in
 * sessionStorage (this tab only, gone when it closes) and sends it as a Bearer header.
 */
export const signInPage = (lang: Lang): Html => html`<section class="sign-in" data-testid="sign-in">
<h1>${t(lang, "signIn")}</h1>
<p>${t(lang, "signInIntro")}</p>
<p class="problem" data-testid="sign-in-error" hidden></p>
<form id="sign-in" method="get" action="/dashboard" autocomplete="off">
<label for="token">${t(lang, "token")}</label>
<textarea id="token" rows="5" cols="70" spellcheck="false" required placeholder="eyJhbGciOiJIUzI1NiIs…"></textarea>
<button type="submit">${t(lang, "signIn")}</button>
</form>
<p class="readonly">${t(lang, "readOnly")}</p>
</section>`;
