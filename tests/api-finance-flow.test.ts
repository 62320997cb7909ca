import { beforeAll, describe, expect, it } from "vitest";
import { type Api, residentId, startApi } from "./support/api.ts";

let api: Api;
let admin: string;
let finance: string;
const book = "bazhou-2010";
const base = `/v1/books/${book}`;

beforeAll(async () => {
  api = await startApi();
  admin = await api.token("admin");
  finance = await api.token("finance", [book]);
});

describe("the finance office's day, over HTTP", () => {
  it("opens a book, funds a programme and pays a household", async () => {
    const created = await api.send("POST", "/v1/books", {
      token: admin,
      body: { id: book, name: "巴中市巴州区总工会", currency: "CNY", openedOn: "2010-01-01" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ seq: 1, type: "BookOpened", actor: { sub: "admin-user", role: "admin" } });

    const fund = await api.send("POST", `${base}/funds`, {
      token: finance,
      body: { id: "relief", name: "帮扶资金", restricted: true },
    });
    expect(fund.status).toBe(201);
    const program = await api.send("POST", `${base}/programs`, {
      token: finance,
      body: {
        id: "winter-2010",
        name: "2010年送温暖",
        fundId: "relief",
        requiresHardshipFile: true,
        methods: ["bank", "cash"],
        budget: "1051100",
      },
    });
    expect(program.status).toBe(201);
    expect(program.json.payload.budget).toBe("1051100.00");

    const collected = await api.send("POST", `${base}/collections`, {
      token: finance,
      body: { fundId: "relief", source: "upper-subsidy", amount: "1051100.00", receivedOn: "2010-01-05" },
    });
    expect(collected.status).toBe(201);

    const household = await api.send("POST", `${base}/beneficiaries`, {
      token: finance,
      body: { id: "hh-0001", kind: "household", name: "王秀英", idNumber: residentId(1) },
    });
    expect(household.status).toBe(201);
    expect(JSON.stringify(household.json)).not.toContain(residentId(1));

    const file = await api.send("POST", `${base}/beneficiaries/hh-0001/hardship-file`, {
      token: finance,
      body: { tier: "deep", cause: "因病致困", openedOn: "2010-01-02", validUntil: "2010-12-31" },
    });
    expect(file.status).toBe(201);

    const paid = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: {
        programId: "winter-2010",
        beneficiaryId: "hh-0001",
        amount: "800.00",
        paidOn: "2010-02-01",
        method: "cash",
      },
    });
    expect(paid.status).toBe(201);
    expect(paid.json.payload.postings).toEqual([
      { account: "fund:relief", amount: "-800.00" },
      { account: "beneficiary:hh-0001", amount: "800.00" },
    ]);
    expect(paid.headers.get("location")).toBe(`${base}/entries/${paid.json.seq}`);

    const funds = await api.send("GET", `${base}/funds`, { token: finance });
    expect(funds.json.funds).toEqual([expect.objectContaining({ id: "relief", balance: "1050300.00" })]);
    const asOf = await api.send("GET", `${base}/funds/relief?asOf=2010-01-31`, { token: finance });
    expect(asOf.json).toMatchObject({ balance: "1051100.00", asOf: "2010-01-31" });
    const person = await api.send("GET", `${base}/beneficiaries/hh-0001`, { token: finance });
    expect(person.json).toMatchObject({
      idNumberOnFile: true,
      totals: [{ programId: "winter-2010", year: "2010", count: 1, amount: "800.00" }],
    });
    const entry = await api.send("GET", `${base}/entries/${paid.json.seq}`, { token: finance });
    expect(entry.json).toEqual(paid.json);
  });
});
