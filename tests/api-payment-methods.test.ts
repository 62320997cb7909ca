import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";

let api: Api;
let finance: string;
let admin: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  admin = await api.token("admin");
});

/** A book whose winter relief programme pays by `methods` (any method when absent), with three households. */
const bookPaying = (methods?: string[]) =>
  reliefBook(api, { admin, finance }, `methods-${++books}`, {
    balance: "10000.00",
    households: 3,
    program: { id: "winter", name: "2010年送温暖", ...(methods ? { methods } : {}) },
  });

const methodsOf = async (book: string) =>
  (await journalEvents(api, book))
    .filter((event) => event.type === "PayoutRecorded")
    .map((event) => event.payload.method ?? "(none)");

const batch = (base: string, ids: string[], extra: Record<string, unknown> = {}) =>
  api.send("POST", `${base}/payout-batches`, {
    token: finance,
    body: {
      programId: "winter",
      paidOn: "2010-01-20",
      lines: ids.map((beneficiaryId) => ({ beneficiaryId, amount: "800.00" })),
      ...extra,
    },
  });

const payout = (base: string, beneficiaryId: string, extra: Record<string, unknown> = {}) =>
  api.send("POST", `${base}/payouts`, {
    token: finance,
    body: { programId: "winter", beneficiaryId, amount: "500.00", paidOn: "2010-01-21", ...extra },
  });

describe("a payout batch's payment method", () => {
  it("is recorded on every line, and said in the answer", async () => {
    const { book, base, ids } = await bookPaying(["bank", "cash"]);
    const response = await batch(base, ids, { method: "cash" });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ method: "cash", recorded: 3 });
    expect(await methodsOf(book)).toEqual(["cash", "cash", "cash"]);
  });

  it("is the batch's, like its programme and date: a line naming its own is a bad request, nothing written", async () => {
    const { book, base, ids } = await bookPaying(["bank", "cash"]);
    const before = (await api.journal.head(book)).seq;
    const lines = ids.map((beneficiaryId, n) => ({
      beneficiaryId,
      amount: "800.00",
      ...(n ? {} : { method: "bank" }),
    }));
    const response = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "winter", paidOn: "2010-01-20", method: "cash", lines },
    });
    expect(response.json).toMatchObject({ status: 400, type: "/problems/validation-failed" });
    expect(response.json.errors).toEqual([expect.objectContaining({ path: expect.stringMatching(/^lines\.0/) })]);
    expect((await api.journal.head(book)).seq).toBe(before);
  });

  it("defaults to the programme's only method for payouts and batches that name none", async () => {
    const { book, base, ids } = await bookPaying(["bank"]);
    const lines = await batch(base, ids.slice(0, 2));
    expect(lines.status).toBe(201);
    expect(lines.json).toMatchObject({ method: "bank", recorded: 2 });
    const one = await payout(base, ids[2] as string);
    expect(one.status).toBe(201);
    expect(one.json.payload).toMatchObject({ method: "bank" });
    expect(await methodsOf(book)).toEqual(["bank", "bank", "bank"]);
  });

  it("refuses a method the programme does not allow, for a batch as for a payout, writing nothing", async () => {
    const { book, base, ids } = await bookPaying(["bank"]);
    const before = (await api.journal.head(book)).seq;
    const refusal = { status: 422, type: "/problems/method-not-allowed", method: "cash", allowed: ["bank"] };
    expect((await batch(base, ids, { method: "cash" })).json).toMatchObject(refusal);
    expect((await payout(base, ids[0] as string, { method: "cash" })).json).toMatchObject(refusal);
    expect((await api.journal.head(book)).seq).toBe(before);
  });

  it("must be named when the programme allows several, and may be left out when it lists none", async () => {
    const several = await bookPaying(["bank", "cash"]);
    const before = (await api.journal.head(several.book)).seq;
    const unnamed = { status: 422, type: "/problems/method-not-allowed", method: "(none)", allowed: ["bank", "cash"] };
    expect((await batch(several.base, several.ids)).json).toMatchObject(unnamed);
    expect((await payout(several.base, several.ids[0] as string)).json).toMatchObject(unnamed);
    expect((await api.journal.head(several.book)).seq).toBe(before);

    const any = await bookPaying();
    const response = await batch(any.base, any.ids);
    expect(response.status).toBe(201);
    expect(response.json.method).toBeUndefined();
    expect(await methodsOf(any.book)).toEqual(["(none)", "(none)", "(none)"]);
  });
});
