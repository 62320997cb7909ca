import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";

/**
 * CSV exports against formula injection (OWASP, "CSV Injection"): a text cell that a spreadsheet
 * would run as a formula goes out with a leading `'`; an amount or a seq stays a number.
 */

// The payload the attack run sent: it went out as is, and Excel would have run it.
const HOSTILE = "-2+3+cmd|' /C calc'!A0";
// 2010-06-30 at noon in Shanghai: reports default to the months up to this one.
const NOW = new Date("2010-06-30T04:00:00Z");

let api: Api;
let finance: string;
let committee: string;
let auditor: string;
let admin: string;

beforeAll(async () => {
  api = await startApi({ clock: () => NOW });
  finance = await api.token("finance");
  committee = await api.token("audit-committee");
  auditor = await api.token("auditor");
  admin = await api.token("admin");
});

const rows = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean);

async function bookWithHostileText() {
  const { base, ok, ids } = await reliefBook(api, { admin, finance }, "csv-export", {
    balance: "2000.00",
    households: 1,
    program: { id: "winter", name: "=送温暖" },
  });
  const collection = await ok(`${base}/collections`, {
    fundId: "relief",
    source: "dues",
    amount: "500.00",
    receivedOn: "2010-02-01",
    reference: "-5",
    memo: HOSTILE,
  });
  const payout = await ok(`${base}/payouts`, {
    programId: "winter",
    beneficiaryId: ids[0],
    amount: "800.00",
    paidOn: "2010-03-01",
    memo: "@SUM(A1:A9)",
  });
  await ok(`${base}/entries/${collection.seq}/reversal`, { reason: "重复入账" });
  return { base, ok, collection, payout };
}

describe("CSV exports", () => {
  let book: Awaited<ReturnType<typeof bookWithHostileText>>;
  beforeAll(async () => {
    book = await bookWithHostileText();
  });

  it("prefixes entries' text that starts like a formula, and keeps seqs and amounts numbers", async () => {
    const reply = await api.send("GET", `${book.base}/entries?format=csv`, { token: auditor });
    expect(reply.status).toBe(200);
    const [header, ...lines] = rows(reply.text).map((row) => row.split(","));
    const column = (name: string) => (header as string[]).indexOf(name);
    const line = (seq: number) => lines.find((cells) => cells[column("seq")] === String(seq)) as string[];
    const collection = line(book.collection.seq);
    expect(collection[column("memo")]).toBe(`'${HOSTILE}`);
    // Text that merely looks like a number is still text.
    expect(collection[column("reference")]).toBe("'-5");
    expect(collection[column("amount")]).toBe("500.00");
    expect(line(book.payout.seq)[column("memo")]).toBe("'@SUM(A1:A9)");
    expect(lines.every((cells) => /^[1-9]\d*$/.test(cells[column("seq")] as string))).toBe(true);
  });

  it("prefixes a report's names and keeps its figures numbers, a negative one included", async () => {
    const query = "from=2010-01&to=2010-06";
    const json = await api.send("GET", `${book.base}/reports/funds?${query}`, { token: auditor });
    const relief = json.json.funds.find((fund: { fundId: string }) => fund.fundId === "relief");
    const csv = await api.send("GET", `${book.base}/reports/funds?${query}&format=csv`, { token: auditor });
    const [, header, ...lines] = rows(csv.text).map((row) => row.split(","));
    const cells = lines.find((line) => line[0] === "relief") as string[];
    const figures = (header as string[]).slice(2);
    expect(figures.map((name) => cells[(header as string[]).indexOf(name)])).toEqual(
      figures.map((name) => relief[name]),
    );
    // The reversed collection: money out of the fund, a negative figure, exported as a number.
    expect(figures.some((name) => String(relief[name]).startsWith("-"))).toBe(true);

    const programmes = await api.send("GET", `${book.base}/reports/programmes?${query}&format=csv`, { token: auditor });
    const winter = rows(programmes.text).find((row) => row.startsWith("winter,")) as string;
    expect(winter.startsWith("winter,'=送温暖,relief,800.00,1,1,")).toBe(true);
  });

  it("prefixes a finding's description and keeps its amounts numbers", async () => {
    await book.ok(`${book.base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
    const finding = await api.send("POST", `${book.base}/audit-findings`, {
      token: committee,
      body: {
        id: "f-1",
        unitId: "textile",
        category: "incomplete-vouchers",
        severity: "low",
        amountInQuestion: "1200",
        description: "-1200元无签收单",
        recordedOn: "2010-04-01",
      },
    });
    expect(finding.status, finding.text).toBe(201);
    const reply = await api.send("GET", `${book.base}/audit-findings?format=csv`, { token: auditor });
    const [header, line] = rows(reply.text).map((row) => row.split(","));
    const cell = (name: string) => (line as string[])[(header as string[]).indexOf(name)];
    expect(cell("description")).toBe("'-1200元无签收单");
    expect(cell("amountInQuestion")).toBe("1200.00");
  });
});
