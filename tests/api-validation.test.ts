import { beforeAll, describe, expect, it } from "vitest";
import { type Api, residentId, startApi } from "./support/api.ts";

/**
 * Bad input gets a clear 4xx problem and writes nothing: every case below checks the status,
 * the problem+json content type, the stable `type`, the field it names, and that the book's
 * head seq did not move.
 */

let api: Api;
let finance: string;
const book = "validation-2010";
const base = `/v1/books/${book}`;

type Reply = Awaited<ReturnType<Api["send"]>>;

const payout = { programId: "winter", beneficiaryId: "hh-0001", amount: "10.00", paidOn: "2010-02-01", method: "cash" };
const collection = { fundId: "relief", source: "dues", amount: "10.00", receivedOn: "2010-01-05" };
const transfer = { fromFundId: "relief", toFundId: "general", amount: "10.00", on: "2010-02-01" };
const fund = { id: "another", name: "另一基金", restricted: false };
const batch = { programId: "plain", paidOn: "2010-02-01", lines: [{ beneficiaryId: "hh-0001", amount: "10.00" }] };

/** A resident ID number whose check character is X, to prove that "x" and spaces are one person. */
const withCheckX = (() => {
  for (let serial = 100; ; serial++) if (residentId(serial).endsWith("X")) return residentId(serial);
})();

beforeAll(async () => {
  api = await startApi();
  const admin = await api.token("admin");
  // "*" so that a malformed book id in a path reaches validation rather than the book guard.
  finance = await api.token("finance");
  const ok = async (path: string, body: unknown) => {
    const response = await api.send("POST", path, { token: path === "/v1/books" ? admin : finance, body });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
  };
  await ok("/v1/books", { id: book, name: "巴中市巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/funds`, { id: "general", name: "经费", restricted: false });
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: "100000.00",
    receivedOn: "2010-01-05",
  });
  await ok(`${base}/programs`, {
    id: "winter",
    name: "2010年送温暖",
    fundId: "relief",
    requiresHardshipFile: true,
    methods: ["bank", "cash"],
  });
  await ok(`${base}/programs`, { id: "plain", name: "慰问劳模", fundId: "relief" });
  await ok(`${base}/programs`, { id: "ended", name: "2009年金秋助学", fundId: "relief" });
  await ok(`${base}/beneficiaries`, { id: "hh-0001", kind: "household", name: "王秀英", idNumber: residentId(1) });
  await ok(`${base}/beneficiaries/hh-0001/hardship-file`, {
    tier: "deep",
    cause: "因病致困",
    openedOn: "2010-01-02",
    validUntil: "2010-12-31",
  });
  await ok(`${base}/beneficiaries`, { id: "hh-x", kind: "household", name: "李桂兰", idNumber: withCheckX });
});

const headSeq = async () => (await api.journal.head(book)).seq;

/** Sends, and proves the book's head did not move while it was answered. */
async function sendNothingWritten(...args: Parameters<Api["send"]>): Promise<Reply> {
  const before = await headSeq();
  const reply = await api.send(...args);
  expect(await headSeq(), `head moved on ${args[0]} ${args[1]}: ${reply.status} ${reply.text}`).toBe(before);
  return reply;
}

/** The reply is the problem expected: status, content type, type and (for field errors) the path. */
function expectProblem(reply: Reply, status: number, type: string, path?: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(reply.json).toMatchObject({ type: `/problems/${type}`, status, title: expect.any(String) });
  if (path !== undefined) {
    expect(reply.json.errors, reply.text).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  }
}

const moneyRoutes = [
  ["payout", `/payouts`, payout],
  ["collection", `/collections`, collection],
  ["transfer", `/transfers`, transfer],
] as const;

