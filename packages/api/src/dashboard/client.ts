/**
 * The dashboard's only script, served by the app at /dashboard/assets/dashboard.js: no CDN, no
 * framework, no build. It is kept as text rather than as a function serialised with toString(),
 * because the Lambda bundler (esbuild with keepNames) wraps named functions in a helper that lives
 * outside the function, which the browser would not have. client.test.ts parses it; the browser
 * test (tests/dashboard.test.ts) runs it.
 *
 * What it does: keeps the token in sessionStorage (this tab only), fetches the server-rendered
 * content of the page it is on from /dashboard/_/… with the token as `Authorization: Bearer`, and
 * puts it in the page. It sends nothing but GETs; links and filter forms are plain navigations, so
 * the token never enters a URL, and a 401 sends the page back to sign-in with the reason.
 *
 * Downloads: a button with `data-download="/v1/books/…?format=csv"` (downloads.ts) is fetched the
 * same way, with the token in the header (a link could not carry it), and saved under the name
 * the API gives in Content-Disposition (`filename*`, in the reader's language) through a blob URL
 * and a temporary `<a download>`. Only paths of this app's /v1/books/ are fetched with the token.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  "use strict";
  var TOKEN = "relief-ledger.token";
  var REFUSED = "relief-ledger.refused";
  var LANG = "relief-ledger.lang";
  var SIGN_IN = "/dashboard/sign-in";
  var app = document.getElementById("app");
  var timer;
  if (!app) return;

  function lang() {
    return localStorage.getItem(LANG) === "en" ? "en" : "zh-CN";
  }
  function here() {
    return location.pathname + location.search;
  }
  function signIn() {
    location.replace(SIGN_IN + "?next=" + encodeURIComponent(here()));
  }
  // Only a dashboard path of this site: a crafted ?next= must not send anyone elsewhere.
  function safeNext(next) {
    return next && /^\/dashboard(\/|\?|$)/.test(next) && next.indexOf("//") < 0 && next.indexOf("\\") < 0
      ? next
      : "/dashboard";
  }
  function showText(message) {
    var box = document.createElement("p");
    box.className = "problem";
    box.setAttribute("role", "alert");
    box.textContent = message;
    app.replaceChildren(box);
  }
  function problemOf(response) {
    return response.json().catch(function () {
      return {};
    });
  }

  async function load() {
    var onSignIn = location.pathname === SIGN_IN;
    var token = sessionStorage.getItem(TOKEN);
    if (!token && !onSignIn) return signIn();
    var headers = { "x-dashboard-lang": lang() };
    if (token && !onSignIn) headers.authorization = "Bearer " + token;
    var path = location.pathname.slice("/dashboard".length);
    var response = await fetch("/dashboard/_" + path + location.search, {
      headers: headers,
      cache: "no-store",
      credentials: "omit",
    });
    if (response.status === 401 && !onSignIn) {
      var refused = await problemOf(response);
      sessionStorage.removeItem(TOKEN);
      sessionStorage.setItem(REFUSED, refused.detail || refused.title || "401");
      return signIn();
    }
    var moved = response.headers.get("x-dashboard-location");
    if (moved) return location.replace(safeNext(moved));
    if ((response.headers.get("content-type") || "").indexOf("text/html") !== 0) {
      var problem = await problemOf(response);
      return showText(response.status + " " + (problem.title || "") + " " + (problem.detail || ""));
    }
    app.innerHTML = await response.text();
    // A page that is still filling (a book loading behind the server) asks to be fetched again.
    var refresh = app.querySelector("[data-refresh]");
    clearTimeout(timer);
    if (refresh) timer = setTimeout(reload, Math.max(1, Number(refresh.dataset.refresh) || 3) * 1000);
    var frame = app.querySelector(".frame");
    document.title = (frame && frame.dataset.title) || "relief-ledger";
    document.documentElement.lang = lang();
    if (onSignIn) {
      var reason = sessionStorage.getItem(REFUSED);
      var box = app.querySelector("[data-testid=sign-in-error]");
      if (reason && box) {
        box.textContent = (lang() === "en" ? "The token was not accepted: " : "令牌未被接受：") + reason;
        box.hidden = false;
      }
      var field = app.querySelector("#token");
      if (field) field.focus();
    }
  }
  // The name the API gives a file: filename* (RFC 8187, UTF-8), else the ASCII filename.
  function fileName(disposition) {
    var star = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
    if (star) {
      try {
        return decodeURIComponent(star[1].trim());
      } catch (error) {}
    }
    var plain = /filename="([^"]+)"/.exec(disposition || "");
    return plain ? plain[1] : "download";
  }
  function saveFile(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 60000);
  }
  function downloadFailed(button, message) {
    var box = document.createElement("p");
    box.className = "problem";
    box.setAttribute("role", "alert");
    box.dataset.testid = "download-error";
    box.textContent = (button.dataset.failed || "") + " " + message;
    button.parentElement.after(box);
  }
  async function download(button) {
    var path = button.dataset.download || "";
    if (path.indexOf("/v1/books/") !== 0 || path.indexOf("//") >= 0 || path.indexOf("\\") >= 0) return;
    var token = sessionStorage.getItem(TOKEN);
    if (!token) return signIn();
    button.disabled = true;
    try {
      var response = await fetch(path, {
        headers: { authorization: "Bearer " + token },
        cache: "no-store",
        credentials: "omit",
      });
      if (response.status === 401) {
        var refused = await problemOf(response);
        sessionStorage.removeItem(TOKEN);
        sessionStorage.setItem(REFUSED, refused.detail || refused.title || "401");
        return signIn();
      }
      if (!response.ok) {
        var problem = await problemOf(response);
        return downloadFailed(button, response.status + " " + (problem.title || "") + " " + (problem.detail || ""));
      }
      saveFile(await response.blob(), fileName(response.headers.get("content-disposition")));
    } finally {
      button.disabled = false;
    }
  }

  function reload() {
    load().catch(function (error) {
      showText(String(error));
    });
  }

  document.addEventListener("click", function (event) {
    var file = event.target instanceof Element ? event.target.closest("[data-download]") : null;
    if (file) {
      return download(file).catch(function (error) {
        downloadFailed(file, String(error));
      });
    }
    var button = event.target instanceof Element ? event.target.closest("[data-action]") : null;
    if (!button) return;
    if (button.dataset.action === "sign-out") {
      sessionStorage.removeItem(TOKEN);
      location.assign(SIGN_IN);
    } else if (button.dataset.action === "lang") {
      localStorage.setItem(LANG, button.dataset.lang === "en" ? "en" : "zh-CN");
      reload();
    }
  });

  document.addEventListener("submit", function (event) {
    if (!event.target || event.target.id !== "sign-in") return;
    event.preventDefault();
    var field = app.querySelector("#token");
    var token = ((field && field.value) || "").trim().replace(/^Bearer\s+/i, "");
    if (!token) return;
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.removeItem(REFUSED);
    location.assign(safeNext(new URLSearchParams(location.search).get("next")));
  });

  reload();
})();
`;
