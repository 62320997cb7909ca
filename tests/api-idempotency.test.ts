import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";

/**
 * A retry with the same Idempotency-Key and body returns the original result, whatever happened
 * in the book since; the same key with another body is a 409; racing copies record once.
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

type Reply = Awaited<ReturnType<Api["send"]>>;

/** A fresh book with a fund holding `balance`, a programme paying from it and `households` registered. */
const bookWith = (balance: string, households = 2) =>
  reliefBook(api, { admin, finance }, `idem-${++books}`, {
    balance,
    households,
    program: { id: "winter", name: "2010年送温暖" },
  });

const headSeq = async (book: string) => (await api.journal.head(book)).seq;

function expectReplayOf(retry: Reply, first: Reply) {
  expect(retry.status, retry.text).toBe(first.status);
  expect(retry.json).toEqual(first.json);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect(retry.headers.get("location")).toBe(first.headers.get("location"));
}

const payout = (beneficiaryId: string, amount = "100.00") => ({
  programId: "winter",
  beneficiaryId,
  amount,
  paidOn: "2010-02-01",
  method: "cash",
});

describe("a retried request returns the original result and records once", () => {
  const requests: [string, string, (ids: string[]) => unknown][] = [
    [
      "collection",
      "/collections",
      () => ({ fundId: "relief", source: "dues", amount: "250.00", receivedOn: "2010-01-20" }),
    ],
    ["payout", "/payouts", (ids) => payout(ids[0] as string)],
    ["fund creation", "/funds", () => ({ id: "general", name: "经费", restricted: false })],
    ["programme creation", "/programs", () => ({ id: "autumn", name: "金秋助学", fundId: "relief", budget: "300000" })],
    ["beneficiary registration without an id", "/beneficiaries", () => ({ kind: "student", name: "李明" })],
    [
      "a hardship file",
      "/beneficiaries/hh-0000/hardship-file",
      () => ({ tier: "deep", cause: "因病致困", openedOn: "2010-01-02", validUntil: "2010-12-31" }),
    ],
  ];

  it.each(requests)("replays a %s with the same key and body", async (_, path, body) => {
    const { book, base, ids } = await bookWith("10000.00");
    const before = await headSeq(book);
    const request = { token: finance, body: body(ids), key: `retry-${path}` };
    const first = await api.send("POST", `${base}${path}`, request);
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const retry = await api.send("POST", `${base}${path}`, request);
    expectReplayOf(retry, first);
    const third = await api.send("POST", `${base}${path}`, request);
    expectReplayOf(third, first);
    expect(await headSeq(book)).toBe(before + 1);
    expect(await api.send("GET", `${base}/entries/${first.json.seq}`, { token: finance })).toMatchObject({
      json: first.json,
    });
  });

  it.each(requests)(
    "refuses a %s with the same key and another body with 409, writing nothing",
    async (_, path, body) => {
      const { book, base, ids } = await bookWith("10000.00");
      const original = body(ids) as Record<string, unknown>;
      const first = await api.send("POST", `${base}${path}`, { token: finance, body: original, key: "reused" });
      expect(first.status, first.text).toBe(201);
      const before = await headSeq(book);
      const changed = "amount" in original ? { ...original, amount: "1.00" } : { ...original, name: "另一个名字" };
      const other = path.includes("hardship-file") ? { ...original, cause: "因灾致困" } : changed;
      const reused = await api.send("POST", `${base}${path}`, { token: finance, body: other, key: "reused" });
      expect(reused.status, reused.text).toBe(409);
      expect(reused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reused.json).toMatchObject({ type: "/problems/idempotency-key-reused", status: 409 });
      expect(await headSeq(book)).toBe(before);
    },
  );

  it("treats the same body with its members reordered and spaced out as the same request", async () => {
    const { book, base, ids } = await bookWith("1000.00");
    const body = payout(ids[0] as string);
    const first = await api.send("POST", `${base}/payouts`, { token: finance, body, key: "reordered" });
    expect(first.status).toBe(201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry = await api.send("POST", `${base}/payouts`, {
      token: finance,
      raw: JSON.stringify(reordered, null, 2),
      key: "reordered",
    });
    expectReplayOf(retry, first);
    expect(await headSeq(book)).toBe(first.json.seq);
  });

  it("refuses a key used on one route for a request on another, writing nothing", async () => {
    const { book, base, ids } = await bookWith("10000.00");
    const collected = await api.send("POST", `${base}/collections`, {
      token: finance,
      body: { fundId: "relief", source: "dues", amount: "100.00", receivedOn: "2010-01-20" },
      key: "one-key",
    });
    expect(collected.status).toBe(201);
    const before = await headSeq(book);
    const paid = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[0] as string),
      key: "one-key",
    });
    expect(paid.status, paid.text).toBe(409);
    expect(paid.json.type).toBe("/problems/idempotency-key-reused");
    expect(await headSeq(book)).toBe(before);
  });

  it("refuses the same key and the same body sent to another entry's reversal, writing nothing", async () => {
    const { book, base, ids } = await bookWith("10000.00");
    const first = await api.send("POST", `${base}/payouts`, { token: finance, body: payout(ids[0] as string) });
    const second = await api.send("POST", `${base}/payouts`, { token: finance, body: payout(ids[1] as string) });
    expect([first.status, second.status]).toEqual([201, 201]);
    // The body names no entry: only the path tells the two reversals apart.
    const body = { reason: "重复入账" };
    const reversed = await api.send("POST", `${base}/entries/${first.json.seq}/reversal`, {
      token: finance,
      body,
      key: "reverse-once",
    });
    expect(reversed.status, reversed.text).toBe(201);
    const before = await headSeq(book);
    const other = await api.send("POST", `${base}/entries/${second.json.seq}/reversal`, {
      token: finance,
      body,
      key: "reverse-once",
    });
    expect(other.status, other.text).toBe(409);
    expect(other.json.type).toBe("/problems/idempotency-key-reused");
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await headSeq(book)).toBe(before);
    // The first reversal is still answered as itself.
    const retry = await api.send("POST", `${base}/entries/${first.json.seq}/reversal`, {
      token: finance,
      body,
      key: "reverse-once",
    });
    expectReplayOf(retry, reversed);
  });

  it("keeps a key to its book: the same key in another book is another request", async () => {
    const one = await bookWith("1000.00");
    const two = await bookWith("1000.00");
    const body = payout("hh-0000");
    const first = await api.send("POST", `${one.base}/payouts`, { token: finance, body, key: "shared-key" });
    const second = await api.send("POST", `${two.base}/payouts`, { token: finance, body, key: "shared-key" });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(second.json.book).toBe(two.book);
  });

  it("returns the original 201 to a retry after the book has changed, even one the fund can no longer pay", async () => {
    const { book, base, ids } = await bookWith("100.00");
    const first = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[0] as string, "60.00"),
      key: "late",
    });
    expect(first.status, first.text).toBe(201);
    // Another payout empties the fund: sent afresh, the first one would now overdraw it.
    const emptied = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[1] as string, "40.00"),
    });
    expect(emptied.status, emptied.text).toBe(201);
    const afresh = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[0] as string, "60.00"),
    });
    expect(afresh.json.type).toBe("/problems/fund-overdrawn");
    const before = await headSeq(book);

    const retry = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[0] as string, "60.00"),
      key: "late",
    });
    expectReplayOf(retry, first);
    expect(await headSeq(book)).toBe(before);
    expect((await api.journal.head(book)).state.funds.relief?.balance).toBe(0n);
  });

  it("returns the original 201 to a retry after the programme was closed", async () => {
    const { book, base, ids } = await bookWith("1000.00");
    const first = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[0] as string),
      key: "before-close",
    });
    expect(first.status).toBe(201);
    const closed = await api.send("POST", `${base}/programs/winter/closure`, {
      token: finance,
      body: { reason: "结束" },
    });
    expect(closed.status).toBe(201);
    const before = await headSeq(book);
    const retry = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: payout(ids[0] as string),
      key: "before-close",
    });
    expectReplayOf(retry, first);
    expect(await headSeq(book)).toBe(before);
  });
});