describe("amounts are decimal strings with at most two decimals, positive and bounded", () => {
  const cases: [unknown, string][] = [
    ["-1", "invalid-amount"],
    ["0", "invalid-amount"],
    ["0.00", "invalid-amount"],
    ["1.001", "invalid-amount"],
    ["1e3", "invalid-amount"],
    ["99999999999999999", "invalid-amount"],
    ["10000000000.00", "invalid-amount"],
    ["", "invalid-amount"],
    [" 1", "invalid-amount"],
    ["1 ", "invalid-amount"],
    ["1,000", "invalid-amount"],
    ["+1", "invalid-amount"],
    ["0x10", "invalid-amount"],
    ["１００", "invalid-amount"],
    ["1".repeat(100), "validation-failed"],
    [12, "validation-failed"],
    [12.5, "validation-failed"],
    [null, "validation-failed"],
    [true, "validation-failed"],
    [["1.00"], "validation-failed"],
  ];
  const table = moneyRoutes.flatMap(([name, path, body]) =>
    cases.map(([amount, type]) => ({ name, path, body, amount, type })),
  );
  it.each(table)("refuses a $name of $amount with 400 $type naming amount", async ({ path, body, amount, type }) => {
    const reply = await sendNothingWritten("POST", `${base}${path}`, { token: finance, body: { ...body, amount } });
    expectProblem(reply, 400, type);
    expect(reply.json.errors?.[0]?.path).toBe("amount");
  });
});

describe("the body must be a JSON object", () => {
  it.each(['{"fundId": ', "", "not json", '{"fundId": "relief"}}', "{'fundId': 'relief'}", "\u0000"])(
    "refuses the body %j with 400 malformed-json",
    async (raw) => {
      const reply = await sendNothingWritten("POST", `${base}/collections`, { token: finance, raw });
      expectProblem(reply, 400, "malformed-json");
    },
  );

  it.each(["null", "[]", '"relief"', "42", "true", "[{}]"])(
    "refuses the JSON value %s where an object belongs with 400 validation-failed",
    async (raw) => {
      const reply = await sendNothingWritten("POST", `${base}/payouts`, { token: finance, raw });
      expectProblem(reply, 400, "validation-failed");
      expect(reply.json.errors.length).toBeGreaterThan(0);
    },
  );
});

describe("fields have their types, the required ones are there, and nothing else is", () => {
  it.each([
    ["a fund's restricted as a string", "/funds", { ...fund, restricted: "yes" }, "restricted"],
    ["a fund's name as a number", "/funds", { ...fund, name: 7 }, "name"],
    ["a batch's lines as an object", "/payout-batches", { ...batch, lines: {} }, "lines"],
    ["a batch with no lines", "/payout-batches", { ...batch, lines: [] }, "lines"],
    [
      "a batch line's beneficiary as a number",
      "/payout-batches",
      { ...batch, lines: [{ beneficiaryId: 1, amount: "1.00" }] },
      "lines.0.beneficiaryId",
    ],
    ["a payout's beneficiary as a number", "/payouts", { ...payout, beneficiaryId: 1 }, "beneficiaryId"],
    ["a payout's method unknown", "/payouts", { ...payout, method: "crypto" }, "method"],
    ["a collection's source unknown", "/collections", { ...collection, source: "lottery" }, "source"],
    ["a collection's memo blank", "/collections", { ...collection, memo: "   " }, "memo"],
    ["a programme's methods empty", "/programs", { id: "p2", name: "x", fundId: "relief", methods: [] }, "methods"],
    ["a beneficiary's kind unknown", "/beneficiaries", { kind: "alien", name: "x" }, "kind"],
  ])("refuses %s, naming the field", async (_, path, body, field) => {
    const reply = await sendNothingWritten("POST", `${base}${path}`, { token: finance, body });
    expectProblem(reply, 400, "validation-failed", field);
  });

  const without = (body: Record<string, unknown>, field: string) =>
    Object.fromEntries(Object.entries(body).filter(([key]) => key !== field));
  it.each([
    ["/payouts", "amount", payout],
    ["/payouts", "paidOn", payout],
    ["/payouts", "programId", payout],
    ["/payouts", "beneficiaryId", payout],
    ["/collections", "fundId", collection],
    ["/collections", "source", collection],
    ["/collections", "receivedOn", collection],
    ["/transfers", "toFundId", transfer],
    ["/funds", "name", fund],
    ["/funds", "restricted", fund],
    ["/payout-batches", "lines", batch],
  ] as const)("refuses %s without %s, naming it", async (path, field, body) => {
    const reply = await sendNothingWritten("POST", `${base}${path}`, { token: finance, body: without(body, field) });
    expectProblem(reply, 400, "validation-failed", field);
  });

  it("names every missing field of an empty payout at once", async () => {
    const reply = await sendNothingWritten("POST", `${base}/payouts`, { token: finance, body: {} });
    expectProblem(reply, 400, "validation-failed");
    const paths = reply.json.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(["programId", "beneficiaryId", "amount", "paidOn"]));
  });

  it.each([
    ["/payouts", payout],
    ["/collections", collection],
    ["/transfers", transfer],
    ["/funds", fund],
    ["/beneficiaries", { kind: "household", name: "张三" }],
    ["/payout-batches", batch],
  ] as const)("refuses %s with an unknown field, naming it", async (path, body) => {
    const reply = await sendNothingWritten("POST", `${base}${path}`, {
      token: finance,
      body: { ...body, surprise: 1 },
    });
    expectProblem(reply, 400, "validation-failed", "surprise");
  });

  it("refuses an unknown field inside a batch line", async () => {
    const lines = [{ beneficiaryId: "hh-0001", amount: "1.00", actor: "me" }];
    const reply = await sendNothingWritten("POST", `${base}/payout-batches`, {
      token: finance,
      body: { ...batch, lines },
    });
    expectProblem(reply, 400, "validation-failed", "lines.0.actor");
  });
});

