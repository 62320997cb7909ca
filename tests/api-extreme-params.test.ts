import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "@relief-ledger/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILTERS } from "../packages/api/src/dashboard/pages/journal.ts";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";
import { serveInChild } from "./support/serve-child.ts";

/**
 * Every GET route, every parameter, the worst values a caller can send: each must be answered,
 * quickly, with a 2xx or a 4xx problem — never a 5xx, never a hang. The app runs in a process of
 * its own (support/serve.ts) over this file's tables, so that a request that hangs it fails here
 * by a timeout instead of freezing the test run, as `to=9999-12` once froze the API.
 */

const root = join(import.meta.dirname, "..");
/** Hang detection, not a measure of speed: an answer must come within this, on a busy machine too. */
const ANSWER_WITHIN_MS = 10_000;
const BOOK = "bazhou-2010";
/** A value for each path parameter that names something in the book, so its route does its work. */
const VALID_PATH: Record<string, string> = {
  book: BOOK,
  fund: "relief",
  id: "hh-0000",
  seq: "1",
  period: "2010-01",
  year: "2010",
  code: "not-found",
  file: "swagger-ui.css",
  idempotencyKey: "pay-2010-0001",
  proposalId: "1",
};

/** What a path segment may be sent: empty, numbers past every bound, far periods, huge and odd text. */
const PATH_EXTREMES: readonly string[] = [
  "",
  "0",
  "-1",
  "9007199254740993",
  "9999-12",
  "10000-01",
  "x".repeat(10_000),
  "送温暖💥",
  "../../etc/passwd",
  "\u0000",
];

/** The same and more for a query parameter; an array is the parameter sent once per element. */
const QUERY_EXTREMES: readonly (string | readonly string[])[] = [
  ...PATH_EXTREMES,
  "1.5",
  "1e308",
  "NaN",
  "1899-12",
  "2201-01",
  "9999-12-31",
  "0001-01-01",
  "2010-02-30",
  "9".repeat(10_000),
  "true",
  ["2010-01", "2026-01"],
  ["a", "b", "c"],
];

/** For routes sent every parameter at once (a page that makes many reads): the most telling values. */
const EVERY_PARAMETER_EXTREMES: readonly (string | readonly string[])[] = [
  "",
  "-1",
  "9007199254740993",
  "9999-12",
  "10000-01",
  "x".repeat(10_000),
  "\u0000",
  ["2010-01", "2026-01"],
];

/** Pairs whose values are checked together: the far and the reversed ranges. */
const PAIRS: readonly (readonly [string, string, readonly (readonly [string, string])[]])[] = [
  [
    "from",
    "to",
    [
      ["2026-01", "9999-12"],
      ["2026-01", "10000-01"],
      ["1900-01", "2200-12"],
      ["2010-12", "2010-01"],
      ["1900-01-01", "2200-12-31"],
      ["2010-12-31", "2010-01-01"],
    ],
  ],
  [
    "fromSeq",
    "toSeq",
    [
      ["5", "2"],
      ["999999999999999", "1"],
      ["1", "999999999999999"],
    ],
  ],
  // A cursor is opaque, but a caller can forge one: here, one that lies past toSeq.
  ["cursor", "toSeq", [[Buffer.from(JSON.stringify({ after: 5 })).toString("base64url"), "2"]]],
];

let api: Api;
let server: ChildProcess | undefined;
let url = "";
let auditor = "";

