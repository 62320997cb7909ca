import { startServer } from "@relief-ledger/api";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";

let api: Api;
let auditor: string;

beforeAll(async () => {
  api = await startApi();
  auditor = await api.token("auditor");
  const admin = await api.token("admin");
  const opened = await api.send("POST", "/v1/books", {
    token: admin,
    body: { id: "bazhou", name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" },
  });
  expect(opened.status).toBe(201);
});

type OpenApi = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
};

describe("the API's surface", () => {
  it("shows a book with its head seq and hash", async () => {
    const response = await api.send("GET", "/v1/books/bazhou", { token: auditor });
    expect(response.status).toBe(200);
    const head = await api.journal.head("bazhou");
    expect(response.json).toEqual({
      id: "bazhou",
      name: "巴州区总工会",
      currency: "CNY",
      timeZone: "Asia/Shanghai",
      headSeq: 1,
      headHash: head.hash,
      closedThrough: null,
      openedOn: "2010-01-01",
      // No approval policy: money moves at once; a proposal would wait 30 days.
      approvalTtlDays: 30,
      // No close policy: each month closes ten days after it ends.
      close: { mode: "auto", afterDays: 10 },
    });
  });

  it("answers an unknown book, a bad id and an unknown route with problem+json", async () => {
    const missing = await api.send("GET", "/v1/books/nowhere", { token: auditor });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(missing.json).toMatchObject({ type: "/problems/book-not-found", status: 404, book: "nowhere" });

    const bad = await api.send("GET", "/v1/books/Not_A_Slug", { token: auditor });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ type: "/problems/validation-failed", errors: [{ path: "book" }] });

    const nowhere = await api.send("GET", "/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("documents every route it serves in OpenAPI 3.1, with request and response schemas", async () => {
    const document = (await api.send("GET", "/openapi.json")).json as OpenApi;
    expect(document.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = api.app.routes
      .filter((route) => route.path.startsWith("/v1/") && route.method !== "ALL")
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(20);
    for (const route of served) expect(documented, route).toContain(route);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        // Closing a month is the one POST without a body (the job's route and finance's): the month is in its path.
        if (method === "post" && !path.endsWith("/rollups/{period}") && !path.endsWith("/periods/{period}/close")) {
          expect(operation.requestBody, `${method} ${path}`).toBeDefined();
        }
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["default"]));
      }
    }
  });

  it("serves the same app over Node's HTTP server", async () => {
    const { server, url } = await startServer(
      { journal: api.journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY },
      0,
    );
    try {
      const response = await fetch(`${url}/v1/books/bazhou`, { headers: { authorization: `Bearer ${auditor}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: "bazhou", headSeq: 1 });
      const refused = await fetch(`${url}/v1/books/bazhou/funds`, {
        method: "POST",
        headers: { authorization: `Bearer ${auditor}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "relief", name: "帮扶资金", restricted: true }),
      });
      expect(refused.status).toBe(403);
    } finally {
      server.close();
    }
  });

  it("explains each problem type at its URI", async () => {
    const response = await api.send("GET", "/problems/fund-overdrawn");
    expect(response.json).toEqual({
      type: "/problems/fund-overdrawn",
      title: "The fund would be overdrawn",
      status: 409,
    });
  });
});
