import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * Opening balances (期初建账) over HTTP on DynamoDB Local: what each fund held when the book began
 * is brought forward once, before any other money entry, against the equity account; balances and
 * reports start from it and show it as the opening balance, never as money collected.
 */

const noon = (day: string) => new Date(`${day}T04:00:00Z`);
let api: Api;
let admin: string;
let finance: string;
let auditor: string;

/** A book opened on 2010-01-01 with two funds and nothing else in it. */
async function freshBook(book: string) {
  const ok = poster(api, { admin, finance });
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`/v1/books/${book}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`/v1/books/${book}/funds`, { id: "general", name: "工会经费", restricted: false });
  return { base: `/v1/books/${book}`, ok };
}

const headSeq = async (book: string) => (await journalEvents(api, book)).length;

const bringForward = (base: string, body: unknown, token = finance) =>
  api.send("POST", `${base}/opening-balances`, { token, body });

beforeAll(async () => {
  api = await startApi({ clock: () => noon("2010-06-15") });
  [admin, finance, auditor] = await Promise.all([api.token("admin"), api.token("finance"), api.token("auditor")]);
});

describe("opening balances", () => {
  it("brings each fund's balance forward once, against equity, and reports show it as the opening balance", async () => {
    const { base, ok } = await freshBook("opening-book");
    const recorded = await bringForward(base, {
      asOf: "2010-01-01",
      funds: [
        { fundId: "relief", amount: "123456.78" },
        { fundId: "general", amount: "5000" },
      ],
      memo: "2009年末余额结转",
    });
    expect(recorded.status, recorded.text).toBe(201);
    expect(recorded.json).toMatchObject({
      type: "OpeningBalancesRecorded",
      occurredOn: "2010-01-01",
      payload: {
        asOf: "2010-01-01",
        funds: [
          { fundId: "relief", amount: "123456.78" },
          { fundId: "general", amount: "5000.00" },
        ],
        postings: [
          { account: "equity:brought-forward", amount: "-128456.78" },
          { account: "fund:relief", amount: "123456.78" },
          { account: "fund:general", amount: "5000.00" },
        ],
      },
    });
    const relief = await api.send("GET", `${base}/funds/relief`, { token: auditor });
    expect(relief.json).toMatchObject({ balance: "123456.78" });

    // Money moves from there: a collection in February, then the reports of the first quarter.
    await ok(`${base}/collections`, { fundId: "relief", source: "dues", amount: "1000.00", receivedOn: "2010-02-03" });
    const quarter = await api.send("GET", `${base}/reports/funds?from=2010-01&to=2010-03`, { token: auditor });
    expect(quarter.status, quarter.text).toBe(200);
    const line = quarter.json.funds.find((fund: { fundId: string }) => fund.fundId === "relief");
    expect(line).toMatchObject({ opening: "123456.78", collected: "1000.00", closing: "124456.78" });
    expect(line.collections).toEqual({ dues: "1000.00" });
    // February alone opens where January closed.
    const february = await api.send("GET", `${base}/reports/funds?from=2010-02&to=2010-02`, { token: auditor });
    const feb = february.json.funds.find((fund: { fundId: string }) => fund.fundId === "relief");
    expect(feb).toMatchObject({ opening: "123456.78", collected: "1000.00", closing: "124456.78" });

    // Once only: a second time is a conflict that names the first, and writes nothing.
    const before = await headSeq("opening-book");
    const again = await bringForward(base, { asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "1.00" }] });
    expect(again.status, again.text).toBe(409);
    expect(again.json).toMatchObject({
      type: "/problems/opening-balances-recorded",
      seq: recorded.json.seq,
    });
    expect(await headSeq("opening-book")).toBe(before);
  });

  it("is refused once any other money entry has been recorded", async () => {
    const { base, ok } = await freshBook("late-opening");
    await ok(`${base}/collections`, { fundId: "relief", source: "dues", amount: "10.00", receivedOn: "2010-01-05" });
    const before = await headSeq("late-opening");
    const late = await bringForward(base, { asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "500.00" }] });
    expect(late.status, late.text).toBe(409);
    expect(late.json).toMatchObject({ type: "/problems/opening-balances-too-late", asOf: "2010-01-01" });
    expect(await headSeq("late-opening")).toBe(before);
  });

  it("refuses bad input with a 4xx problem and writes nothing", async () => {
    const { base } = await freshBook("bad-opening");
    const before = await headSeq("bad-opening");
    const cases: [unknown, number, string][] = [
      [{ asOf: "2010-01-01", funds: [{ fundId: "nope", amount: "1.00" }] }, 422, "fund-not-found"],
      [
        {
          asOf: "2010-01-01",
          funds: [
            { fundId: "relief", amount: "1.00" },
            { fundId: "relief", amount: "2.00" },
          ],
        },
        422,
        "duplicate-fund",
      ],
      [{ asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "-5.00" }] }, 400, "invalid-amount"],
      [{ asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "1.005" }] }, 400, "invalid-amount"],
      [{ asOf: "2009-12-31", funds: [{ fundId: "relief", amount: "1.00" }] }, 422, "before-book-opened"],
      [{ asOf: "2010-01-01", funds: [] }, 400, "validation-failed"],
      [
        { asOf: "2010-01-01", funds: [{ fundId: "relief", amount: "1.00" }], currency: "USD" },
        422,
        "currency-mismatch",
      ],
    ];
    for (const [body, status, code] of cases) {
      const reply = await bringForward(base, body);
      expect([reply.status, reply.json.type], JSON.stringify(body)).toEqual([status, `/problems/${code}`]);
    }
    const auditorTry = await bringForward(base, { asOf: "2010-01-01", funds: [] }, auditor);
    expect(auditorTry.status).toBe(403);
    expect(await headSeq("bad-opening")).toBe(before);
  });
});
