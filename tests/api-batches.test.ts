import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createApp } from "@relief-ledger/api";
import { createDynamoClient, createLedgerJournal } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";
import { registerHouseholds } from "./support/households.ts";

let api: Api;
let finance: string;
let admin: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  admin = await api.token("admin");
});

/**
 * A relief book (support/books.ts) whose `households` (hh-0000 …) are registered through the
 * journal: the 5,000 a batch pays are its set-up, not what the tests are about.
 */
async function bookWith(balance: string, households: number, program: Record<string, unknown> = {}) {
  const relief = await reliefBook(api, { admin, finance }, `batch-${++books}`, {
    balance,
    program: { id: "winter", name: "2010年送温暖", ...program },
  });
  const ids = Array.from({ length: households }, (_, n) => `hh-${String(n).padStart(4, "0")}`);
  await registerHouseholds(
    api,
    relief.book,
    ids.map((id, n) => ({ id, name: `困难户${n}` })),
  );
  return { ...relief, ids };
}

const payouts = async (book: string) =>
  (await journalEvents(api, book)).filter((event) => event.type === "PayoutRecorded");

/**
 * A client whose transactions after the first `after` fail: "lost-answer" delivers the
 * transaction and then reports a dropped connection (a timeout after commit); "unreachable"
 * fails without sending (the network is gone).
 */
function faultyClient(after: number, mode: "lost-answer" | "unreachable"): DynamoDBClient {
  const client = createDynamoClient(api.endpoint);
  const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  let transactions = 0;
  (client as unknown as { send: (command: unknown) => Promise<unknown> }).send = async (command: unknown) => {
    const isTransaction = (command as object).constructor.name === "TransactWriteItemsCommand";
    if (isTransaction) transactions += 1;
    const faulty = isTransaction && transactions > after;
    const lost = Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
    if (faulty && mode === "unreachable") throw lost;
    const result = await send(command);
    if (faulty && mode === "lost-answer" && transactions === after + 1) throw lost;
    return result;
  };
  return client;
}

describe("payout batches", () => {
  // 105 transactions of 48 lines: 38-56 s beside another test file on 2 cores, so a bound with room.
  it("records a 5,000-line winter relief batch, line by line, in one request", { timeout: 180_000 }, async () => {
    const { book, base, ids } = await bookWith("4000000.00", 5000);
    const lines = ids.map((beneficiaryId, n) => ({
      beneficiaryId,
      amount: ["700.00", "800.00", "900.00"][n % 3] as string,
    }));
    // 1,667 × 700 + 1,667 × 800 + 1,666 × 900
    const total = 399_990_000n;
    const before = (await api.journal.head(book)).seq;
    const response = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "winter", paidOn: "2010-01-20", method: "cash", lines },
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ lines: 5000, recorded: 5000, refused: 0, amountRecorded: "3999900.00" });
    expect(response.json.results.map((result: { line: number }) => result.line)).toEqual(ids.map((_, n) => n));
    const recorded = await payouts(book);
    expect(recorded).toHaveLength(5000);
    expect(new Set(recorded.map((event) => event.payload.line)).size).toBe(5000);
    const head = await api.journal.head(book);
    // 5,000 payouts and 105 chunk summaries (48 lines a chunk).
    expect(head.seq - before).toBe(5000 + Math.ceil(5000 / 48));
    expect(head.state.funds.relief?.balance).toBe(400_000_000n - total);
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
  });

  it("says line by line why a line was refused, and records the others", async () => {
    const { book, base, ids } = await bookWith("2000.00", 4, { cap: { perBeneficiaryPerYear: { count: 1 } } });
    const lines = [
      { beneficiaryId: ids[0], amount: "500.00" },
      { beneficiaryId: "nobody", amount: "500.00" },
      { beneficiaryId: ids[1], amount: "500.00" },
      { beneficiaryId: ids[0], amount: "500.00" },
      { beneficiaryId: ids[2], amount: "900.00" },
      { beneficiaryId: ids[3], amount: "100.01" },
    ];
    const response = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "winter", paidOn: "2010-01-20", lines },
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ lines: 6, recorded: 3, refused: 3, amountRecorded: "1900.00" });
    const outcome = response.json.results.map(
      (result: { status: string; code?: string }) => result.code ?? result.status,
    );
    expect(outcome).toEqual([
      "recorded",
      "beneficiary-not-found",
      "recorded",
      "cap-exceeded",
      "recorded",
      "fund-overdrawn",
    ]);
    expect((await payouts(book)).map((event) => event.payload.line)).toEqual([0, 2, 4]);
  });

  it("refuses the whole batch for a programme-wide problem, writing nothing", async () => {
    const { book, base, ids } = await bookWith("2000.00", 2, { methods: ["bank"] });
    const before = (await api.journal.head(book)).seq;
    const lines = ids.map((beneficiaryId) => ({ beneficiaryId, amount: "10.00" }));
    const wrongMethod = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "winter", paidOn: "2010-01-20", method: "cash", lines },
    });
    expect(wrongMethod.json).toMatchObject({ status: 422, type: "/problems/method-not-allowed" });
    const unknown = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "spring", paidOn: "2010-01-20", lines },
    });
    expect(unknown.json).toMatchObject({ status: 422, type: "/problems/program-not-found" });
    expect((await api.journal.head(book)).seq).toBe(before);
  });

  it("never pays a line twice when a transaction's answer is lost and the request is retried", async () => {
    const { book, base, ids } = await bookWith("100000.00", 200);
    const lines = ids.map((beneficiaryId) => ({ beneficiaryId, amount: "100.00" }));
    const body = { programId: "winter", paidOn: "2010-01-20", lines };
    const flakyApp = (client: DynamoDBClient) =>
      createApp({
        journal: createLedgerJournal({ client, tables: api.tables }),
        jwtSecret: JWT_SECRET,
        idHashKey: ID_HASH_KEY,
      });

    // The second chunk commits but its answer is lost: the journal retries, finds the chunk's
    // idempotency record, and carries on. One request, every line once.
    const once = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body,
      key: "winter-1",
      via: flakyApp(faultyClient(1, "lost-answer")),
    });
    expect(once.status).toBe(201);
    expect(once.json.recorded).toBe(200);

    // Answers lost for good: the request fails part-way; the client retries on a healthy instance.
    const body2 = { ...body, paidOn: "2010-01-21" };
    const failed = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: body2,
      key: "winter-2",
      via: flakyApp(faultyClient(2, "unreachable")),
    });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const partial = (await payouts(book)).filter((event) => event.occurredOn === "2010-01-21").length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(200);
    const retried = await api.send("POST", `${base}/payout-batches`, { token: finance, body: body2, key: "winter-2" });
    expect(retried.status).toBe(201);
    expect(retried.json.recorded).toBe(200);

    const all = await payouts(book);
    const perLine = new Map<string, number>();
    for (const event of all)
      perLine.set(
        `${event.occurredOn}#${event.payload.line}`,
        (perLine.get(`${event.occurredOn}#${event.payload.line}`) ?? 0) + 1,
      );
    expect(all).toHaveLength(400);
    expect([...perLine.values()].every((count) => count === 1)).toBe(true);
    expect((await api.journal.head(book)).state.funds.relief?.balance).toBe(6_000_000n);
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
  });
});