describe("racing copies of one request record once", () => {
  it("answers 10 concurrent identical payouts with one key with one entry and ten identical 201s", async () => {
    const { book, base, ids } = await bookWith("1000.00");
    const before = await headSeq(book);
    const request = { token: finance, body: payout(ids[0] as string), key: "racing" };
    const replies = await Promise.all(Array.from({ length: 10 }, () => api.send("POST", `${base}/payouts`, request)));
    expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(201));
    for (const reply of replies) expect(reply.json).toEqual(replies[0]?.json);
    expect(replies.filter((reply) => reply.headers.get("idempotent-replayed") === null)).toHaveLength(1);
    expect(await headSeq(book)).toBe(before + 1);
    expect((await api.journal.head(book)).state.funds.relief?.balance).toBe(90_000n);
  });

  it("records once when the copies race through two instances", async () => {
    const { book, base, ids } = await bookWith("1000.00");
    const sibling = api.sibling();
    const before = await headSeq(book);
    const request = { token: finance, body: payout(ids[0] as string), key: "racing-two" };
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        api.send("POST", `${base}/payouts`, { ...request, ...(n % 2 ? { via: sibling } : {}) }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(201));
    for (const reply of replies) expect(reply.json).toEqual(replies[0]?.json);
    expect(await headSeq(book)).toBe(before + 1);
  });

  it("records a concurrent collection and fund creation once each", async () => {
    const { book, base } = await bookWith("1000.00");
    const before = await headSeq(book);
    const collection = { fundId: "relief", source: "donation", amount: "5.00", receivedOn: "2010-01-20" };
    const fund = { id: "general", name: "经费", restricted: false };
    const replies = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        api.send("POST", `${base}/collections`, { token: finance, body: collection, key: "c" }),
      ),
      ...Array.from({ length: 5 }, () => api.send("POST", `${base}/funds`, { token: finance, body: fund, key: "f" })),
    ]);
    expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((reply) => reply.json.seq)).size).toBe(2);
    expect(await headSeq(book)).toBe(before + 2);
  });
});

