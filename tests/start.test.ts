import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localDate } from "@relief-ledger/core";
import { afterAll, describe, expect, it } from "vitest";
import { mintToken } from "../packages/api/src/auth/secret.ts";
import { dynamoPids, listening, type Run, start as startWith, stopAll } from "./support/start.ts";

const SECRET = "start-test-secret-that-is-long-enough-0123456789";
const start = (dataDir: string, { demo = false } = {}) => startWith(dataDir, { demo, secret: SECRET });

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

describe("npm start", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "relief-ledger-start-"));
  const runs: Run[] = [];
  const run = () => {
    const started = start(dataDir);
    runs.push(started);
    return started;
  };
  afterAll(async () => {
    await stopAll(runs);
    rmSync(dataDir, { recursive: true, force: true });
  });

  let first: Run;
  let url = "";
  let dynamo = "";
  let collection: { seq: number; hash: string };
  const token = (role: "admin" | "finance" | "auditor") =>
    mintToken({
      secret: SECRET,
      sub: `start-${role}`,
      role,
      books: role === "admin" ? "*" : ["start-test"],
      ttlSeconds: 600,
    });

  it("serves the API on PORT over a DynamoDB Local of its own, its data under LEDGER_DATA_DIR", async () => {
    first = run();
    ({ url, dynamo } = await listening(first));
    expect(dynamoPids(new URL(dynamo).port)).toHaveLength(1);
    const post = async (path: string, body: unknown, bearer: string) => {
      const response = await fetch(`${url}/v1${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${bearer}`,
          "content-type": "application/json",
          "idempotency-key": randomUUID(),
        },
        body: JSON.stringify(body),
      });
      expect(response.status, `${path}: ${await response.clone().text()}`).toBe(201);
      return (await response.json()) as { seq: number; hash: string };
    };
    const finance = await token("finance");
    await post("/books", { id: "start-test", name: "启动测试工会", currency: "CNY" }, await token("admin"));
    await post("/books/start-test/funds", { id: "relief", name: "帮扶资金", restricted: false }, finance);
    collection = await post(
      "/books/start-test/collections",
      { fundId: "relief", source: "dues", amount: "1051100.00", receivedOn: localDate("Asia/Shanghai", new Date()) },
      finance,
    );
    expect(readdirSync(join(dataDir, "dynamodb")).some((file) => file.endsWith(".db"))).toBe(true);
  });

  it("refuses a second start on the same data while one runs, in one line naming the running URL", async () => {
    const second = run();
    expect(await second.exited).toBe(1);
    expect(second.output().trim().split("\n")).toEqual([expect.stringContaining(`already running on ${url}`)]);
    expect(await answers(`${url}/health`)).toBe(true);
  });

  it("stops everything it started on Ctrl-C, the Java process included", async () => {
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(dynamoPids(new URL(dynamo).port)).toEqual([]);
    expect(await answers(dynamo)).toBe(false);
    expect(await answers(url)).toBe(false);
    expect(existsSync(join(dataDir, "server.lock"))).toBe(false);
  });

  it("finds what was recorded on the next start, even past a lock left by a killed process", async () => {
    // A process that died without cleaning up (kill -9) leaves its lock; a pid above pid_max is surely dead.
    writeFileSync(join(dataDir, "server.lock"), JSON.stringify({ pid: 2 ** 22 + 7, url: "http://127.0.0.1:1" }));
    const again = run();
    const restarted = await listening(again);
    const auditor = await token("auditor");
    const read = async (path: string) => {
      const response = await fetch(`${restarted.url}/v1/books/start-test${path}`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      expect(response.status).toBe(200);
      return response.json();
    };
    expect(await read(`/entries/${collection.seq}`)).toMatchObject({ seq: collection.seq, hash: collection.hash });
    expect(await read("/funds")).toMatchObject({ funds: [{ id: "relief", balance: "1051100.00" }] });

    again.child.kill("SIGINT");
    expect(await again.exited).toBe(0);
    expect(dynamoPids(new URL(restarted.dynamo).port)).toEqual([]);
  });
});

describe("npm start on a fresh machine", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "relief-ledger-first-start-"));
  let run: Run | undefined;
  afterAll(async () => {
    if (run && run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill("SIGINT");
      await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Loads 5,000 entries and closes a year: the slowest start there is, given room on a busy machine.
  it("loads the demo book, and the tokens it prints read the seed's figures", { timeout: 240_000 }, async () => {
    run = start(dataDir, { demo: true });
    const { url } = await listening(run, 120_000);
    const output = run.output();
    expect(output).toMatch(/bazhou-2010/);
    const auditor = /auditor token \(bazhou-2010, 30 days\):\s+(\S+)/.exec(output)?.[1];
    const finance = /finance token \(bazhou-2010, 30 days\):\s+(\S+)/.exec(output)?.[1];
    expect(auditor).toBeDefined();
    expect(finance).toBeDefined();

    // The port answers before the demo is in: the books list says how far the load has got.
    const progress: { done: number; total: number }[] = [];
    for (;;) {
      const books = await fetch(`${url}/v1/books`, { headers: { authorization: `Bearer ${auditor}` } });
      expect(books.status).toBe(200);
      const { loading } = (await books.json()) as { loading: { book: string; done: number; total: number } | null };
      if (!loading) break;
      expect(loading.book).toBe("bazhou-2010");
      expect(loading.done).toBeLessThanOrEqual(loading.total);
      progress.push(loading);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(progress.map((step) => step.done)).toEqual([...progress.map((step) => step.done)].sort((a, b) => a - b));
    const after = run.output();
    expect(after).toMatch(/demo book bazhou-2010 loaded: \d+ events written/);
    expect(after.indexOf("loading the demo book")).toBeGreaterThan(after.indexOf("listening on"));

    const response = await fetch(`${url}/v1/books/bazhou-2010/reports/annual/2010`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(response.status).toBe(200);
    const annual = (await response.json()) as {
      programmes: { programId: string; amount: string; distinctBeneficiaries: number }[];
    };
    const programme = (id: string) => annual.programmes.find((line) => line.programId === id);
    expect(programme("winter-2010")?.amount).toBe("1051100.00");
    expect(programme("student-aid-2010")?.distinctBeneficiaries).toBe(181);
    expect((await fetch(`${url}/dashboard`)).status).toBe(200);

    // The curl line it prints records a collection with the finance token.
    const curl =
      /curl -sS -X POST (\S+) -H 'Authorization: Bearer (\S+)' -H 'Idempotency-Key: (\S+)' -H 'Content-Type: application\/json' -d '(.+)'/.exec(
        output,
      );
    expect(curl?.[2]).toBe(finance);
    const recorded = await fetch(String(curl?.[1]), {
      method: "POST",
      headers: {
        authorization: `Bearer ${curl?.[2]}`,
        "idempotency-key": String(curl?.[3]),
        "content-type": "application/json",
      },
      body: String(curl?.[4]),
    });
    expect(recorded.status, await recorded.clone().text()).toBe(201);

    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });
});
