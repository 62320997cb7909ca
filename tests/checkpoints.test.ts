import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { checkCheckpoint, type JournalEvent } from "@relief-ledger/core";
import {
  type CheckpointKeeper,
  type CheckpointReader,
  checkpointBooks,
  checkpointName,
  entityKey,
  fileCheckpointArchive,
  headKey,
  lastAttested,
  localCheckpointSigner,
  localCheckpoints,
  takeCheckpoint,
  toItem,
  verifyBook,
} from "@relief-ledger/store";
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

/** Every stored hash of a book, in seq order from seq 1. */
const hashesOf = async (book: string): Promise<string[]> => {
  const events: JournalEvent[] = [];
  for await (const page of api.journal.read(book)) events.push(...page);
  return events.map((event) => event.hash);
};

/** Deletes the last `count` entries and moves the head back to the one before them: the chain alone still holds. */
async function cutTail(book: string, count: number): Promise<void> {
  const { seq: headSeq } = await api.journal.head(book);
  const before = (await api.journal.entry(book, headSeq - count)) as JournalEvent;
  for (let seq = headSeq; seq > headSeq - count; seq -= 1) await deleteEntry(book, seq);
  await api.client.send(
    new UpdateItemCommand({
      TableName: api.tables.state,
      Key: toItem(headKey(book)),
      UpdateExpression: "SET seq = :seq, #hash = :hash",
      ExpressionAttributeNames: { "#hash": "hash" },
      ExpressionAttributeValues: { ":seq": { N: String(headSeq - count) }, ":hash": { S: before.hash } },
    }),
  );
}

const deleteEntry = (book: string, seq: number) =>
  api.client.send(
    new DeleteItemCommand({ TableName: api.tables.journal, Key: { book: { S: book }, seq: { N: String(seq) } } }),
  );

/** An entry changed in place, not re-sealed: its own hash no longer matches it. */
const touchEntry = (book: string, seq: number) =>
  api.client.send(
    new UpdateItemCommand({
      TableName: api.tables.journal,
      Key: { book: { S: book }, seq: { N: String(seq) } },
      UpdateExpression: "SET recordedAt = :v",
      ExpressionAttributeValues: { ":v": { S: "2026-01-01T00:00:00.000Z" } },
    }),
  );