describe("beneficiary registration without an id", () => {
  it("gives a retry the same server-chosen id, with or without a key", async () => {
    const { book, base } = await bookWith("1000.00", 0);
    const before = await headSeq(book);
    const body = { kind: "student", name: "张小红", tags: ["金秋助学"] };
    const keyed = await api.send("POST", `${base}/beneficiaries`, { token: finance, body, key: "register-1" });
    expect(keyed.status, keyed.text).toBe(201);
    const id = keyed.json.payload.beneficiaryId;
    expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    const again = await api.send("POST", `${base}/beneficiaries`, { token: finance, body, key: "register-1" });
    expectReplayOf(again, keyed);
    expect(again.json.payload.beneficiaryId).toBe(id);

    const unkeyed = await api.send("POST", `${base}/beneficiaries`, {
      token: finance,
      body: { ...body, name: "张小明" },
      key: null,
    });
    expect(unkeyed.status, unkeyed.text).toBe(201);
    const unkeyedAgain = await api.send("POST", `${base}/beneficiaries`, {
      token: finance,
      body: { ...body, name: "张小明" },
      key: null,
    });
    expectReplayOf(unkeyedAgain, unkeyed);
    expect(unkeyedAgain.json.payload.beneficiaryId).toBe(unkeyed.json.payload.beneficiaryId);
    expect(unkeyed.json.payload.beneficiaryId).not.toBe(id);

    expect(await headSeq(book)).toBe(before + 2);
    const read = await api.send("GET", `${base}/beneficiaries/${id}`, { token: finance });
    expect(read.json).toMatchObject({ id, name: "张小红" });
  });

  it("gives two keys for one body two beneficiaries (two students of one name)", async () => {
    const { book, base } = await bookWith("1000.00", 0);
    const body = { kind: "student", name: "王芳" };
    const first = await api.send("POST", `${base}/beneficiaries`, { token: finance, body, key: "wang-1" });
    const second = await api.send("POST", `${base}/beneficiaries`, { token: finance, body, key: "wang-2" });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.payload.beneficiaryId).not.toBe(first.json.payload.beneficiaryId);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect((await journalEvents(api, book)).filter((event) => event.type === "BeneficiaryRegistered")).toHaveLength(2);
  });
});

