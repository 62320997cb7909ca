import { beforeAll, describe, expect, it } from "vitest";
import { hashIdNumber } from "../packages/api/src/id-number.ts";
import { type Api, ID_HASH_KEY, JWT_SECRET, residentId, startApi } from "./support/api.ts";
import { captureTelemetry } from "./support/telemetry.ts";

const book = "obs-2010";
const base = `/v1/books/${book}`;
const NAME = "王秀英";
const ID_NUMBER = residentId(7);

let api: Api;
let telemetry: ReturnType<typeof captureTelemetry>;
let admin: string;
let finance: string;
let auditor: string;

beforeAll(async () => {
  telemetry = captureTelemetry();
  api = await startApi({ app: { log: telemetry.log, metrics: telemetry.metrics } });
  admin = await api.token("admin");
  finance = await api.token("finance", [book]);
  auditor = await api.token("auditor", [book]);
});

/** The log line of the request answered with `requestId`. */
const lineOf = (requestId: string | null) => {
  const found = telemetry.lines.filter((line) => line.requestId === requestId);
  expect(found).toHaveLength(1);
  return found[0] as Record<string, unknown>;
};

describe("one log line per request", () => {
  it("logs every route class with its fields, and never a name, an ID number, its hash, a token or the secret", async () => {
    const before = telemetry.lines.length;
    const sent: { status: number; headers: Headers }[] = [];
    const send = async (...args: Parameters<Api["send"]>) => {
      const answer = await api.send(...args);
      sent.push(answer);
      return answer;
    };
    // Writes: the admin's, the finance office's (a registration with a name and an ID number, money).
    await send("POST", "/v1/books", {
      token: admin,
      body: { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" },
    });
    await send("POST", `${base}/funds`, { token: finance, body: { id: "relief", name: "帮扶资金", restricted: true } });
    await send("POST", `${base}/programs`, {
      token: finance,
      body: { id: "winter", name: "送温暖", fundId: "relief", methods: ["cash"] },
    });
    const collected = await send("POST", `${base}/collections`, {
      token: finance,
      key: "collect-1",
      body: { fundId: "relief", source: "upper-subsidy", amount: "5000.00", receivedOn: "2010-01-05" },
    });
    const registered = await send("POST", `${base}/beneficiaries`, {
      token: finance,
      body: { id: "hh-1", kind: "household", name: NAME, idNumber: ID_NUMBER },
    });
    expect(registered.status).toBe(201);
    const paid = await send("POST", `${base}/payouts`, {
      token: finance,
      body: { programId: "winter", beneficiaryId: "hh-1", amount: "800.00", paidOn: "2010-02-01", method: "cash" },
    });
    expect(paid.status).toBe(201);
    const batch = await send("POST", `${base}/payout-batches`, {
      token: finance,
      body: {
        programId: "winter",
        paidOn: "2010-02-03",
        method: "cash",
        lines: [
          { beneficiaryId: "hh-1", amount: "10.00" },
          { beneficiaryId: "hh-1", amount: "20.00" },
        ],
      },
    });
    expect(batch.status, batch.text).toBe(201);
    // Refusals: invalid fields (the name again, in a bad body), an overdraft, no token, a foreign role, no route.
    const invalid = await send("POST", `${base}/beneficiaries`, {
      token: finance,
      body: { id: "hh-2", kind: "person", name: NAME, idNumber: `${ID_NUMBER}0` },
    });
    expect(invalid.status).toBe(400);
    const overdrawn = await send("POST", `${base}/payouts`, {
      token: finance,
      body: { programId: "winter", beneficiaryId: "hh-1", amount: "9000.00", paidOn: "2010-02-02", method: "cash" },
    });
    expect(overdrawn.json.type).toBe("/problems/fund-overdrawn");
    expect((await send("GET", `${base}/funds`)).status).toBe(401);
    expect((await send("POST", `${base}/funds`, { token: auditor, body: { id: "x", name: "x" } })).status).toBe(403);
    const nowhere = await send("GET", `/v1/nowhere/${encodeURIComponent(NAME)}`, { token: auditor });
    expect(nowhere.status).toBe(404);
    // Reads: JSON, a beneficiary by id, a CSV export, verify, the docs, health.
    await send("GET", `${base}/beneficiaries/hh-1`, { token: auditor });
    await send("GET", `${base}/entries?format=csv`, { token: auditor });
    await send("GET", `${base}/verify`, { token: auditor });
    await send("GET", "/openapi.json");
    await send("GET", "/health");

    // One line per request, each named by the id its response carries.
    expect(telemetry.lines.length - before).toBe(sent.length);
    for (const answer of sent) {
      const line = lineOf(answer.headers.get("x-request-id"));
      expect(line).toMatchObject({ level: "INFO", message: "request", status: answer.status });
    }
    expect(lineOf(paid.headers.get("x-request-id"))).toMatchObject({
      method: "POST",
      route: "/v1/books/{book}/payouts",
      status: 201,
      book,
      sub: "finance-user",
      role: "finance",
      idempotencyKey: expect.any(String),
      seqs: [paid.json.seq],
      durationMs: expect.any(Number),
      coldStart: false,
      service: "relief-ledger-test",
    });
    expect(lineOf(collected.headers.get("x-request-id"))).toMatchObject({ idempotencyKey: "collect-1" });
    expect(lineOf(batch.headers.get("x-request-id"))).toMatchObject({
      route: "/v1/books/{book}/payout-batches",
      batchLines: 2,
      seqs: [expect.stringMatching(/^\d+-\d+$/)],
    });
    expect(lineOf(overdrawn.headers.get("x-request-id"))).toMatchObject({ status: 409, problem: "fund-overdrawn" });
    expect(lineOf(overdrawn.headers.get("x-request-id"))).not.toHaveProperty("seqs");
    expect(lineOf(invalid.headers.get("x-request-id"))).toMatchObject({ problem: "validation-failed" });
    expect(lineOf(nowhere.headers.get("x-request-id"))).toMatchObject({ route: "(none)", status: 404 });
    // The first request the app answered was its cold start.
    expect(telemetry.lines[before]?.coldStart).toBe(true);

    const everything = telemetry.raw.join("\n");
    const token = finance.split(".");
    for (const secret of [
      NAME,
      JSON.stringify(NAME).slice(1, -1),
      encodeURIComponent(NAME),
      ID_NUMBER,
      ID_NUMBER.slice(6, 14),
      hashIdNumber(ID_HASH_KEY, book, ID_NUMBER),
      ...token,
      JWT_SECRET,
      ID_HASH_KEY,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("counts requests by route and status class, refusals by code and the events appended, dimensioned by stage", () => {
    const { metricTotal, emf } = telemetry;
    expect(metricTotal("Requests", { route: "/v1/books/{book}/payouts", statusClass: "2xx" })).toBe(1);
    expect(metricTotal("Requests", { route: "/v1/books/{book}/payouts", statusClass: "4xx" })).toBe(1);
    expect(metricTotal("Refusals", { code: "fund-overdrawn" })).toBe(1);
    expect(metricTotal("Events")).toBe(9);
    expect(metricTotal("Appends")).toBe(7);
    expect(metricTotal("BatchLines")).toBe(2);
    for (const line of emf) {
      expect(line.stage).toBe("test");
      expect(line).not.toHaveProperty("book");
      expect(line._aws.CloudWatchMetrics[0].Namespace).toBe("ReliefLedger");
    }
  });

  it("logs an unexpected error once, with its stack, at error, and answers 500 with the request id", async () => {
    const failing = captureTelemetry();
    const broken = new Proxy(api.journal, {
      get(target, property) {
        if (property === "books") return () => Promise.reject(new Error("the disk caught fire"));
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const { createApp } = await import("@relief-ledger/api");
    const app = createApp(
      { journal: broken, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY },
      { log: failing.log, metrics: failing.metrics },
    );
    const response = await app.request("/v1/books", { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { requestId: string };
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
    expect(failing.lines).toHaveLength(1);
    expect(failing.lines[0]).toMatchObject({
      level: "ERROR",
      requestId: body.requestId,
      status: 500,
      problem: "internal",
      error: { message: "the disk caught fire", stack: expect.stringContaining("Error: the disk caught fire") },
    });
  });
});