/** The app, served by a child process over the tables `api` made; resolves with its URL. */
const serve = (tables: Api["tables"], endpoint: string) =>
  serveInChild(endpoint, tables, {
    // Twenty parameters of 10,000 characters exceed Node's default 16 KB of request head: raised
    // here so that they reach the app (a production server's 431 would stop them before it).
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-http-header-size=1048576`,
  });

beforeAll(async () => {
  api = await startApi();
  const [admin, finance, system] = await Promise.all([api.token("admin"), api.token("finance"), api.token("system")]);
  auditor = await api.token("auditor");
  const { ok, base } = await reliefBook(api, { admin, finance }, BOOK, {
    balance: "1000.00",
    program: { id: "winter", name: "送温暖" },
    households: 2,
  });
  await ok(`${base}/payouts`, {
    programId: "winter",
    beneficiaryId: "hh-0000",
    amount: "100.00",
    paidOn: "2010-01-20",
  });
  const closed = await api.send("POST", `${base}/rollups/2010-01`, { token: system });
  if (closed.status !== 201) throw new Error(`closing 2010-01: ${closed.status} ${closed.text}`);
  const started = await serve(api.tables, api.endpoint);
  server = started.child;
  url = started.url;
});

afterAll(() => {
  server?.kill();
});

type Answer = { status: number; type: string; body: string } | { hung: true };

/** A GET with the auditor's token, given up on after ANSWER_WITHIN_MS. */
async function get(path: string, query: readonly (readonly [string, string])[] = []): Promise<Answer> {
  const params = new URLSearchParams();
  for (const [name, value] of query) params.append(name, value);
  const search = params.toString();
  try {
    const response = await fetch(`${url}${path}${search ? `?${search}` : ""}`, {
      headers: { authorization: `Bearer ${auditor}` },
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") return { hung: true };
    throw error;
  }
}

/** What is wrong with an answer, or undefined: a 2xx, or a 4xx problem (any 4xx off the JSON API). */
function fault(answer: Answer, problemRequired: boolean): string | undefined {
  if ("hung" in answer) return `no answer within ${ANSWER_WITHIN_MS / 1000} s`;
  if (answer.status === 431) return "refused by Node's HTTP server before it reached the app";
  if (answer.status >= 200 && answer.status < 300) return undefined;
  if (answer.status >= 400 && answer.status < 500) {
    return !problemRequired || answer.type.startsWith("application/problem+json")
      ? undefined
      : `${answer.status} as ${answer.type}`;
  }
  return `${answer.status}: ${answer.body.slice(0, 200)}`;
}

/**
 * Sends requests a few at a time (the server and DynamoDB Local share the machine). Stops at the
 * first hang: a server that hangs once (a blocked event loop) would make every later request wait.
 */
async function sweep(requests: { label: string; send: () => Promise<Answer>; problemRequired: boolean }[]) {
  const faults: string[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let hung = false;
  const worker = async () => {
    while (next < requests.length && !hung) {
      const request = requests[next++] as (typeof requests)[number];
      const answer = await request.send();
      if ("hung" in answer) hung = true;
      else statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const wrong = fault(answer, request.problemRequired);
      if (wrong) faults.push(`${request.label}: ${wrong}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { faults, statuses };
}

const shown = (value: string | readonly string[]) =>
  (Array.isArray(value) ? value : [value]).map((v) => (v.length > 24 ? `${v.slice(0, 8)}…(${v.length})` : v)).join("&");
const asPairs = (name: string, value: string | readonly string[]): [string, string][] =>
  (Array.isArray(value) ? value : [value]).map((v) => [name, v]);

type Parameter = { name: string; in: "path" | "query" };
type DocRoute = { path: string; parameters: Parameter[] };

/** The routes as the served app documents them, so that the sweep cannot fall behind them. */
async function openApiDocument() {
  const served = await get("/openapi.json");
  if ("hung" in served) throw new Error("no OpenAPI document");
  return JSON.parse(served.body) as { paths: Record<string, { get?: { parameters?: Parameter[] } }> };
}

/** Fills a documented path's {params} with valid values, one of them replaced by `value`. */
function pathWith(path: string, replace?: { name: string; value: string }) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (replace?.name === name) return encodeURIComponent(replace.value);
    const valid = VALID_PATH[name];
    if (valid === undefined) throw new Error(`no valid value for path parameter ${name}: add one to VALID_PATH`);
    return valid;
  });
}