describe("payout batches", () => {
  const paidPerLine = async (book: string, batchId: string) => {
    const counts = new Map<number, number>();
    for (const event of await journalEvents(api, book)) {
      if (event.type !== "PayoutRecorded" || event.payload.batchId !== batchId) continue;
      const line = Number(event.payload.line);
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    return counts;
  };

  it("replays a 120-line batch (three chunks) with the same key, and refuses another body under it", async () => {
    const { book, base, ids } = await bookWith("100000.00", 120);
    const lines = ids.map((beneficiaryId) => ({ beneficiaryId, amount: "10.00" }));
    const body = { programId: "winter", paidOn: "2010-02-01", method: "bank", lines };

    const before = await headSeq(book);
    const first = await api.send("POST", `${base}/payout-batches`, { token: finance, body, key: "K" });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ lines: 120, recorded: 120, refused: 0, amountRecorded: "1200.00" });
    const written = await headSeq(book);
    expect(written).toBeGreaterThan(before + 120);

    const retry = await api.send("POST", `${base}/payout-batches`, { token: finance, body, key: "K" });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await headSeq(book)).toBe(written);

    // Another body under K: chunk 0 says so before anything is recorded.
    for (const other of [
      { ...body, paidOn: "2010-02-02" },
      { ...body, lines: lines.slice(0, 100) },
      { ...body, lines: [...lines.slice(0, 119), { ...lines[119], amount: "11.00" }] },
    ]) {
      const reused = await api.send("POST", `${base}/payout-batches`, { token: finance, body: other, key: "K" });
      expect(reused.status, reused.text).toBe(409);
      expect(reused.json.type).toBe("/problems/idempotency-key-reused");
      expect(await headSeq(book)).toBe(written);
    }
    const counts = await paidPerLine(book, first.json.batchId);
    expect(counts.size).toBe(120);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it("pays every line once when two copies of a batch race with one key, on one instance or two", async () => {
    const { book, base, ids } = await bookWith("100000.00", 120);
    const lines = ids.map((beneficiaryId) => ({ beneficiaryId, amount: "10.00" }));
    const body = { programId: "winter", paidOn: "2010-02-03", lines };

    for (const [key, via] of [
      ["K2", undefined],
      ["K3", api.sibling()],
    ] as const) {
      const before = await headSeq(book);
      const [one, two] = await Promise.all([
        api.send("POST", `${base}/payout-batches`, { token: finance, body, key }),
        api.send("POST", `${base}/payout-batches`, { token: finance, body, key, ...(via ? { via } : {}) }),
      ]);
      expect(one?.status, one?.text).toBe(201);
      expect(two?.status, two?.text).toBe(201);
      expect(two?.json).toEqual(one?.json);
      expect(one?.json).toMatchObject({ lines: 120, recorded: 120, refused: 0 });
      const counts = await paidPerLine(book, one?.json.batchId);
      expect(counts.size).toBe(120);
      expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
      const written = await headSeq(book);
      expect(written - before).toBe(120 + 3); // 120 payouts and one summary per chunk of 48

      const changed = await api.send("POST", `${base}/payout-batches`, {
        token: finance,
        body: { ...body, lines: lines.map((line) => ({ ...line, amount: "9.00" })) },
        key,
      });
      expect(changed.status, changed.text).toBe(409);
      expect(changed.json.type).toBe("/problems/idempotency-key-reused");
      expect(await headSeq(book)).toBe(written);
    }
    expect(await api.journal.verify(book)).toMatchObject({ ok: true });
  });
});

