import type { Loading } from "@relief-ledger/api";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";

// `npm start` serves at once and loads the demo behind the API; what it reports while loading is
// tested here with a load's progress set by hand (tests/start.test.ts watches a real one).
let api: Api;
let progress: Loading | undefined;

beforeAll(async () => {
  api = await startApi({ loading: () => progress });
  const admin = await api.token("admin");
  for (const id of ["list-a", "list-b"]) {
    const opened = await api.send("POST", "/v1/books", {
      token: admin,
      body: { id, name: `账簿${id}`, currency: "CNY", openedOn: "2010-01-01" },
    });
    expect(opened.status).toBe(201);
  }
});

describe("the books a token reaches", () => {
  it("lists the books a token reaches, and only those", async () => {
    const all = await api.send("GET", "/v1/books", { token: await api.token("auditor") });
    expect(all.status).toBe(200);
    expect(all.json.books.map((book: { id: string }) => book.id)).toEqual(expect.arrayContaining(["list-a", "list-b"]));
    expect(all.json.loading).toBeNull();
    const one = await api.send("GET", "/v1/books", { token: await api.token("auditor", ["list-b", "no-such"]) });
    expect(one.json).toEqual({
      books: [expect.objectContaining({ id: "list-b", name: "账簿list-b", headSeq: 1, closedThrough: null })],
      loading: null,
    });
    expect(one.json.books[0].loading).toBeUndefined();
    expect((await api.send("GET", "/v1/books")).status).toBe(401);
  });

  it("says which book is loading and how far, to a token that reaches it", async () => {
    progress = { book: "list-a", done: 3, total: 10 };
    try {
      const auditor = await api.token("auditor", ["list-a"]);
      const list = await api.send("GET", "/v1/books", { token: auditor });
      expect(list.json.loading).toEqual({ book: "list-a", done: 3, total: 10, percent: 30 });
      const book = await api.send("GET", "/v1/books/list-a", { token: auditor });
      expect(book.json.loading).toEqual({ book: "list-a", done: 3, total: 10, percent: 30 });
      const other = await api.send("GET", "/v1/books", { token: await api.token("auditor", ["list-b"]) });
      expect(other.json.loading).toBeNull();
      expect((await api.send("GET", "/v1/books/list-b", { token: await api.token("auditor") })).json.loading).toBe(
        undefined,
      );

      // The dashboard shows the load instead of half a book, and asks its script to come back.
      const page = await api.app.request("/dashboard/_/books/list-a", {
        headers: { authorization: `Bearer ${auditor}` },
      });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('data-testid="book-loading"');
      expect(html).toContain('data-refresh="3"');
      expect(html).toContain("账簿正在载入 · 30%");
      expect(html).toContain("3 / 10 步");
      expect(html).not.toContain('data-testid="overview"');
    } finally {
      progress = undefined;
    }
    const auditor = await api.token("auditor", ["list-a"]);
    const page = await api.app.request("/dashboard/_/books/list-a", {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(await page.text()).not.toContain("book-loading");
  });
});