describe("dates are real calendar days, written YYYY-MM-DD, and not in the future", () => {
  it.each(["2010-02-30", "2010/01/01", "2010-1-5", "20100105", "2010-01-05T00:00:00Z", "", "2010-13-01", "2010-02-29"])(
    "refuses the date %j with 400 naming the field",
    async (date) => {
      const paid = await sendNothingWritten("POST", `${base}/payouts`, {
        token: finance,
        body: { ...payout, paidOn: date },
      });
      expectProblem(paid, 400, "validation-failed", "paidOn");
      const received = await sendNothingWritten("POST", `${base}/collections`, {
        token: finance,
        body: { ...collection, receivedOn: date },
      });
      expectProblem(received, 400, "validation-failed", "receivedOn");
    },
  );

  it("refuses a far-future payout, collection or transfer with 422 future-date", async () => {
    const paid = await sendNothingWritten("POST", `${base}/payouts`, {
      token: finance,
      body: { ...payout, paidOn: "2999-01-01" },
    });
    expectProblem(paid, 422, "future-date");
    const received = await sendNothingWritten("POST", `${base}/collections`, {
      token: finance,
      body: { ...collection, receivedOn: "2999-01-01" },
    });
    expectProblem(received, 422, "future-date");
    const moved = await sendNothingWritten("POST", `${base}/transfers`, {
      token: finance,
      body: { ...transfer, on: "2999-01-01" },
    });
    expectProblem(moved, 422, "future-date");
  });
});