describe("a retry is answered with the first answer's bytes", () => {
  type Sent = { path: string; body: unknown; token: string };
  /** Sends a request twice under one key: the same status, Location and body, byte for byte. */
  const twice = async (base: string, { path, body, token }: Sent, key: string) => {
    const first = await api.send("POST", `${base}${path}`, { token, body, key });
    expect(first.status, `${path}: ${first.text}`).toBe(201);
    const retry = await api.send("POST", `${base}${path}`, { token, body, key });
    expect(retry.headers.get("idempotent-replayed"), path).toBe("true");
    expect(retry.status, path).toBe(first.status);
    expect(retry.headers.get("location"), path).toBe(first.headers.get("location"));
    expect(retry.headers.get("content-type"), path).toBe(first.headers.get("content-type"));
    expect(retry.text, path).toBe(first.text);
    return first;
  };

  it("for every kind of write, and the entry it answers with reads back as the same bytes", async () => {
    const { base, ids } = await bookWith("10000.00", 3);
    const committee = await api.token("audit-committee", "*", "jingshenhui-chair");
    const entry = (path: string, body: unknown, token = finance): Sent => ({ path, body, token });
    const written = [];
    for (const [index, request] of [
      entry("/collections", { fundId: "relief", source: "donation", amount: "250.00", receivedOn: "2010-01-20" }),
      entry("/funds", { id: "general", name: "经费", restricted: false }),
      entry("/transfers", { fromFundId: "relief", toFundId: "general", amount: "100.00", on: "2010-01-21" }),
      entry("/payouts", { ...payout(ids[0] as string), reference: "凭证 1", memo: "冬季慰问" }),
      entry("/beneficiaries", { kind: "student", name: "李明", tags: ["金秋助学"] }),
      entry("/units", { id: "textile-union", name: "中兴纺织厂工会", kind: "grassroots-union" }),
      entry("/audit-plans", { year: 2010, targetCount: 5 }, committee),
    ].entries()) {
      written.push(await twice(base, request, `bytes-${index}`));
    }
    const paid = written[3]?.json.seq as number;
    written.push(await twice(base, entry(`/entries/${paid}/reversal`, { reason: "重复入账" }), "bytes-reversal"));
    const returned = await api.send("POST", `${base}/payouts`, { token: finance, body: payout(ids[1] as string) });
    expect(returned.status, returned.text).toBe(201);
    written.push(
      await twice(
        base,
        entry(`/payouts/${returned.json.seq}/return`, { returnedOn: "2010-02-10", reason: "账户已销户" }),
        "bytes-return",
      ),
    );
    // The answer is the entry itself: reading it back gives the same bytes too.
    for (const first of written) {
      const read = await api.send("GET", `${base}/entries/${first.json.seq}`, { token: finance });
      expect(read.text, first.json.type).toBe(first.text);
    }
  });

  it("for a batch with recorded and refused lines", async () => {
    const { base, ids } = await bookWith("10000.00", 2);
    const lines = [
      { beneficiaryId: ids[0] as string, amount: "10.00", reference: "第1行" },
      { beneficiaryId: "nobody", amount: "20.00" },
      { beneficiaryId: ids[1] as string, amount: "30.00" },
    ];
    const first = await twice(
      base,
      {
        path: "/payout-batches",
        body: { programId: "winter", paidOn: "2010-02-01", method: "bank", lines },
        token: finance,
      },
      "bytes-batch",
    );
    expect(first.json).toMatchObject({ recorded: 2, refused: 1 });
  });
});
