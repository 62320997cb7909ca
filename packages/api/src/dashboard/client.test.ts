import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { CLIENT_SCRIPT } from "./client.ts";

/** A fake element: just what the script touches of one. */
class FakeElement {
  dataset: Record<string, string> = {};
  disabled = false;
  clicked = 0;
  href = "";
  download = "";
  hidden = false;
  className = "";
  textContent = "";
  parentElement: { after: (node: FakeElement) => void } | null = null;
  readonly selector: string;
  constructor(selector = "") {
    this.selector = selector;
  }
  closest(selector: string) {
    return selector === this.selector ? this : null;
  }
  setAttribute() {}
  click() {
    this.clicked += 1;
  }
  remove() {}
}

/**
 * Runs the script against a fake page (the browser test, tests/dashboard.test.ts, runs it in
 * Chromium): a journal page in a tab signed in with `token`, whose downloads answer `file`.
 */
function runScript(file: Response) {
  const handlers: Record<string, (event: unknown) => unknown> = {};
  const fetched: { url: string; init: RequestInit }[] = [];
  const created: FakeElement[] = [];
  const storage = () => {
    const values = new Map<string, string>();
    return {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: (key: string, value: string) => values.set(key, value),
      removeItem: (key: string) => values.delete(key),
    };
  };
  const sessionStorage = storage();
  sessionStorage.setItem("relief-ledger.token", "the-token");
  const app = { replaceChildren() {}, querySelector: () => null, innerHTML: "" };
  const context = {
    Element: FakeElement,
    URLSearchParams,
    Number,
    Math,
    String,
    sessionStorage,
    localStorage: storage(),
    location: { pathname: "/dashboard/books/b/journal", search: "", replace() {}, assign() {} },
    document: {
      title: "",
      documentElement: {},
      body: { appendChild() {} },
      getElementById: () => app,
      addEventListener: (type: string, handler: (event: unknown) => unknown) => {
        handlers[type] = handler;
      },
      createElement: () => {
        const element = new FakeElement();
        created.push(element);
        return element;
      },
    },
    URL: { createObjectURL: () => "blob:file", revokeObjectURL() {} },
    setTimeout: () => 0,
    clearTimeout() {},
    fetch: async (url: string, init: RequestInit) => {
      fetched.push({ url, init });
      return url.startsWith("/dashboard/_")
        ? new Response("<div></div>", { headers: { "content-type": "text/html" } })
        : file;
    },
  };
  new Script(CLIENT_SCRIPT, { filename: "dashboard.js" }).runInNewContext(context);
  const click = async (path: string) => {
    const button = new FakeElement("[data-download]");
    button.dataset.download = path;
    button.parentElement = { after: (node) => created.push(node) };
    await handlers.click?.({ target: button });
    return button;
  };
  return { fetched, created, click };
}

describe("the dashboard's script", () => {
  it("is valid JavaScript on its own, needing nothing from a bundle", () => {
    expect(() => new Script(CLIENT_SCRIPT, { filename: "dashboard.js" })).not.toThrow();
    expect(CLIENT_SCRIPT.trim().startsWith("(function () {")).toBe(true);
  });

  it("can only read: it never sets a request method, so every fetch is a GET", () => {
    expect(CLIENT_SCRIPT).not.toMatch(/method\s*:/i);
    expect(CLIENT_SCRIPT).not.toMatch(/XMLHttpRequest|sendBeacon/);
  });

  it("downloads a file with the token in the header, under the name the API gives in the reader's language", async () => {
    const name = "巴州-年度报告-2010.xlsx";
    const { fetched, created, click } = runScript(
      new Response("PK", {
        headers: {
          "content-disposition": `attachment; filename="b-annual-2010.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        },
      }),
    );
    const path = "/v1/books/b/reports/annual/2010?format=xlsx&lang=zh";
    const button = await click(path);
    const download = fetched.find((request) => request.url === path);
    expect(download?.init.headers).toEqual({ authorization: "Bearer the-token" });
    expect(download?.init.credentials).toBe("omit");
    const link = created.find((element) => element.download !== "");
    expect(link).toMatchObject({ href: "blob:file", download: name, clicked: 1 });
    expect(button.disabled).toBe(false);
  });

  it("takes the ASCII name when there is no filename*, and sends the token to no other path", async () => {
    const { fetched, created, click } = runScript(
      new Response("a,b", { headers: { "content-disposition": 'attachment; filename="b-entries.csv"' } }),
    );
    for (const elsewhere of [
      "https://elsewhere.example/v1/books/b/entries",
      "//elsewhere.example/v1/books/",
      "/v1/checkpoint-key",
    ])
      await click(elsewhere);
    expect(fetched.filter((request) => !request.url.startsWith("/dashboard/_"))).toEqual([]);
    await click("/v1/books/b/entries?format=csv&lang=en");
    expect(created.find((element) => element.download !== "")?.download).toBe("b-entries.csv");
  });

  it("says so beside the button when the API refuses the download", async () => {
    const { created, click } = runScript(
      new Response(JSON.stringify({ title: "Validation failed" }), {
        status: 400,
        headers: { "content-type": "application/problem+json" },
      }),
    );
    await click("/v1/books/b/reports/annual/2010?format=csv");
    const alert = created.find((element) => element.dataset.testid === "download-error");
    expect(alert?.textContent).toContain("400 Validation failed");
  });
});
