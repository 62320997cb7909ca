import { localDate } from "@relief-ledger/core";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { authenticate } from "../auth/authenticate.ts";
import type { AuthEnv } from "../auth/env.ts";
import { reachesBook } from "../auth/permissions.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_BASE, ProblemError } from "../problem.ts";
import { type Api, ApiProblem, apiFor, bookPath, type Requester } from "./api.ts";
import { CLIENT_SCRIPT } from "./client.ts";
import { formatCount } from "./format.ts";
import { type Lang, langOf, t } from "./labels.ts";
import { dashboardBookPath, type FrameOptions, frame, type Html, problemBox, shell } from "./layout.ts";
import { approvalsPage, approvalsQuery } from "./pages/approvals.ts";
import { beneficiaryPage } from "./pages/beneficiary.ts";
import { entryPage } from "./pages/entry.ts";
import { FILTERS, type Filters, journalPage, PAGE_STARTS } from "./pages/journal.ts";
import { overviewPage } from "./pages/overview.ts";
import { reconciliationPage } from "./pages/reconciliation.ts";
import { signInPage } from "./pages/sign-in.ts";
import type { BookView } from "./pages/types.ts";
import { verifyPage } from "./pages/verify.ts";
import { describeProblem, type Problem, problemText } from "./problems.ts";
import { proposalsOf } from "./proposals.ts";
import { STYLES } from "./styles.ts";

type Ctx = Context<AppEnv>;

/**
 * Pages get a strict policy: scripts and styles only from this app (the page works offline and
 * runs nothing injected), no framing, forms only to itself, and no Referer sent anywhere.
 */
const POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** What a fragment shows: the page's content, or the problem the API answered, in the frame. */
async function fragment(
  c: Ctx,
  options: Omit<FrameOptions, "lang">,
  render: (lang: Lang) => Promise<Html> | Html,
  status: 200 | 404 = 200,
) {
  const lang = langOf(c.req.header("x-dashboard-lang"));
  c.header("Cache-Control", "no-store");
  c.header("Vary", "Authorization, X-Dashboard-Lang");
  try {
    return c.html(frame({ ...options, lang }, await render(lang)), status);
  } catch (error) {
    if (!(error instanceof ApiProblem)) throw error;
    // A refused token sends the page back to sign-in; anything else is said in the page.
    if (error.status === 401) return refusedToken(c, lang, error.problem);
    const code = error.status === 403 || error.status === 404 || error.status === 400 ? error.status : 502;
    return c.html(
      frame({ ...options, lang }, problemBox(lang, describeProblem(lang, error.problem, error.status))),
      code,
    );
  }
}

/** A 401 for the script, which shows its detail on the sign-in page: in the reader's language, by its code. */
const refusedToken = (c: Context, lang: Lang, problem: Problem) =>
  c.json({ ...problem, ...problemText(lang, problem) }, 401, {
    "Content-Type": "application/problem+json",
    "WWW-Authenticate": "Bearer",
  });

const who = (c: Ctx) => ({ sub: c.var.principal.sub, role: c.var.principal.role });

/** The book a page is about, through the API (so a token that does not reach it gets the API's 403). */
async function bookOf(api: Api, book: string): Promise<BookView> {
  return api.get<BookView>(bookPath(book));
}

/** A page of one book: the frame names the book; the content is drawn from it. */
function bookPage(
  app: Requester,
  active: NonNullable<FrameOptions["active"]>,
  draw: (api: Api, lang: Lang, book: BookView, c: Ctx) => Promise<Html>,
) {
  return async (c: Ctx) => {
    const id = c.req.param("book") ?? "";
    const api = apiFor(app, c);
    const lang = langOf(c.req.header("x-dashboard-lang"));
    let book: BookView;
    try {
      // The book first, through the API: a token that does not reach it gets the API's own 403.
      book = await bookOf(api, id);
    } catch (error) {
      return fragment(c, { title: id, who: who(c) }, () => Promise.reject(error));
    }
    const frameOptions = {
      title: `${t(lang, active)} · ${book.name}`,
      who: who(c),
      book: { id, name: book.name },
      active,
    };
    const { loading } = book;
    if (loading) return fragment(c, frameOptions, (l) => loadingNotice(l, loading));
    return fragment(c, frameOptions, (l) => draw(api, l, book, c));
  };
}

/** Instead of a page of half a book: how far its load has got; the script fetches the page again. */
const loadingNotice = (lang: Lang, { done, total, percent }: NonNullable<BookView["loading"]>) =>
  html`<section class="loading-book" data-testid="book-loading" data-refresh="3" aria-live="polite">
<h1>${t(lang, "bookLoading")} · ${percent}%</h1>
<progress max="${total}" value="${done}">${percent}%</progress>
<p>${formatCount(done)} / ${formatCount(total)} ${t(lang, "steps")}</p>
<p>${t(lang, "bookLoadingNote")}</p>
</section>`;

const today = (c: Ctx, book: BookView) => localDate(book.timeZone, (c.var.ledger.clock ?? (() => new Date()))());

/**
 * The auditors' dashboard, served by the API's own app: `/dashboard/…` are pages (a shell and a
 * script), `/dashboard/_/…` their server-rendered content, fetched by the script with the token.
 * It reads only through the JSON API, with GETs (see api.ts), so it can show nothing the token may
 * not read and change nothing at all. Mount with `app.route("/", dashboardRoutes(app))`.
 */
