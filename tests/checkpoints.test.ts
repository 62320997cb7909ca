import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { checkCheckpoint, type JournalEvent } from "@relief-ledger/core";
import { checkpointBooks } from "@relief-ledger/jobs";
import { type CheckpointKeeper, headKey, localCheckpoints, toItem } from "@relief-ledger/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entityItem } from "../packages/store/src/entities.ts";
import { type Api, startApi } from "./support/api.ts";
import { poster } from "./support/books.ts";
import { changeAmount, rewriteHistory } from "./support/insider.ts";

// The adversary: an insider with full read/write access to both tables (a database administrator,
// a leaked role), but without the checkpoint key and without write access where checkpoints are
// kept. Whatever they rewrite before the last checkpoint, verify names.

const dataDir = mkdtempSync(join(tmpdir(), "ledger-checkpoints-"));
let keeper: CheckpointKeeper;
let api: Api;
let auditor: string;
let n = 0;

beforeAll(async () => {
  keeper = localCheckpoints(dataDir);
  api = await startApi({ checkpoints: keeper });
  auditor = await api.token("auditor");
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A book with one fund and five collections; the third is 500.00. Returns that collection's seq. */
async function collectedBook(): Promise<{ book: string; seq: number }> {
  const book = `anchored-${++n}`;
  const ok = poster(api, { admin: await api.token("admin"), finance: await api.token("finance") });
  await ok("/v1/books", { id: book, name: "核验测试工会", currency: "CNY", openedOn: "2026-01-01" });
  await ok(`/v1/books/${book}/funds`, { id: "general", name: "工会经费", restricted: false });
  let seq = 0;
  for (const amount of ["120.00", "80.00", "500.00", "35.50", "64.50"]) {
    const entry: JournalEvent = await ok(`/v1/books/${book}/collections`, {
      fundId: "general",
      source: "dues",
      amount,
      receivedOn: "2026-01-05",
    });
    if (amount === "500.00") seq = entry.seq;
  }
  return { book, seq };
}

const verify = async (book: string, query = "") => {
  const response = await api.send("GET", `/v1/books/${book}/verify${query}`, { token: auditor });
  expect(response.status).toBe(200);
  return response.json;
};

const checkpoint = async (book: string) => {
  const [result] = await checkpointBooks(api.journal, keeper, { books: [book] });
  return result;
};

describe("checkpoints anchor the chain outside the database", () => {
  it("names the rewritten entry through the checkpoint, though every later hash and the head were recomputed", async () => {
    const { book, seq } = await collectedBook();
    expect(await checkpoint(book)).toMatchObject({ status: "taken" });
    expect(await verify(book)).toMatchObject({ ok: true, breaks: [], checkpoints: { kept: true, valid: 1 } });

    // 500.00 becomes 50000.00, re-sealed to the head, and the head's balance rewritten to match.
    await rewriteHistory(api.client, api.tables, book, seq, changeAmount("500.00", "50000.00"), (state) => {
      const funds = state.funds as Record<string, { balance: { $bigint: string } }>;
      (funds.general as { balance: { $bigint: string } }).balance = { $bigint: "5030000" };
      return state;
    });
    // The chain alone is whole again: only the checkpoint can tell.
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
    const report = await verify(book);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ seq, reason: "checkpoint-mismatch" });
    expect(report.breaks[0].detail).toContain("signed at");
    // The entries after it are named once, as re-sealed, not one by one.
    expect(report.breaks).toHaveLength(2);
    expect(report.breaks[1]).toMatchObject({ seq: seq + 1, reason: "checkpoint-mismatch" });
    expect(report.state.differences).toEqual([]);
  });

  it("names an edited amount as a balance that no longer follows from the journal, with or without a checkpoint", async () => {
    const { book, seq } = await collectedBook();
    await rewriteHistory(api.client, api.tables, book, seq, changeAmount("500.00", "50000.00"));
    const report = await verify(book);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([]);
    expect(report.state.differences).toContainEqual({
      path: "funds.general.balance.$bigint",
      recorded: "80000",
      recomputed: "5030000",
    });
  });

  it("refuses to sign a journal rewritten since the last checkpoint", async () => {
    const { book, seq } = await collectedBook();
    await api.send("POST", `/v1/books/${book}/collections`, {
      token: await api.token("finance"),
      body: { fundId: "general", source: "dues", amount: "1.00", receivedOn: "2026-01-06" },
    });
    // A checkpoint up to the third collection, then the history before it is rewritten.
    const [first] = await checkpointBooks(api.journal, keeper, { books: [book] });
    expect(first?.status).toBe("taken");
    await api.send("POST", `/v1/books/${book}/collections`, {
      token: await api.token("finance"),
      body: { fundId: "general", source: "dues", amount: "2.00", receivedOn: "2026-01-06" },
    });
    await rewriteHistory(api.client, api.tables, book, seq, changeAmount("500.00", "5.00"));
    const result = await checkpoint(book);
    expect(result).toMatchObject({ status: "refused" });
    expect(result?.status === "refused" && result.breaks[0]?.reason).toBe("prev-hash-mismatch");
  });

  it("names entries removed from the end through the checkpoint that attests them", async () => {
    const { book } = await collectedBook();
    const { seq: headSeq } = await api.journal.head(book);
    await checkpoint(book);
    const before = (await api.journal.entry(book, headSeq - 2)) as JournalEvent;
    for (const seq of [headSeq, headSeq - 1]) {
      await api.client.send(
        new DeleteItemCommand({ TableName: api.tables.journal, Key: { book: { S: book }, seq: { N: String(seq) } } }),
      );
    }
    await api.client.send(
      new UpdateItemCommand({
        TableName: api.tables.state,
        Key: toItem(headKey(book)),
        UpdateExpression: "SET seq = :seq, #hash = :hash",
        ExpressionAttributeNames: { "#hash": "hash" },
        ExpressionAttributeValues: { ":seq": { N: String(headSeq - 2) }, ":hash": { S: before.hash } },
      }),
    );
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
    const report = await verify(book);
    expect(report.ok).toBe(false);
    expect(report.breaks).toContainEqual(
      expect.objectContaining({ seq: headSeq - 1, reason: "checkpoint-beyond-head" }),
    );
  });

  it("names a checkpoint altered where it is kept, and lists several breaks, not only the first", async () => {
    const { book } = await collectedBook();
    await checkpoint(book);
    const folder = join(dataDir, "checkpoints", book);
    const [file] = readdirSync(folder);
    const path = join(folder, String(file));
    chmodSync(path, 0o644);
    // The first listed hash gets another first digit (whatever it was: a fixed one could be the same).
    const stored = readFileSync(path, "utf8");
    writeFileSync(
      path,
      stored.replace(/"hashes":\["([0-9a-f])/, (_, digit: string) => `"hashes":["${digit === "0" ? "1" : "0"}`),
    );
    expect(readFileSync(path, "utf8")).not.toBe(stored);
    // Two entries altered in place, neither re-sealed: each is named by its own seq.
    for (const seq of [3, 5]) {
      await api.client.send(
        new UpdateItemCommand({
          TableName: api.tables.journal,
          Key: { book: { S: book }, seq: { N: String(seq) } },
          UpdateExpression: "SET recordedAt = :v",
          ExpressionAttributeValues: { ":v": { S: "2026-01-01T00:00:00.000Z" } },
        }),
      );
    }
    const report = await verify(book);
    expect(report.checkpoints.valid).toBe(0);
    expect(report.breaks.map((item: { seq: number; reason: string }) => [item.seq, item.reason])).toEqual(
      expect.arrayContaining([
        [3, "hash-mismatch"],
        [5, "hash-mismatch"],
        [expect.any(Number), "checkpoint-invalid"],
      ]),
    );
    expect(report.breakCount).toBe(3);
  });

  it("serves its public key without a token, and the checkpoints to auditors, so a chain can be checked without the API", async () => {
    const { book } = await collectedBook();
    await checkpoint(book);
    const key = await api.send("GET", "/v1/checkpoint-key");
    expect(key.status).toBe(200);
    expect(key.json).toMatchObject({ algorithm: "Ed25519", publicKey: expect.stringContaining("BEGIN PUBLIC KEY") });
    const listed = await api.send("GET", `/v1/books/${book}/checkpoints`, { token: auditor });
    expect(listed.status).toBe(200);
    const [stored] = listed.json.checkpoints;
    expect(stored.valid).toBe(true);
    // Checked offline with the served key alone: the statement, its signature and the hashes it lists.
    expect(checkCheckpoint(stored.checkpoint, key.json.publicKey)).toEqual({ ok: true });
    const events: JournalEvent[] = [];
    for await (const page of api.journal.read(book)) events.push(...page);
    expect(stored.checkpoint.hashes).toEqual(events.map((event) => event.hash));
    expect((await api.send("GET", `/v1/books/${book}/checkpoints`)).status).toBe(401);
  });
});

describe("verify recomputes the stored rollups", () => {
  it("names a closed month whose stored rollup was edited", async () => {
    const { book } = await collectedBook();
    const system = await api.token("system");
    const closed = await api.send("POST", `/v1/books/${book}/rollups/2026-01`, { token: system, key: null });
    expect(closed.status).toBe(201);
    expect(await verify(book)).toMatchObject({ ok: true, rollups: { compared: 1, differences: [] } });
    const item = await api.journal.entity(book, "rollup/2026-01");
    const edited = JSON.parse(
      JSON.stringify(item).replace('"collections":{"dues":"800.00"}', '"collections":{"dues":"8000.00"}'),
    );
    expect(edited).not.toEqual(item);
    await api.client.send(
      new PutItemCommand({ TableName: api.tables.state, Item: toItem(entityItem(book, "rollup/2026-01", edited)) }),
    );
    const report = await verify(book);
    expect(report.ok).toBe(false);
    expect(report.rollups.differences).toContainEqual(
      expect.objectContaining({ period: "2026-01", path: "funds.general.collections.dues" }),
    );
  });
});