describe("identifiers are lower-case slugs, in the path and in the body", () => {
  it.each(["Relief", "RELIEF", "re lief", "../x", "re/lief", "-relief", "", "a".repeat(65), "救济"])(
    "refuses the body id %j with 400 naming the field",
    async (id) => {
      const collected = await sendNothingWritten("POST", `${base}/collections`, {
        token: finance,
        body: { ...collection, fundId: id },
      });
      expectProblem(collected, 400, "validation-failed", "fundId");
      const paid = await sendNothingWritten("POST", `${base}/payouts`, {
        token: finance,
        body: { ...payout, beneficiaryId: id },
      });
      expectProblem(paid, 400, "validation-failed", "beneficiaryId");
      const opened = await sendNothingWritten("POST", `${base}/funds`, { token: finance, body: { ...fund, id } });
      expectProblem(opened, 400, "validation-failed", "id");
    },
  );

  it.each(["Winter", "WINTER", "win%20ter", "..%2Fx", "win_ter"])("refuses the path id %s with 400", async (id) => {
    const closed = await sendNothingWritten("POST", `${base}/programs/${id}/closure`, {
      token: finance,
      body: { reason: "结束" },
    });
    expectProblem(closed, 400, "validation-failed", "program");
    const file = await sendNothingWritten("POST", `${base}/beneficiaries/${id}/hardship-file`, {
      token: finance,
      body: { tier: "deep", cause: "因病致困", openedOn: "2010-01-02", validUntil: "2010-12-31" },
    });
    expectProblem(file, 400, "validation-failed", "id");
    const read = await sendNothingWritten("GET", `${base}/funds/${id}`, { token: finance });
    expectProblem(read, 400, "validation-failed", "fund");
  });

  it.each(["Validation-2010", "validation%202010", "..%2Fvalidation-2010"])(
    "refuses the book id %s with 400",
    async (id) => {
      const reply = await sendNothingWritten("POST", `/v1/books/${id}/collections`, {
        token: finance,
        body: collection,
      });
      expectProblem(reply, 400, "validation-failed", "book");
    },
  );
});

describe("bodies are JSON and at most 1 MB", () => {
  it("refuses a payout whose memo pads it past 1 MB with 413", async () => {
    const memo = "慰".repeat(400_000); // 1.2 MB of UTF-8
    const reply = await sendNothingWritten("POST", `${base}/payouts`, { token: finance, body: { ...payout, memo } });
    expectProblem(reply, 413, "payload-too-large");
  });

  it("refuses a raw 1.1 MB body with 413 before parsing it", async () => {
    const raw = `{"fundId": "${"x".repeat(1_100_000)}"`; // not even valid JSON: the size decides first
    const reply = await sendNothingWritten("POST", `${base}/collections`, { token: finance, raw });
    expectProblem(reply, 413, "payload-too-large");
  });

  it("refuses a 1.1 MB body that announces its length with 413", async () => {
    const raw = JSON.stringify({ ...collection, memo: "x".repeat(1_100_000) });
    const reply = await sendNothingWritten("POST", `${base}/collections`, {
      token: finance,
      raw,
      headers: { "content-length": String(Buffer.byteLength(raw)) },
    });
    expectProblem(reply, 413, "payload-too-large");
  });

  it.each([
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "application/xml",
    "application/jsonx",
  ])("refuses a JSON-looking body sent as %s with 415", async (type) => {
    const reply = await sendNothingWritten("POST", `${base}/collections`, {
      token: finance,
      body: collection,
      headers: { "content-type": type },
    });
    expectProblem(reply, 415, "unsupported-media-type");
  });

  it("refuses a body without a content type with 415", async () => {
    const before = await headSeq();
    // Bytes, not a string: a string body would be labelled text/plain by fetch itself.
    const response = await api.app.request(`${base}/collections`, {
      method: "POST",
      headers: { authorization: `Bearer ${finance}`, "idempotency-key": "no-content-type" },
      body: new TextEncoder().encode(JSON.stringify(collection)),
    });
    const json = await response.json();
    expectProblem(
      { status: response.status, headers: response.headers, json, text: JSON.stringify(json) },
      415,
      "unsupported-media-type",
    );
    expect(await headSeq()).toBe(before);
  });
});

describe("money-moving requests carry a sane Idempotency-Key", () => {
  it.each([
    ["/payouts", payout],
    ["/collections", collection],
    ["/transfers", transfer],
    ["/payout-batches", batch],
  ] as const)("refuses %s without one with 400 idempotency-key-required", async (path, body) => {
    const reply = await sendNothingWritten("POST", `${base}${path}`, { token: finance, body, key: null });
    expectProblem(reply, 400, "idempotency-key-required");
  });

  it.each([
    ["with spaces", "my key 1"],
    ["of 200 characters", "k".repeat(200)],
    ["of 129 characters", "k".repeat(129)],
    ["empty", ""],
    ["with a tab", "key\t1"],
  ])("refuses a key %s with 400", async (_, key) => {
    for (const [path, body] of [
      ["/payouts", payout],
      ["/collections", collection],
      ["/funds", fund],
    ] as const) {
      const reply = await sendNothingWritten("POST", `${base}${path}`, { token: finance, body, key });
      expectProblem(reply, 400, "validation-failed", "header.idempotency-key");
    }
  });
});

