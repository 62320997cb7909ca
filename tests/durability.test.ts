import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "@relief-ledger/api";
import { localDate } from "@relief-ledger/core";
import {
  createDynamoClient,
  createLedgerJournal,
  ensureTables,
  superviseDynamoLocal,
  tableNames,
} from "@relief-ledger/store";
import { afterAll, describe, expect, it } from "vitest";
import { mintToken } from "../packages/api/src/auth/secret.ts";
import { expectEveryAcknowledged, fire, type Post, type Shot, settle } from "./support/fire.ts";
import { dynamoPids, listening, type Run, start, stopAll } from "./support/start.ts";

// "Acknowledged means durable": a 201 survives a crash of DynamoDB Local, of the server, and of
// both. Each scenario kills with SIGKILL while writers are sending, several times, then checks
// every acknowledged entry on the journal (tests/support/fire.ts).

const SECRET = "durability-test-secret-that-is-long-enough-0123";
const BOOK = "durable";
const KILLS = 3;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const token = (role: "admin" | "finance") =>
  mintToken({ secret: SECRET, sub: `durable-${role}`, role, books: "*", ttlSeconds: 3600 });

/** Opens the book with one fund through `send`, which posts a JSON body with a key. */
async function openBook(send: (path: string, body: unknown, bearer: string) => Promise<number>) {
  expect(await send("/v1/books", { id: BOOK, name: "持久性测试工会", currency: "CNY" }, await token("admin"))).toBe(
    201,
  );
  expect(
    await send(
      `/v1/books/${BOOK}/funds`,
      { id: "relief", name: "帮扶资金", restricted: false },
      await token("finance"),
    ),
  ).toBe(201);
}

// Dated today: npm start's rollup closes every month before this one as it starts.
const collection = (amount: string) => ({
  fundId: "relief",
  source: "dues",
  amount,
  receivedOn: localDate("Asia/Shanghai", new Date()),
});

describe("a crash of DynamoDB Local loses no acknowledged write", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ledger-durability-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("finds every 201 after DynamoDB Local is killed three times under eight writers, and answers 503 meanwhile", {
    timeout: 240_000,
  }, async () => {
    const lines: string[] = [];
    const local = await superviseDynamoLocal({ dataDir, backoffMs: 200, log: (line) => lines.push(line) });
    const client = createDynamoClient(local.endpoint);
    try {
      const tables = tableNames("durable-");
      await ensureTables(client, tables);
      const journal = createLedgerJournal({ client, tables });
      const app = createApp({ journal, jwtSecret: SECRET, idHashKey: "durability-id-hash-key-long-enough-0123" });
      const request = async (path: string, body: unknown, bearer: string, key: string = crypto.randomUUID()) => {
        const response = await app.request(path, {
          method: "POST",
          headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", "idempotency-key": key },
          body: JSON.stringify(body),
        });
        // biome-ignore lint/suspicious/noExplicitAny: a created entry or a problem
        const json: any = await response.json();
        return { status: response.status, json, headers: response.headers };
      };
      await openBook(async (path, body, bearer) => (await request(path, body, bearer)).status);
      const finance = await token("finance");
      const post: Post = (key, amount) => request(`/v1/books/${BOOK}/collections`, collection(amount), finance, key);

      const load = fire(post, 8);
      let refusedWhileDown: { status: number; retryAfter: string | null; type: unknown } | undefined;
      for (let kill = 0; kill < KILLS; kill++) {
        await load.acknowledged(10);
        const pid = local.pid();
        process.kill(pid as number, "SIGKILL");
        // Once the supervisor has seen the exit, ready() waits for the restart.
        while (local.pid() === pid) await pause(10);
        const answer = await request(`/v1/books/${BOOK}/collections`, collection("1.00"), finance, "probe-while-down");
        refusedWhileDown ??=
          answer.status === 503
            ? { status: 503, retryAfter: answer.headers.get("retry-after"), type: answer.json.type }
            : undefined;
        if (answer.status === 201)
          load.shots.push({ key: "probe-while-down", amount: "1.00", status: 201, seq: answer.json.seq });
        else
          load.shots.push({
            key: "probe-while-down",
            amount: "1.00",
            status: answer.status,
            problem: answer.json.type,
          });
        await local.ready();
      }
      await pause(500);
      const shots: Shot[] = await load.stop();
      const acknowledged = shots.filter((shot) => shot.status === 201).map((shot) => ({ ...shot }));
      // Probes share one key: a second probe is the retry of the first.
      const unique = [...new Map(shots.map((shot) => [shot.key, shot])).values()];
      await settle(unique, post);

      expect(acknowledged.length).toBeGreaterThan(20);
      expect(refusedWhileDown).toEqual({ status: 503, retryAfter: "5", type: "/problems/database-unavailable" });
      expect(lines.filter((line) => line.includes("restarting it"))).toHaveLength(KILLS);
      await expectEveryAcknowledged(journal, BOOK, "relief", acknowledged, unique);
    } finally {
      client.destroy();
      await local.stop();
    }
  });
});

describe("a crash of the server, or of the server and DynamoDB Local, loses no acknowledged write", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "ledger-durability-server-"));
  const runs: Run[] = [];
  afterAll(async () => {
    await stopAll(runs);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("finds every 201 after npm start is killed, alone and together with its DynamoDB Local", {
    timeout: 240_000,
  }, async () => {
    let url = "";
    let dynamo = "";
    const boot = async () => {
      const run = start(dataDir, { secret: SECRET });
      runs.push(run);
      ({ url, dynamo } = await listening(run));
      return run;
    };
    const request = async (path: string, body: unknown, bearer: string, key: string = crypto.randomUUID()) => {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, json: await response.json() };
    };
    let run = await boot();
    await openBook(async (path, body, bearer) => (await request(path, body, bearer)).status);
    const finance = await token("finance");
    const post: Post = (key, amount) => request(`/v1/books/${BOOK}/collections`, collection(amount), finance, key);

    const shots: Shot[] = [];
    for (const both of [false, true]) {
      const load = fire(post, 8);
      await load.acknowledged(15);
      const jvm = dynamoPids(new URL(dynamo).port);
      run.child.kill("SIGKILL");
      // Both at once: the JVM gets no SIGTERM from its owner's watchdog first.
      if (both) for (const pid of jvm) process.kill(pid, "SIGKILL");
      await run.exited;
      shots.push(...(await load.stop()));
      // Without `both`, the watchdog ends the orphaned JVM; wait for it, as the next start must.
      for (let i = 0; i < 100 && dynamoPids(new URL(dynamo).port).length > 0; i++) await pause(100);
      run = await boot();
    }
    const acknowledged = shots.filter((shot) => shot.status === 201).map((shot) => ({ ...shot }));
    await settle(shots, post);
    expect(acknowledged.length).toBeGreaterThan(20);

    const client = createDynamoClient(dynamo);
    try {
      const journal = createLedgerJournal({ client, tables: tableNames("relief-ledger-") });
      await expectEveryAcknowledged(journal, BOOK, "relief", acknowledged, shots);
    } finally {
      client.destroy();
    }
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });
});
