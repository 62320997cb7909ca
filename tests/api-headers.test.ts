import { createApp } from "@relief-ledger/api";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";

/**
 * Every answer tells the browser not to sniff its type (`X-Content-Type-Options: nosniff`): JSON,
 * problems, CSV, the dashboard's HTML, the docs and /openapi.json. Nothing else of Hono's
 * secure-headers defaults is sent: each would change who may load or frame those pages.
 */

let api: Api;
let auditor: string;
let finance: string;
let base: string;

beforeAll(async () => {
  api = await startApi();
  auditor = await api.token("auditor");
  finance = await api.token("finance");
  const admin = await api.token("admin");
  ({ base } = await reliefBook(api, { admin, finance }, "headers", {
    balance: "100.00",
    program: { id: "winter", name: "送温暖" },
  }));
});

const OTHER_SECURITY_HEADERS = [
  "content-security-policy",
  "cross-origin-embedder-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "origin-agent-cluster",
  "permissions-policy",
  "referrer-policy",
  "strict-transport-security",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-frame-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
];

type Reply = Awaited<ReturnType<Api["send"]>>;

function expectNoSniffOnly(reply: Reply, what: string) {
  expect(reply.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(
    OTHER_SECURITY_HEADERS.filter((name) => reply.headers.has(name)),
    what,
  ).toEqual([]);
}

describe("X-Content-Type-Options", () => {
  it.each([
    ["JSON", "/v1/books/headers", "application/json", 200],
    ["a CSV export", "/v1/books/headers/entries?format=csv", "text/csv", 200],
    ["a problem for an unknown book", "/v1/books/nowhere", "application/problem+json", 404],
    ["a problem for a bad query", "/v1/books/headers/entries?limit=x", "application/problem+json", 400],
    ["the OpenAPI document", "/openapi.json", "application/json", 200],
    ["the docs page", "/docs", "text/html", 200],
    ["the docs' script", "/docs/assets/init.js", "text/javascript", 200],
    ["the dashboard's script", "/dashboard/assets/dashboard.js", "text/javascript", 200],
    ["a problem type's page", "/problems/fund-overdrawn", "application/json", 200],
    ["health", "/health", "application/json", 200],
  ])("is nosniff on %s", async (what, path, type, status) => {
    const reply = await api.send("GET", path, { token: auditor });
    expect(reply.status, reply.text.slice(0, 200)).toBe(status);
    expect(reply.headers.get("content-type")).toMatch(new RegExp(`^${type.replace("+", "\\+")}`));
    expectNoSniffOnly(reply, what);
  });

  it("is nosniff on the dashboard, whose own policies stay as it sets them", async () => {
    const page = await api.send("GET", "/dashboard", { token: auditor });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("content-security-policy")).toMatch(/default-src/);
  });

  it("is nosniff on a refusal before any route: no token, a wrong media type, a body too large", async () => {
    const unauthenticated = await api.send("GET", `${base}/entries`);
    expect(unauthenticated.status).toBe(401);
    expectNoSniffOnly(unauthenticated, "401");
    const text = await api.send("POST", `${base}/collections`, {
      token: finance,
      headers: { "content-type": "text/plain" },
      raw: "hello",
    });
    expect(text.status).toBe(415);
    expectNoSniffOnly(text, "415");
    const large = await api.send("POST", `${base}/collections`, { token: finance, raw: "x".repeat(1024 * 1024 + 1) });
    expect(large.status).toBe(413);
    expectNoSniffOnly(large, "413");
  });

  it("is nosniff on a created entry and on a redirect", async () => {
    const created = await api.send("POST", `${base}/funds`, {
      token: finance,
      body: { id: "general", name: "工会经费", restricted: false },
    });
    expect(created.status).toBe(201);
    expectNoSniffOnly(created, "201");
    const redirect = await api.send("GET", "/");
    expect(redirect.status).toBe(302);
    expectNoSniffOnly(redirect, "302");
  });

  it("is nosniff on the read-only app's refusal of a write", async () => {
    const readOnly = createApp(
      { journal: api.journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY },
      { readOnly: true },
    );
    const refused = await api.send("POST", `${base}/funds`, { token: finance, body: {}, via: readOnly });
    expect(refused.status).toBe(405);
    expectNoSniffOnly(refused, "405");
  });
});