describe("a request naming what the book does not hold is a 422", () => {
  it.each([
    ["an unknown beneficiary", "/payouts", { ...payout, beneficiaryId: "nobody" }, "beneficiary-not-found"],
    ["an unknown programme", "/payouts", { ...payout, programId: "nothing" }, "program-not-found"],
    ["an unknown fund", "/collections", { ...collection, fundId: "nothing" }, "fund-not-found"],
    ["an unknown paying unit", "/collections", { ...collection, unitId: "nobody" }, "unit-not-found"],
    ["an unknown source fund", "/transfers", { ...transfer, fromFundId: "nothing" }, "fund-not-found"],
    ["an unknown target fund", "/transfers", { ...transfer, toFundId: "nothing" }, "fund-not-found"],
    ["a programme on an unknown fund", "/programs", { id: "p3", name: "x", fundId: "nothing" }, "fund-not-found"],
    ["a batch of an unknown programme", "/payout-batches", { ...batch, programId: "nothing" }, "program-not-found"],
    ["a payout in dollars", "/payouts", { ...payout, currency: "USD" }, "currency-mismatch"],
    ["a collection in dollars", "/collections", { ...collection, currency: "USD" }, "currency-mismatch"],
  ])("refuses %s", async (_, path, body, type) => {
    const reply = await sendNothingWritten("POST", `${base}${path}`, { token: finance, body });
    expectProblem(reply, 422, type);
  });

  it("refuses a payout from a closed programme with 409 program-closed", async () => {
    const closed = await api.send("POST", `${base}/programs/ended/closure`, {
      token: finance,
      body: { reason: "项目结束" },
    });
    expect(closed.status, closed.text).toBe(201);
    const reply = await sendNothingWritten("POST", `${base}/payouts`, {
      token: finance,
      body: { ...payout, programId: "ended" },
    });
    expectProblem(reply, 409, "program-closed");
    const batched = await sendNothingWritten("POST", `${base}/payout-batches`, {
      token: finance,
      body: { ...batch, programId: "ended" },
    });
    expectProblem(batched, 409, "program-closed");
  });
});

describe("resident ID numbers", () => {
  it.each([
    ["a bad check digit", `${residentId(2).slice(0, 17)}${residentId(2).endsWith("0") ? "1" : "0"}`],
    ["a birth date that does not exist", residentId(3, "19700230")],
    ["17 digits", residentId(4).slice(0, 17)],
    ["an old 15-digit number", "511902700101123"],
    ["letters", "51190219700101ABCD"],
  ])("refuses %s with 400 naming idNumber, without echoing it", async (_, idNumber) => {
    const reply = await sendNothingWritten("POST", `${base}/beneficiaries`, {
      token: finance,
      body: { id: "hh-bad", kind: "household", name: "张三", idNumber },
    });
    expectProblem(reply, 400, "validation-failed", "idNumber");
    expect(reply.text).not.toContain(idNumber);
  });

  it.each([
    ["as registered", residentId(1), "hh-0001"],
    [
      "with a lower-case x and spaces",
      `${withCheckX.slice(0, 6)} ${withCheckX.slice(6, 14)} ${withCheckX.slice(14).toLowerCase()}`,
      "hh-x",
    ],
  ])(
    "refuses a second registration of an ID number %s with 409, naming the first beneficiary only",
    async (_, idNumber, existing) => {
      for (const id of ["hh-second", undefined]) {
        const reply = await sendNothingWritten("POST", `${base}/beneficiaries`, {
          token: finance,
          body: { ...(id ? { id } : {}), kind: "worker", name: "王秀英", idNumber },
        });
        expectProblem(reply, 409, "id-number-registered");
        expect(reply.json.existingBeneficiaryId).toBe(existing);
        for (const spelling of [idNumber, idNumber.replace(/\s+/g, "").toUpperCase(), idNumber.replace(/\s+/g, "")]) {
          expect(reply.text).not.toContain(spelling);
        }
        expect(reply.text).not.toContain(idNumber.slice(0, 17).replace(/\s+/g, ""));
      }
    },
  );
});

