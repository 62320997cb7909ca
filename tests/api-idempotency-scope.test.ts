import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";

/**
 * An Idempotency-Key belongs to the caller that first used it, as payment APIs scope theirs: the
 * same key from another token subject is a 409, never a replay of someone else's answer. The
 * attack run saw a second cashier's request answered with the first one's entry.
 */

let api: Api;
let wang: string;
let li: string;
let admin: string;
let committeeChair: string;
let committeeMember: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  // Two cashiers of one finance office: one role, two subjects.
  wang = await api.token("finance", "*", "cashier-wang");
  li = await api.token("finance", "*", "cashier-li");
  committeeChair = await api.token("audit-committee", "*", "jingshenhui-chair");
  committeeMember = await api.token("audit-committee", "*", "jingshenhui-member");
  admin = await api.token("admin");
});

const bookWith = (households = 2) =>
  reliefBook(api, { admin, finance: wang }, `scope-${++books}`, {
    balance: "10000.00",
    households,
    program: { id: "winter", name: "2010年送温暖" },
  });

const head = async (book: string) => {
  const { seq, hash } = await api.journal.head(book);
  return { seq, hash };
};

type Reply = Awaited<ReturnType<Api["send"]>>;

function expectRefusedAsReused(reply: Reply) {
  expect(reply.status, reply.text).toBe(409);
  expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(reply.json).toMatchObject({ type: "/problems/idempotency-key-reused", status: 409 });
  expect(reply.headers.get("idempotent-replayed")).toBeNull();
  // Nothing of the first caller's entry comes back.
  expect(reply.json).not.toHaveProperty("seq");
  expect(reply.json).not.toHaveProperty("payload");
}

describe("an idempotency key is scoped to its caller", () => {
  const requests: [string, string, (ids: string[]) => unknown][] = [
    [
      "payout",
      "/payouts",
      (ids) => ({ programId: "winter", beneficiaryId: ids[0], amount: "100.00", paidOn: "2010-02-01" }),
    ],
    [
      "collection",
      "/collections",
      () => ({ fundId: "relief", source: "dues", amount: "250.00", receivedOn: "2010-01-20" }),
    ],
    ["fund creation", "/funds", () => ({ id: "general", name: "经费", restricted: false })],
    ["beneficiary registration", "/beneficiaries", () => ({ kind: "student", name: "李明" })],
    [
      "hardship file",
      "/beneficiaries/hh-0000/hardship-file",
      () => ({ tier: "deep", cause: "因病致困", openedOn: "2010-01-02", validUntil: "2010-12-31" }),
    ],
    ["reversal", "/entries/3/reversal", () => ({ reason: "重复入账" })],
  ];

  it.each(requests)(
    "refuses a %s sent by another cashier under the first one's key and body, and still replays it to the first",
    async (_, path, body) => {
      const { book, base, ids } = await bookWith();
      const request = { body: body(ids), key: "shared-key" };
      const first = await api.send("POST", `${base}${path}`, { token: wang, ...request });
      expect(first.status, first.text).toBe(201);
      const before = await head(book);

      const other = await api.send("POST", `${base}${path}`, { token: li, ...request });
      expectRefusedAsReused(other);
      expect(await head(book)).toEqual(before);

      const retry = await api.send("POST", `${base}${path}`, { token: wang, ...request });
      expect(retry.status).toBe(201);
      expect(retry.json).toEqual(first.json);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(await head(book)).toEqual(before);
    },
  );

  it("refuses another committee member's finding under the chair's key", async () => {
    const { book, base, ok } = await bookWith(0);
    await ok(`${base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
    const finding = {
      unitId: "textile",
      category: "incomplete-vouchers",
      severity: "low",
      description: "慰问品发放无签收单",
      recordedOn: "2010-03-01",
    };
    const first = await api.send("POST", `${base}/audit-findings`, { token: committeeChair, body: finding, key: "f" });
    expect(first.status, first.text).toBe(201);
    const before = await head(book);
    expectRefusedAsReused(
      await api.send("POST", `${base}/audit-findings`, { token: committeeMember, body: finding, key: "f" }),
    );
    expect(await head(book)).toEqual(before);
  });

  it("decides afresh another caller's unkeyed registration: a duplicate, not the first caller's answer", async () => {
    const { book, base } = await bookWith(0);
    const body = { id: "st-zhang", kind: "student", name: "张小红" };
    const first = await api.send("POST", `${base}/beneficiaries`, { token: wang, body, key: null });
    expect(first.status, first.text).toBe(201);
    const before = await head(book);
    const other = await api.send("POST", `${base}/beneficiaries`, { token: li, body, key: null });
    expect(other.status, other.text).toBe(409);
    expect(other.json).toMatchObject({ type: "/problems/beneficiary-exists" });
    expect(await head(book)).toEqual(before);
    const retry = await api.send("POST", `${base}/beneficiaries`, { token: wang, body, key: null });
    expect(retry.json).toEqual(first.json);
  });

  it("replays a batch to its caller and refuses it, every chunk, to another", async () => {
    const { book, base, ids } = await bookWith(100);
    const lines = ids.map((beneficiaryId) => ({ beneficiaryId, amount: "10.00" }));
    const body = { programId: "winter", paidOn: "2010-02-01", lines };
    const first = await api.send("POST", `${base}/payout-batches`, { token: wang, body, key: "batch-key" });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ lines: 100, recorded: 100 });
    const before = await head(book);

    expectRefusedAsReused(await api.send("POST", `${base}/payout-batches`, { token: li, body, key: "batch-key" }));
    expect(await head(book)).toEqual(before);

    const retry = await api.send("POST", `${base}/payout-batches`, { token: wang, body, key: "batch-key" });
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await head(book)).toEqual(before);
  });
});
