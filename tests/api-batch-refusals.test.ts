import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";

/**
 * What a payout batch writes when its lines are bad. The attack run sent lines of -1.00, 0.00 and
 * 1.001 and got 201 with `recorded: 0` and a PayoutBatchChunkRecorded in the journal.
 */

let api: Api;
let finance: string;
let admin: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  admin = await api.token("admin");
});

const bookWith = (balance: string, households: number) =>
  reliefBook(api, { admin, finance }, `refusals-${++books}`, {
    balance,
    households,
    program: { id: "winter", name: "2010年送温暖", cap: { perPayment: "1000" } },
  });

const head = async (book: string) => {
  const { seq, hash } = await api.journal.head(book);
  return { seq, hash };
};

const chunkSummaries = async (book: string) =>
  (await journalEvents(api, book)).filter((event) => event.type === "PayoutBatchChunkRecorded");

const batch = (lines: unknown[]) => ({ programId: "winter", paidOn: "2010-01-20", lines });

describe("a batch with malformed lines", () => {
  it("is refused whole with 400, naming every bad line by index and field, and writes nothing", async () => {
    const { book, base, ids } = await bookWith("10000.00", 3);
    const before = await head(book);
    const lines = [
      { beneficiaryId: ids[0], amount: "100.00" },
      { beneficiaryId: ids[1], amount: "-1.00" },
      { beneficiaryId: ids[2], amount: "0.00" },
      { beneficiaryId: ids[0], amount: "200.00" },
      { beneficiaryId: ids[1], amount: "1.001" },
      { beneficiaryId: "Not An Id", amount: "100.00" },
      // The 60th line, in the batch's second chunk: it is checked before the first chunk is written.
      ...Array.from({ length: 53 }, () => ({ beneficiaryId: ids[2], amount: "1.00" })),
      { beneficiaryId: ids[2], amount: "1e3" },
    ];
    const reply = await api.send("POST", `${base}/payout-batches`, { token: finance, body: batch(lines) });
    expect(reply.status, reply.text).toBe(400);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(reply.json.type).toBe("/problems/validation-failed");
    expect(reply.json.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      ["lines.1.amount", "lines.2.amount", "lines.4.amount", "lines.5.beneficiaryId", "lines.59.amount"].sort(),
    );
    expect(reply.json.errors.find((error: { path: string }) => error.path === "lines.2.amount").message).toMatch(
      /greater than zero/,
    );
    expect(await head(book)).toEqual(before);
  });
});

describe("a batch none of whose lines passes", () => {
  const hopeless = (ids: string[]) => [
    { beneficiaryId: "hh-nobody", amount: "100.00" },
    { beneficiaryId: ids[0], amount: "1500.00" },
    { beneficiaryId: ids[1], amount: "900.00" },
  ];

  it("writes nothing and answers 422 batch-refused with each line's reason, again on a retry", async () => {
    const { book, base, ids } = await bookWith("500.00", 2);
    const before = await head(book);
    const request = { token: finance, body: batch(hopeless(ids)), key: "hopeless" };
    for (const attempt of ["first", "retry"]) {
      const reply = await api.send("POST", `${base}/payout-batches`, request);
      expect(reply.status, `${attempt}: ${reply.text}`).toBe(422);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reply.json).toMatchObject({
        type: "/problems/batch-refused",
        title: "No line of the batch could be recorded",
        refused: [
          { line: 0, code: "beneficiary-not-found" },
          { line: 1, code: "cap-exceeded" },
          { line: 2, code: "fund-overdrawn" },
        ],
      });
      expect(reply.headers.get("idempotent-replayed")).toBeNull();
      expect(await head(book)).toEqual(before);
    }
    expect(await chunkSummaries(book)).toEqual([]);
  });

  it("writes no chunk of a 120-line batch (three chunks) whose lines all fail", async () => {
    const { book, base } = await bookWith("500.00", 0);
    const before = await head(book);
    const lines = Array.from({ length: 120 }, (_, n) => ({ beneficiaryId: `hh-gone-${n}`, amount: "10.00" }));
    const reply = await api.send("POST", `${base}/payout-batches`, { token: finance, body: batch(lines) });
    expect(reply.status, reply.text).toBe(422);
    expect(reply.json.refused).toHaveLength(120);
    expect(reply.json.refused.map((entry: { line: number }) => entry.line)).toEqual(lines.map((_, n) => n));
    expect(await head(book)).toEqual(before);
    expect(await chunkSummaries(book)).toEqual([]);
  });

  it("records the batch once the book can pay it: a refused batch reserved nothing under its key", async () => {
    const { base, ids, ok } = await bookWith("500.00", 2);
    const lines = [{ beneficiaryId: ids[1], amount: "900.00" }];
    const request = { token: finance, body: batch(lines), key: "wait-for-money" };
    expect((await api.send("POST", `${base}/payout-batches`, request)).status).toBe(422);
    await ok(`${base}/collections`, { fundId: "relief", source: "dues", amount: "1000.00", receivedOn: "2010-01-10" });
    const paid = await api.send("POST", `${base}/payout-batches`, request);
    expect(paid.status, paid.text).toBe(201);
    expect(paid.json).toMatchObject({ recorded: 1, refused: 0 });
  });
});

describe("a batch whose first chunk is refused whole and a later one is not", () => {
  it("records the first chunk's refusals too, so that a retry answers them the same and pays nothing new", async () => {
    const { book, base, ids, ok } = await bookWith("10000.00", 12);
    // 48 lines (chunk 0) for households not registered yet, then 12 that can be paid (chunk 1).
    const missing = Array.from({ length: 48 }, (_, n) => `hh-late-${n}`);
    const lines = [
      ...missing.map((beneficiaryId) => ({ beneficiaryId, amount: "10.00" })),
      ...ids.map((beneficiaryId) => ({ beneficiaryId, amount: "20.00" })),
    ];
    const request = { token: finance, body: batch(lines), key: "mixed" };
    const first = await api.send("POST", `${base}/payout-batches`, request);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ lines: 60, recorded: 12, refused: 48, amountRecorded: "240.00" });
    expect(first.json.results.slice(0, 48).map((result: { code: string }) => result.code)).toEqual(
      missing.map(() => "beneficiary-not-found"),
    );
    const summaries = await chunkSummaries(book);
    expect(summaries.map((event) => [event.payload.chunk, event.payload.recorded])).toEqual([
      [1, 12],
      [0, 0],
    ]);

    // The missing households are registered: sent afresh, chunk 0 would now pay them.
    for (const id of missing) await ok(`${base}/beneficiaries`, { id, kind: "household", name: id });
    const before = await head(book);
    const retry = await api.send("POST", `${base}/payout-batches`, request);
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await head(book)).toEqual(before);
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
  });
});