describe("extreme parameters on every GET route", () => {
  it("answers every query and path parameter of every documented GET route with a 2xx or a 4xx problem, in time", async () => {
    const doc = await openApiDocument();
    const routes: DocRoute[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
      ops.get ? [{ path, parameters: ops.get.parameters ?? [] }] : [],
    );
    // The sweep is only as good as its list: the document must hold the routes that matter.
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(["/v1/books/{book}/reports/funds", "/v1/books/{book}/entries", "/v1/books/{book}/verify"]),
    );

    const requests = routes.flatMap((route) => {
      const base = pathWith(route.path);
      const names = new Set(route.parameters.map((p) => p.name));
      const single = route.parameters.flatMap((parameter) =>
        (parameter.in === "query" ? QUERY_EXTREMES : PATH_EXTREMES).map((value) => ({
          label: `GET ${route.path} ${parameter.in} ${parameter.name}=${shown(value)}`,
          problemRequired: true,
          send: () =>
            parameter.in === "query"
              ? get(base, asPairs(parameter.name, value))
              : get(pathWith(route.path, { name: parameter.name, value: value as string })),
        })),
      );
      const paired = PAIRS.filter(([a, b]) => names.has(a) && names.has(b)).flatMap(([a, b, values]) =>
        values.map(([x, y]) => ({
          label: `GET ${route.path} ${a}=${x}&${b}=${y}`,
          problemRequired: true,
          send: () =>
            get(base, [
              [a, x],
              [b, y],
            ]),
        })),
      );
      return [...single, ...paired];
    });
    const { faults, statuses } = await sweep(requests);
    expect(faults).toEqual([]);
    // Not every value was refused: some reached the routes' work and were answered.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
  });

  it("answers every other GET route (dashboard, docs) with a 2xx or a 4xx, whatever its query, in time", async () => {
    const doc = await openApiDocument();
    const documented = new Set(Object.keys(doc.paths).map((path) => path.replace(/\{(\w+)\}/g, ":$1")));
    // The app's own table of routes, for those the document does not describe.
    const others = [
      ...new Set(api.app.routes.filter((r) => r.method === "GET" && !documented.has(r.path)).map((r) => r.path)),
    ];
    expect(others).toEqual(expect.arrayContaining(["/dashboard/_/books/:book", "/dashboard/_/books/:book/journal"]));
    // What they may read: every documented query name, and the dashboard's own (its journal page
    // reads FILTERS with after and cursor; the others name theirs in c.req.query calls).
    const dashboard = readFileSync(join(root, "packages/api/src/dashboard/index.ts"), "utf8");
    const names = new Set([
      ...Object.values(doc.paths).flatMap((ops) => (ops.get?.parameters ?? []).map((p) => p.name)),
      ...FILTERS,
      "after",
      ...[...dashboard.matchAll(/req\.query\("(\w+)"\)/g)].map((match) => match[1] as string),
    ]);
    expect(names).toContain("year");

    const requests = others.flatMap((route) => {
      const path = route
        .replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
          const valid = VALID_PATH[name];
          if (valid === undefined) throw new Error(`no valid value for path parameter ${name}: add one to VALID_PATH`);
          return valid;
        })
        .replace("*", "anything");
      // Every name at once: one request per value keeps the heavier pages few.
      return EVERY_PARAMETER_EXTREMES.map((value) => ({
        label: `GET ${route} every parameter=${shown(value)}`,
        problemRequired: false,
        send: () =>
          get(
            path,
            [...names].flatMap((name) => asPairs(name, value)),
          ),
      }));
    });
    const { faults, statuses } = await sweep(requests);
    expect(faults).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(10);
  });
});

describe("the range that hung the API", () => {
  it("is refused at once with the field named, while the server goes on answering", async () => {
    for (const to of ["9999-12", "10000-01"]) {
      const [report, health] = await Promise.all([
        get(`/v1/books/${BOOK}/reports/funds`, [
          ["from", "2026-01"],
          ["to", to],
        ]),
        get("/health"),
      ]);
      expect(health).toMatchObject({ status: 200 });
      expect(report).toMatchObject({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
      const problem = JSON.parse((report as { body: string }).body);
      expect(problem).toMatchObject({ type: "/problems/validation-failed", errors: [{ path: "to" }] });
    }
  });

  it("reports a range of 600 months and refuses one of 601", async () => {
    const longest = await get(`/v1/books/${BOOK}/reports/funds`, [
      ["from", "1990-01"],
      ["to", "2039-12"],
    ]);
    expect(longest).toMatchObject({ status: 200 });
    const funds = JSON.parse((longest as { body: string }).body).funds;
    expect(funds).toEqual([expect.objectContaining({ fundId: "relief", collected: "1000.00", paidOut: "100.00" })]);
    const tooLong = await get(`/v1/books/${BOOK}/reports/funds`, [
      ["from", "1990-01"],
      ["to", "2040-01"],
    ]);
    expect(tooLong).toMatchObject({ status: 400 });
    expect(JSON.parse((tooLong as { body: string }).body).errors).toEqual([
      { path: "to", message: expect.stringContaining("600 months") },
    ]);
  });
});

describe("a request past its deadline", () => {
  it("is answered 503 deadline-exceeded with Retry-After", async () => {
    // The same tables and book, through an app whose deadline no request that reads can meet.
    const hurried = createApp(
      { journal: api.journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY },
      { deadline: { ms: 1 } },
    );
    const response = await hurried.request(`/v1/books/${BOOK}/reports/funds?from=2010-01&to=2010-12`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await response.json()).toMatchObject({ type: "/problems/deadline-exceeded", status: 503 });
  });
});
