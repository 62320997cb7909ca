import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { leaseKey, toItem } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";
import { type OpenApiDocument, type Operation, operationsOf, undocumented } from "./support/openapi.ts";

/**
 * A write the book is too busy to decide within a few seconds (the store's handoff.ts) answers
 * 202 with the Location of its outcome, which its client asks after until it is decided. Here the
 * book is "busy" because a combiner died holding its lease: the write waits as mail, and a second
 * app (another Lambda instance) whose journal hands commands over at once, and waits 300 ms, sends it.
 */

let api: Api;
let document: OpenApiDocument;
let finance: string;
let admin: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance", "*", "cashier-wang");
  admin = await api.token("admin");
  document = (await api.send("GET", "/openapi.json")).json as OpenApiDocument;
});

const operation = (id: string): Operation => {
  const found = operationsOf(document).find(({ operation }) => operation.operationId === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found.operation;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const bookWith = (balance: string) =>
  reliefBook(api, { admin, finance }, `pending-${++books}`, {
    balance,
    households: 1,
    program: { id: "winter", name: "2010年送温暖" },
  });

/** Holds the book's lease for a combiner that has died: for `ms`, nobody decides the book's mail. */
async function deadCombiner(book: string, ms: number) {
  const until = Date.now() + ms;
  await api.client.send(
    new PutItemCommand({
      TableName: api.tables.state,
      Item: toItem({ ...leaseKey(book), holder: "instance-that-crashed", until }),
    }),
  );
  return until;
}

/** An instance that hands its writes over at once and waits for them 300 ms. */
const busyInstance = (waitMs = 300) => api.sibling({ handoffAfter: 0, handoffWaitMs: waitMs });

const recordedUnder = async (book: string, key: string) =>
  (await journalEvents(api, book)).filter((event) => event.idempotencyKey === key);

describe("a write the book was too busy to decide in time", () => {
  it("answers 202 with the Location of its outcome, which answers its entry once a combiner records it", async () => {
    const { book, base, ids } = await bookWith("1000.00");
    const payout = { programId: "winter", beneficiaryId: ids[0], amount: "100.00", paidOn: "2010-02-01" };
    await deadCombiner(book, 1_000);
    const sent = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout,
      key: "pay/busy#1",
      via: busyInstance(),
    });
    expect(sent.status, sent.text).toBe(202);
    const location = `/v1/books/${book}/requests/pay%2Fbusy%231`;
    expect(sent.headers.get("location")).toBe(location);
    expect(sent.headers.get("retry-after")).toBe("1");
    expect(sent.json).toEqual({ status: "pending", idempotencyKey: "pay/busy#1", location });
    expect(undocumented(operation("recordPayout"), sent)).toBeUndefined();

    // Asked after while it waits: 202 again, and nothing recorded yet.
    const waiting = await api.send("GET", location, { token: finance });
    expect({ status: waiting.status, json: waiting.json }).toEqual({ status: 202, json: sent.json });
    expect(waiting.headers.get("location")).toBe(location);
    expect(await recordedUnder(book, "pay/busy#1")).toEqual([]);

    // Once the lease has expired, an instance new to the book sweeps it before its first write there.
    await sleep(1_100);
    const next = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: { ...payout, amount: "1.00" },
      via: api.sibling(),
    });
    expect(next.status, next.text).toBe(201);
    const recorded = await recordedUnder(book, "pay/busy#1");
    expect(recorded).toHaveLength(1);
    expect(next.json.seq).toBe((recorded[0]?.seq ?? 0) + 1);

    const polled = await api.send("GET", location, { token: finance });
    expect(polled.status, polled.text).toBe(200);
    expect(undocumented(operation("getRequest"), polled)).toBeUndefined();
    // What the write itself answers, byte for byte: a retry of it is answered from the same entry.
    const retried = await api.send("POST", `${base}/payouts`, { token: finance, body: payout, key: "pay/busy#1" });
    expect(retried.status).toBe(201);
    expect(polled.text).toBe(retried.text);
    expect(polled.json).toMatchObject({ seq: recorded[0]?.seq, type: "PayoutRecorded" });
  });

  it("answers at its Location the problem it was refused with, as the write would have", async () => {
    const { book, base, ids } = await bookWith("100.00");
    const overdraft = { programId: "winter", beneficiaryId: ids[0], amount: "500.00", paidOn: "2010-02-01" };
    await deadCombiner(book, 1_000);
    const sent = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: overdraft,
      key: "too-much",
      via: busyInstance(),
    });
    expect(sent.status, sent.text).toBe(202);
    await sleep(1_100);
    // A write that moves no money, from an instance new to the book, which sweeps it first: the
    // fund's balance in the refusal stays what it was.
    const unit = await api.send("POST", `${base}/units`, {
      token: finance,
      body: { id: "mill", name: "纺织厂", kind: "enterprise" },
      via: api.sibling(),
    });
    expect(unit.status, unit.text).toBe(201);

    const polled = await api.send("GET", sent.headers.get("location") ?? "", { token: finance });
    expect(polled.status, polled.text).toBe(409);
    expect(polled.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(polled.json).toMatchObject({ type: "/problems/fund-overdrawn", fundId: "relief", balance: "100.00" });
    expect(undocumented(operation("getRequest"), polled)).toBeUndefined();
    const retried = await api.send("POST", `${base}/payouts`, { token: finance, body: overdraft, key: "too-much" });
    // The same problem, each answer with its own request's id.
    const { requestId: _polledId, ...polledProblem } = polled.json;
    const { requestId: _retriedId, ...retriedProblem } = retried.json;
    expect({ status: polled.status, json: polledProblem }).toEqual({ status: retried.status, json: retriedProblem });
    expect(await recordedUnder(book, "too-much")).toEqual([]);
  });

  it("is not found for a key never sent, nor for another caller's key; a key recorded at once is found", async () => {
    const { base, ids } = await bookWith("1000.00");
    const unknown = await api.send("GET", `${base}/requests/never-sent`, { token: finance });
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.json).toMatchObject({ type: "/problems/not-found" });
    expect(undocumented(operation("getRequest"), unknown)).toBeUndefined();

    const payout = { programId: "winter", beneficiaryId: ids[0], amount: "10.00", paidOn: "2010-02-01" };
    const sent = await api.send("POST", `${base}/payouts`, { token: finance, body: payout, key: "mine" });
    expect(sent.status, sent.text).toBe(201);
    const mine = await api.send("GET", `${base}/requests/mine`, { token: finance });
    expect({ status: mine.status, text: mine.text }).toEqual({ status: 200, text: sent.text });
    const colleague = await api.token("finance", "*", "cashier-li");
    const theirs = await api.send("GET", `${base}/requests/mine`, { token: colleague });
    expect(theirs.status, theirs.text).toBe(404);
    expect(theirs.text).not.toContain("seq");
  });

  it("records a retry of a pending write once, whether the retry waits for its mail or races it", async () => {
    const { book, base, ids } = await bookWith("1000.00");
    const payout = { programId: "winter", beneficiaryId: ids[0], amount: "100.00", paidOn: "2010-02-01" };
    const busy = busyInstance();
    // Long enough for the four requests below to meet it held, on a loaded machine too.
    const leaseEnds = await deadCombiner(book, 5_000);
    const send = (key: string, via?: ReturnType<typeof busyInstance>) =>
      api.send("POST", `${base}/payouts`, { token: finance, body: payout, key, ...(via ? { via } : {}) });

    // Retried where the book is not contended: the retry races, wins, and records it; the mail is
    // later found recorded.
    expect((await send("raced", busy)).status).toBe(202);
    const raced = await send("raced");
    expect(raced.status, raced.text).toBe(201);
    expect(raced.headers.get("idempotent-replayed")).toBeNull();
    // Retried where the book is still contended: the retry finds the mail and waits for it, 202 again.
    expect((await send("waited", busy)).status).toBe(202);
    expect((await send("waited", busy)).status).toBe(202);

    // Once the lease is free, a retry that waits for the mail combines the book itself.
    await sleep(Math.max(0, leaseEnds - Date.now()) + 100);
    const waited = await send("waited", busyInstance(3_000));
    expect(waited.status, waited.text).toBe(201);
    expect(waited.headers.get("idempotent-replayed")).toBe("true");
    for (const [key, answer] of [
      ["waited", waited],
      ["raced", raced],
    ] as const) {
      expect(await recordedUnder(book, key), key).toHaveLength(1);
      const polled = await api.send("GET", `${base}/requests/${key}`, { token: finance });
      expect({ status: polled.status, text: polled.text }, key).toEqual({ status: 200, text: answer.text });
    }
  });
});
