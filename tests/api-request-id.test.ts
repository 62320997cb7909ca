import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents } from "./support/books.ts";
import { captureTelemetry } from "./support/telemetry.ts";

const book = "reqid-2010";
const base = `/v1/books/${book}`;
let api: Api;
let telemetry: ReturnType<typeof captureTelemetry>;
let admin: string;
let finance: string;

beforeAll(async () => {
  telemetry = captureTelemetry();
  api = await startApi({ app: { log: telemetry.log, metrics: telemetry.metrics } });
  admin = await api.token("admin");
  finance = await api.token("finance", [book]);
  const opened = await api.send("POST", "/v1/books", {
    token: admin,
    body: { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" },
  });
  expect(opened.status).toBe(201);
});

describe("a request id travels from the caller to the journal and back", () => {
  it("keeps the caller's X-Request-Id and records it on every event the request wrote", async () => {
    const requestId = "caller-7f3a.2010:12@ops";
    const fund = await api.send("POST", `${base}/funds`, {
      token: finance,
      body: { id: "relief", name: "帮扶资金", restricted: true },
      headers: { "x-request-id": requestId },
    });
    expect(fund.status).toBe(201);
    expect(fund.headers.get("x-request-id")).toBe(requestId);
    expect(fund.json.requestId).toBe(requestId);
    // As stored, sealed in the chain: read back from the journal, the entry names its request…
    const stored = (await journalEvents(api, book)).find((event) => event.seq === fund.json.seq);
    expect(stored?.requestId).toBe(requestId);
    const entry = await api.send("GET", `${base}/entries/${fund.json.seq}`, { token: finance });
    expect(entry.json.requestId).toBe(requestId);
    // …and the request's log line names the entry: from either one an auditor finds the other.
    expect(telemetry.lines.find((line) => line.requestId === requestId)).toMatchObject({ seqs: [fund.json.seq] });
    const verified = await api.send("GET", `${base}/verify`, { token: finance });
    expect(verified.json.ok).toBe(true);
  });

  it("puts the id in every problem body, the same as the header", async () => {
    const refused = await api.send("POST", `${base}/funds`, {
      token: finance,
      body: { id: "relief", name: "again", restricted: true },
      headers: { "x-request-id": "dup-fund-1" },
    });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toMatch(/problem\+json/);
    expect(refused.json).toMatchObject({ type: "/problems/fund-exists", requestId: "dup-fund-1" });
    for (const [method, path] of [
      ["GET", "/v1/books"],
      ["GET", "/nowhere"],
    ] as const) {
      const answer = await api.send(method, path);
      expect(answer.json.requestId).toBe(answer.headers.get("x-request-id"));
      expect(answer.json.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("makes its own id when the caller's is not a sane token, and for every answer without one", async () => {
    for (const bad of ["has spaces", "x".repeat(129), "<script>", "a/b", "%E5%90%8D"]) {
      const answer = await api.send("GET", "/health", { headers: { "x-request-id": bad } });
      expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
    const docs = await api.send("GET", "/openapi.json");
    const csv = await api.send("GET", `${base}/entries?format=csv`, { token: finance });
    expect(docs.headers.get("x-request-id")).toBeTruthy();
    expect(csv.headers.get("x-request-id")).toBeTruthy();
    expect(docs.headers.get("x-request-id")).not.toBe(csv.headers.get("x-request-id"));
  });

  it("records an id on every event written through the API, one per request", async () => {
    const events = await journalEvents(api, book);
    expect(events.every((event) => typeof event.requestId === "string")).toBe(true);
    expect(new Set(events.map((event) => event.requestId)).size).toBe(events.length);
  });
});