describe("limits and unknown things", () => {
  it("refuses a payout batch of 5,001 lines with 400", async () => {
    const lines = Array.from({ length: 5001 }, () => ({ beneficiaryId: "hh-0001", amount: "1.00" }));
    const reply = await sendNothingWritten("POST", `${base}/payout-batches`, {
      token: finance,
      body: { ...batch, lines },
    });
    expect(reply.status, reply.text.slice(0, 500)).toBe(400);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(["/problems/validation-failed", "/problems/batch-too-large"]).toContain(reply.json.type);
    if (reply.json.errors) expect(reply.json.errors.map((error: { path: string }) => error.path)).toContain("lines");
  });

  it.each([
    ["GET", "/v1/nothing-here"],
    ["GET", `${base}/nothing-here`],
    ["POST", `${base}/nothing-here`],
    ["GET", "/nowhere"],
    ["DELETE", `${base}/funds/relief`],
    ["PUT", `${base}/payouts`],
  ])("answers %s %s with a 4xx problem", async (method, path) => {
    const reply = await sendNothingWritten(method, path, {
      token: finance,
      ...(method === "GET" || method === "DELETE" ? {} : { body: payout }),
    });
    expect(reply.status).toBeGreaterThanOrEqual(404);
    expect(reply.status).toBeLessThan(500);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({ status: reply.status, type: expect.stringMatching(/^\/problems\//) });
  });

  it("answers an unknown route with 404 not-found", async () => {
    const reply = await sendNothingWritten("GET", `${base}/nothing-here`, { token: finance });
    expectProblem(reply, 404, "not-found");
  });

  it("answers an entry seq that does not exist with 404 entry-not-found", async () => {
    const reply = await sendNothingWritten("GET", `${base}/entries/999999`, { token: finance });
    expectProblem(reply, 404, "entry-not-found");
  });

  // A seq is a plain decimal: "1e3" or "0x10" must not alias entry 1000 or 16.
  it.each(["0", "-1", "abc", "1.5", "1e3", "0x10"])("refuses the entry seq %s with 400 naming seq", async (seq) => {
    const reply = await sendNothingWritten("GET", `${base}/entries/${seq}`, { token: finance });
    expectProblem(reply, 400, "validation-failed", "seq");
  });

  it("refuses a reversal at a seq that is not a plain decimal, writing nothing", async () => {
    // "0x1" would otherwise name entry 1 (the BookOpened, which no reversal takes anyway).
    const reply = await sendNothingWritten("POST", `${base}/entries/0x1/reversal`, {
      token: finance,
      body: { reason: "录入错误" },
    });
    expectProblem(reply, 400, "validation-failed", "seq");
  });

  it("refuses to reverse an entry that does not exist, writing nothing", async () => {
    const reply = await sendNothingWritten("POST", `${base}/entries/999999/reversal`, {
      token: finance,
      body: { reason: "录入错误" },
    });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.json.type).toBe("/problems/entry-not-found");
  });
});

describe("the bodies used above are otherwise valid", () => {
  it("records the same payout, collection and transfer when nothing is wrong with them", async () => {
    const before = await headSeq();
    for (const [, path, body] of moneyRoutes) {
      const reply = await api.send("POST", `${base}${path}`, { token: finance, body });
      expect(reply.status, reply.text).toBe(201);
    }
    const batched = await api.send("POST", `${base}/payout-batches`, { token: finance, body: batch });
    expect(batched.status, batched.text).toBe(201);
    expect(batched.json.recorded).toBe(1);
    expect(await headSeq()).toBeGreaterThanOrEqual(before + 4);
  });
});