/** A checkpoint file given another first digit in its first listed hash: its signature no longer holds. */
function tamperCheckpointFile(path: string): void {
  chmodSync(path, 0o644);
  const stored = readFileSync(path, "utf8");
  writeFileSync(
    path,
    stored.replace(/"hashes":\["([0-9a-f])/, (_, digit: string) => `"hashes":["${digit === "0" ? "1" : "0"}`),
  );
  expect(readFileSync(path, "utf8")).not.toBe(stored);
}

/** A checkpoint archive and signing key of the test's own, outside the API's keeper. */
let ownKeepers = 0;
function ownKeeper() {
  const dir = join(dataDir, `own-${++ownKeepers}`);
  return {
    archive: fileCheckpointArchive(join(dir, "checkpoints")),
    signer: localCheckpointSigner(join(dir, "key")),
    dir,
  };
}
const JAN = () => new Date("2026-02-01T00:00:00.000Z");

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
    expect(report.breaks[1].detail).toContain(`${seq + 1}–${seq + 2}`);
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
    tamperCheckpointFile(join(folder, String(file)));
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
  it("names a closed month whose entries no longer fold to the hash its closing recorded, and a rollup gone", async () => {
    const { book, seq } = await collectedBook();
    const closed = await api.send("POST", `/v1/books/${book}/rollups/2026-01`, {
      token: await api.token("system"),
      key: null,
    });
    expect(closed.status).toBe(201);
    const closing = (await api.journal.entry(book, 8)) as JournalEvent;
    expect(closing.type).toBe("PeriodClosed");
    const recorded = String((closing.payload as { rollupHash: string }).rollupHash);
    await rewriteHistory(api.client, api.tables, book, seq, changeAmount("500.00", "50000.00"));
    const report = await verifyBook(api.journal, book);
    expect(report.rollups.compared).toBe(1);
    const [difference] = report.rollups.differences;
    expect(difference).toEqual({ period: "2026-01", path: "rollupHash", recorded, recomputed: expect.any(String) });
    expect(difference?.recomputed).not.toBe(recorded);

    await api.client.send(
      new DeleteItemCommand({ TableName: api.tables.state, Key: toItem(entityKey(book, "rollup", "2026-01")) }),
    );
    const gone = await verifyBook(api.journal, book);
    expect(gone.rollups.differences).toEqual([
      difference,
      { period: "2026-01", path: "(stored rollup)", recorded: null, recomputed: difference?.recomputed },
    ]);
  });

  it("lists a hundred rollup differences at most", async () => {
    const { book } = await collectedBook();
    const system = await api.token("system");
    const months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"];
    for (const month of months) {
      const closed = await api.send("POST", `/v1/books/${book}/rollups/${month}`, { token: system, key: null });
      expect(closed.status).toBe(201);
    }
    // Each stored rollup replaced by thirty fields of nothing: twenty differences named per month.
    const junk = Object.fromEntries(Array.from({ length: 30 }, (_, n) => [`field${n}`, n]));
    for (const month of months) {
      await api.client.send(
        new PutItemCommand({ TableName: api.tables.state, Item: toItem(entityItem(book, `rollup/${month}`, junk)) }),
      );
    }
    const report = await verifyBook(api.journal, book);
    expect(report).toMatchObject({ ok: false, rollups: { compared: 6 } });
    expect(report.rollups.differences).toHaveLength(100);
    expect(report.rollups.differences.filter(({ period }) => period === "2026-05")).toHaveLength(20);
  });

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

describe("takeCheckpoint", () => {
  it("cuts a first checkpoint into pieces, each listing its own entries, and signs nothing while the head stands", async () => {
    const { book } = await collectedBook();
    const own = ownKeeper();
    // Opened, a fund, five collections: seqs 1–7, in pieces of three.
    expect(await takeCheckpoint(api.journal, book, own, { maxEntries: 3, clock: JAN })).toEqual({
      status: "taken",
      book,
      checkpoints: [
        { seq: 3, fromSeq: 1 },
        { seq: 6, fromSeq: 4 },
        { seq: 7, fromSeq: 7 },
      ],
    });
    const hashes = await hashesOf(book);
    const stored = (await own.archive.list(book)).map(({ record }) => record as SignedRecord);
    expect(stored.map(({ statement, hashes }) => [statement.fromSeq, statement.seq, hashes])).toEqual([
      [1, 3, hashes.slice(0, 3)],
      [4, 6, hashes.slice(3, 6)],
      [7, 7, hashes.slice(6, 7)],
    ]);
    expect(stored.every((record) => checkCheckpoint(record, own.signer.publicKeyPem).ok)).toBe(true);
    expect(await takeCheckpoint(api.journal, book, own, { maxEntries: 3 })).toEqual({
      status: "unchanged",
      book,
      seq: 7,
    });

    // Two more entries, pieces of two: exactly one piece, from where the last checkpoint ended.
    const finance = await api.token("finance");
    for (const amount of ["1.00", "2.00"]) {
      await api.send("POST", `/v1/books/${book}/collections`, {
        token: finance,
        body: { fundId: "general", source: "dues", amount, receivedOn: "2026-01-06" },
      });
    }
    expect(await takeCheckpoint(api.journal, book, own, { maxEntries: 2, clock: JAN })).toEqual({
      status: "taken",
      book,
      checkpoints: [{ seq: 9, fromSeq: 8 }],
    });
  });

  it("continues from the newest checkpoint whose signature holds", async () => {
    const { book } = await collectedBook();
    const own = ownKeeper();
    await takeCheckpoint(api.journal, book, own, { maxEntries: 4, clock: JAN });
    const hashes = await hashesOf(book);
    expect(await lastAttested(own.archive, book, own.signer.publicKeyPem)).toEqual({ seq: 7, hash: hashes[6] });
    tamperCheckpointFile(join(own.dir, "checkpoints", book, "000000000007.json"));
    expect(await lastAttested(own.archive, book, own.signer.publicKeyPem)).toEqual({ seq: 4, hash: hashes[3] });
  });

  it("refuses to sign when the head is behind what a checkpoint attests", async () => {
    const { book } = await collectedBook();
    const own = ownKeeper();
    await takeCheckpoint(api.journal, book, own, { clock: JAN });
    await cutTail(book, 2);
    expect(await takeCheckpoint(api.journal, book, own, { clock: JAN })).toEqual({
      status: "refused",
      book,
      breaks: [{ seq: 6, reason: "checkpoint-beyond-head", detail: expect.stringMatching(/seq 7\b.*\b5$/) }],
    });
    expect(await own.archive.list(book)).toHaveLength(1);
  });
});

type SignedRecord = { statement: { fromSeq: number; seq: number; at: string }; hashes: string[] };

describe("verifyBook", () => {
  it("verifies a range: only its entries, the checkpoints' hashes within it, and no figures refolded", async () => {
    const { book } = await collectedBook();
    await checkpoint(book);
    await touchEntry(book, 6);
    for (const range of [
      { fromSeq: 3, toSeq: 5 },
      { fromSeq: -4, toSeq: 5 },
    ]) {
      const report = await verifyBook(api.journal, book, { checkpoints: keeper, ...range });
      expect(report).toMatchObject({
        ok: true,
        toSeq: 5,
        breaks: [],
        state: { compared: false, differences: [] },
        rollups: { compared: 0, differences: [] },
        checkpoints: { kept: true, valid: 1, attested: range.fromSeq === 3 ? 3 : 5, latest: { seq: 7 } },
      });
    }
    // From seq 3 to the head: seq 6 is named, the figures still not refolded from part of the book.
    const tail = await verifyBook(api.journal, book, { checkpoints: keeper, fromSeq: 3, toSeq: 99 });
    expect(tail).toMatchObject({ ok: false, toSeq: 7, state: { compared: false }, rollups: { compared: 0 } });
    expect(tail.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([[6, "hash-mismatch"]]);
    const whole = await verifyBook(api.journal, book, { checkpoints: keeper, fromSeq: 0 });
    expect(whole).toMatchObject({ ok: false, toSeq: 7, state: { compared: true, differences: [] } });
  });

  it("without checkpoints kept, says so and holds the chain alone", async () => {
    const { book } = await collectedBook();
    expect(await verifyBook(api.journal, book)).toMatchObject({
      ok: true,
      breaks: [],
      checkpoints: { kept: false, keyId: null, valid: 0, attested: 0, latest: null },
      state: { compared: true, differences: [] },
    });
  });

  it("names every stored checkpoint as invalid while there is no key to check it with", async () => {
    const { book } = await collectedBook();
    await checkpoint(book);
    const keyless: CheckpointReader = { archive: keeper.archive, publicKey: async () => undefined };
    const report = await verifyBook(api.journal, book, { checkpoints: keyless });
    expect(report).toMatchObject({ ok: false, checkpoints: { kept: true, keyId: null, valid: 0, attested: 0 } });
    expect(report.breaks).toEqual([
      {
        seq: 7,
        reason: "checkpoint-invalid",
        detail: expect.stringMatching(new RegExp(`${book}/000000000007\\.json.*no public key`)),
      },
    ]);
  });

  it("reports the newest checkpoint as the latest, in whatever order the archive lists them", async () => {
    const { book } = await collectedBook();
    const own = ownKeeper();
    await takeCheckpoint(api.journal, book, own, { maxEntries: 4, clock: JAN });
    const newestFirst: CheckpointReader = {
      archive: { ...own.archive, list: async (name) => (await own.archive.list(name)).reverse() },
      publicKey: async () => own.signer.publicKeyPem,
    };
    for (const reader of [newestFirst, { archive: own.archive, publicKey: newestFirst.publicKey }]) {
      expect(await verifyBook(api.journal, book, { checkpoints: reader })).toMatchObject({
        ok: true,
        checkpoints: { valid: 2, attested: 7, latest: { seq: 7, at: "2026-02-01T00:00:00.000Z" } },
      });
    }
  });

  it("lists the chain's breaks and the checkpoints' together, in seq order", async () => {
    const { book } = await collectedBook();
    const own = ownKeeper();
    await takeCheckpoint(api.journal, book, own, { maxEntries: 4, clock: JAN });
    tamperCheckpointFile(join(own.dir, "checkpoints", book, "000000000004.json"));
    await touchEntry(book, 6);
    const reader: CheckpointReader = { archive: own.archive, publicKey: async () => own.signer.publicKeyPem };
    const report = await verifyBook(api.journal, book, { checkpoints: reader });
    expect(report.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([
      [4, "checkpoint-invalid"],
      [6, "hash-mismatch"],
    ]);
    expect(report.firstBreak).toMatchObject({ seq: 4 });
  });

  it("names a lone changed entry once, and a run broken by a missing entry as two runs", async () => {
    const lone = await collectedBook();
    await checkpoint(lone.book);
    await rewriteHistory(api.client, api.tables, lone.book, 7, changeAmount("64.50", "6.45"));
    const alone = await verifyBook(api.journal, lone.book, { checkpoints: keeper });
    expect(alone.breaks.map(({ seq, reason }) => [seq, reason])).toEqual([[7, "checkpoint-mismatch"]]);

    // Re-sealed from seq 3 (120.00), then seq 5 deleted: 3–4 and 6–7 differ from the checkpoint.
    const gap = await collectedBook();
    await checkpoint(gap.book);
    await rewriteHistory(api.client, api.tables, gap.book, 3, changeAmount("120.00", "1200.00"));
    await deleteEntry(gap.book, 5);
    const report = await verifyBook(api.journal, gap.book, { checkpoints: keeper });
    const mismatches = report.breaks.filter(({ reason }) => reason === "checkpoint-mismatch");
    expect(mismatches.map(({ seq }) => seq)).toEqual([3, 4, 6, 7]);
    expect(mismatches[1]?.detail).toContain("seq 4 ");
    expect(mismatches[1]?.detail).not.toContain("–");
  });

  it("lists a hundred breaks at most, in seq order, and counts them all", async () => {
    const { book } = await collectedBook();
    await touchEntry(book, 6);
    // 150 stored checkpoints, none of them signed: each is named as invalid at its own seq.
    const junk: CheckpointReader = {
      archive: {
        put: async () => {},
        list: async () => Array.from({ length: 150 }, (_, n) => ({ name: checkpointName(book, 150 - n), record: {} })),
      },
      publicKey: async () => ownKeeper().signer.publicKeyPem,
    };
    const report = await verifyBook(api.journal, book, { checkpoints: junk });
    expect(report.breakCount).toBe(151);
    expect(report.breaks).toHaveLength(100);
    const seqs = report.breaks.map(({ seq }) => seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(report.breaks.filter(({ reason }) => reason === "hash-mismatch")).toHaveLength(1);
  });

  it("folds nothing when an entry no longer reads as an event, and says the figures were not compared", async () => {
    const { book } = await collectedBook();
    await api.client.send(
      new UpdateItemCommand({
        TableName: api.tables.journal,
        Key: { book: { S: book }, seq: { N: "6" } },
        UpdateExpression: "REMOVE occurredOn",
      }),
    );
    const report = await verifyBook(api.journal, book);
    expect(report).toMatchObject({
      ok: false,
      state: { compared: false, differences: [] },
      rollups: { compared: 0, differences: [] },
    });
    expect(report.breaks[0]).toMatchObject({ seq: 6 });
  });
});