export function dashboardRoutes(app: Requester) {
  const routes = new Hono<AppEnv>();

  routes.get("/", (c) => c.redirect("/dashboard", 302));

  routes.get("/dashboard/assets/dashboard.js", (c) =>
    c.body(CLIENT_SCRIPT, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    }),
  );
  routes.get("/dashboard/assets/dashboard.css", (c) =>
    c.body(STYLES, 200, {
      "Content-Type": "text/css; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    }),
  );

  routes.use("/dashboard/*", async function dashboardHeaders(c, next) {
    await next();
    c.header("Content-Security-Policy", POLICY);
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
  });

  routes.get("/dashboard/_/sign-in", (c) =>
    fragment(c, { title: t(langOf(c.req.header("x-dashboard-lang")), "signIn") }, (lang) => signInPage(lang)),
  );

  // Every other fragment needs a valid token (the API's own check, with the app's secret, which
  // only the ledger on the context knows); the API checks it again on each read.
  routes.use("/dashboard/_/*", async function requireToken(c, next) {
    if (c.req.path === "/dashboard/_/sign-in") return next();
    let passed = false;
    try {
      return await authenticate({ secret: c.var.ledger.jwtSecret })(c as unknown as Context<AuthEnv>, () => {
        passed = true;
        return next();
      });
    } catch (error) {
      // Only the token's own refusal is answered here; whatever the page throws goes on to onError.
      if (passed || !(error instanceof ProblemError) || error.problem.status !== 401) throw error;
      return refusedToken(c, langOf(c.req.header("x-dashboard-lang")), error.problem);
    }
  });

  routes.get("/dashboard/_", async (c) => {
    const principal = c.var.principal;
    const ids =
      principal.books === "*" ? (await c.var.ledger.journal.books()).map((book) => book.id) : [...principal.books];
    if (ids.length === 1) {
      c.header("X-Dashboard-Location", dashboardBookPath(ids[0] as string));
      return c.body(null, 204);
    }
    const api = apiFor(app, c);
    return fragment(c, { title: "relief-ledger", who: who(c) }, async (lang) => {
      const books = await Promise.all(
        ids.filter((id) => reachesBook(principal, id)).map((id) => bookOf(api, id).catch(() => undefined)),
      );
      const found = books.filter((book): book is BookView => book !== undefined);
      return html`<section><h1>${t(lang, "books")}</h1>${
        found.length === 0
          ? html`<p class="empty">${t(lang, "noBooks")}</p>`
          : html`<ul>${found.map((book) => html`<li><a href="${dashboardBookPath(book.id)}">${book.name}</a> <code>${book.id}</code></li>`)}</ul>`
      }</section>`;
    });
  });

  routes.get(
    "/dashboard/_/books/:book",
    bookPage(app, "overview", (api, lang, book, c) =>
      overviewPage(api, lang, book, today(c, book), c.req.query("year")),
    ),
  );
  routes.get(
    "/dashboard/_/books/:book/journal",
    bookPage(app, "journal", (api, lang, book, c) => {
      const filters: Filters = {};
      for (const key of [...FILTERS, ...PAGE_STARTS] as const) {
        const value = c.req.query(key)?.trim();
        if (value) filters[key] = value;
      }
      return journalPage(app, api, lang, book, filters);
    }),
  );
  routes.get(
    "/dashboard/_/books/:book/entries/:seq{[1-9][0-9]{0,14}}",
    bookPage(app, "journal", (api, lang, book, c) =>
      entryPage(app, api, lang, book, Number(c.req.param("seq")), proposalsOf(api, book.id)),
    ),
  );
  routes.get(
    "/dashboard/_/books/:book/approvals",
    bookPage(app, "approvals", async (api, lang, book, c) =>
      approvalsPage(
        api,
        proposalsOf(api, book.id),
        lang,
        book,
        today(c, book),
        approvalsQuery({
          state: c.req.query("state"),
          programId: c.req.query("programId"),
          before: c.req.query("before"),
          limit: c.req.query("limit"),
          proposal: c.req.query("proposal"),
        }),
      ),
    ),
  );
  routes.get(
    "/dashboard/_/books/:book/beneficiaries",
    bookPage(app, "beneficiaries", (api, lang, book, c) => beneficiaryPage(api, lang, book, c.req.query("id")?.trim())),
  );
  routes.get(
    "/dashboard/_/books/:book/reconciliation",
    bookPage(app, "reconciliation", (api, lang, book, c) =>
      reconciliationPage(api, lang, book, today(c, book), {
        period: c.req.query("period")?.trim(),
        fundId: c.req.query("fundId")?.trim(),
      }),
    ),
  );
  routes.get(
    "/dashboard/_/books/:book/verify",
    bookPage(app, "verify", (api, lang, book, c) => verifyPage(api, lang, book, c.req.query("run") === "1")),
  );
  routes.get("/dashboard/_/*", (c) =>
    fragment(
      c,
      { title: "404", who: who(c) },
      (lang) =>
        problemBox(
          lang,
          describeProblem(lang, {
            type: `${PROBLEM_BASE}not-found`,
            path: c.req.path.replace("/dashboard/_", "/dashboard"),
          }),
        ),
      404,
    ),
  );

  // Any other dashboard path is a page: the shell, whose script asks for its content.
  routes.get("/dashboard", (c) => c.html(shell()));
  routes.get("/dashboard/*", (c) => c.html(shell()));
  return routes;
}
