import { beforeAll, describe, expect, it } from "vitest";
import { headers, type TableId } from "../packages/api/src/exports/tables.ts";
import { type Api, startApi } from "./support/api.ts";
import { bookForExports, reliefBook } from "./support/books.ts";

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
    const line = (seq: number) => lines.find((cells) => cells[column("Seq")] === String(seq)) as string[];
    const collection = line(book.collection.seq);
    expect(collection[column("Memo")]).toBe(`'${HOSTILE}`);
    // Text that merely looks like a number is still text.
    expect(collection[column("Reference")]).toBe("'-5");
    expect(collection[column("Amount")]).toBe("500.00");
    expect(line(book.payout.seq)[column("Memo")]).toBe("'@SUM(A1:A9)");
    expect(lines.every((cells) => /^[1-9]\d*$/.test(cells[column("Seq")] as string))).toBe(true);
  });

  it("prefixes a report's names and keeps its figures numbers, a negative one included", async () => {
    const query = "from=2010-01&to=2010-06";
    const json = await api.send("GET", `${book.base}/reports/funds?${query}`, { token: auditor });
    const relief = json.json.funds.find((fund: { fundId: string }) => fund.fundId === "relief");
    const csv = await api.send("GET", `${book.base}/reports/funds?${query}&format=csv`, { token: auditor });
    const [header, ...lines] = rows(csv.text).map((row) => row.split(","));
    // Row 1 is the header, in the order of the report's figures (JSON keys beside their headers).
    const figures = [
      "opening",
      "collected",
      "paidOut",
      "transfersIn",
      "transfersOut",
      "returns",
      "reversals",
      "closing",
      "reserved",
      "available",
    ];
    expect((header as string[]).slice(2)).toEqual([
      "Opening balance",
      "Collected",
      "Paid out",
      "Transfers in",
      "Transfers out",
      "Returns",
      "Reversals",
      "Closing balance",
      "Reserved by proposals at close",
      "Available at close",
    ]);
    const cells = lines.find((line) => line[0] === "relief") as string[];
    expect(cells.slice(2)).toEqual(figures.map((name) => relief[name]));
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
    expect(cell("Description")).toBe("'-1200元无签收单");
    expect(cell("Amount in question")).toBe("1200.00");
  });
});

describe("CSV headers in the reader's language, one table per file", () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await bookForExports(api, { admin, finance, committee }, "csv-lang"));
  });

  const range = "from=2010-01&to=2010-06";
  /** Every CSV export of the API, and the table it holds. */
  const EXPORTS: readonly (readonly [string, TableId])[] = [
    ["/entries?", "entries"],
    ["/audit-findings?", "findings"],
    [`/reports/programmes?${range}&`, "programmes"],
    [`/reports/funds?${range}&`, "funds"],
    [`/reports/collections?${range}&table=collections-by-source&`, "collections-by-source"],
    [`/reports/collections?${range}&table=collections-by-unit&`, "collections-by-unit"],
    ["/reports/audit?year=2010&", "audit"],
    ...(["programmes", "funds", "collections-by-source", "collections-by-unit", "audit"] as const).map(
      (table) => [`/reports/annual/2010?table=${table}&`, table] as const,
    ),
  ];

  it("heads the journal in Chinese with lang=zh, in English with lang=en and by default", async () => {
    const first = async (query: string) =>
      rows((await api.send("GET", `${base}/entries?format=csv${query}`, { token: auditor })).text)[0];
    expect(await first("&lang=zh")).toBe(
      "序号,类型,业务日期,记账时间（UTC）,记账人,角色,资金编号,项目编号,受助人编号,单位编号,金额,凭证号,摘要,幂等键,前一哈希,哈希",
    );
    const english =
      "Seq,Type,Business date,Recorded at (UTC),Recorded by,Role,Fund id,Programme id,Beneficiary id,Unit id," +
      "Amount,Reference,Memo,Idempotency key,Previous hash,Hash";
    expect(await first("&lang=en")).toBe(english);
    expect(await first("")).toBe(english);
  });

  it.each(EXPORTS)("starts %s with its header in row 1, and holds no other table", async (path, table) => {
    for (const lang of ["zh", "en"] as const) {
      const reply = await api.send("GET", `${base}${path}format=csv&lang=${lang}`, { token: auditor });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.text.startsWith("\uFEFF")).toBe(true);
      const [header, ...lines] = rows(reply.text).map((row) => row.split(","));
      expect(header).toEqual(headers(table, lang));
      expect(lines.length).toBeGreaterThan(0);
      // A title row or a second table's header would not have the header's cells.
      for (const line of lines) expect(line).toHaveLength(headers(table, lang).length);
      expect(lines.some((line) => line.join(",") === header?.join(","))).toBe(false);
    }
  });

  it("writes the year's audit progress as one row of figures", async () => {
    const reply = await api.send("GET", `${base}/reports/audit?year=2010&format=csv`, { token: auditor });
    const [header, line] = rows(reply.text).map((row) => row.split(","));
    const cell = (name: string) => (line as string[])[(header as string[]).indexOf(name)];
    expect([cell("Year"), cell("Audit target"), cell("Findings recorded"), cell("Amount in question")]).toEqual([
      "2010",
      "5",
      "1",
      "1200.00",
    ]);
  });

  it("refuses a CSV of a report with several tables unless table names one, and lists them", async () => {
    const annual = await api.send("GET", `${base}/reports/annual/2010?format=csv`, { token: auditor });
    expect(annual.status).toBe(400);
    expect(annual.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(annual.json).toMatchObject({
      type: "/problems/validation-failed",
      tables: ["programmes", "funds", "collections-by-source", "collections-by-unit", "audit"],
      errors: [{ path: "table" }],
    });
    expect(annual.json.errors[0].message).toContain("collections-by-source");
    const collections = await api.send("GET", `${base}/reports/collections?${range}&format=csv`, { token: auditor });
    expect(collections.status).toBe(400);
    expect(collections.json.tables).toEqual(["collections-by-source", "collections-by-unit"]);
  });

  it.each([
    ["an unknown table", "/reports/annual/2010?format=csv&table=everything", "table"],
    ["a table of another report", `/reports/collections?${range}&format=csv&table=funds`, "table"],
    ["a table with JSON", "/reports/annual/2010?table=funds", "table"],
    ["an unknown language", "/entries?format=csv&lang=fr", "lang"],
    ["an unknown language, on a report", `/reports/funds?${range}&format=xlsx&lang=zh-CN`, "lang"],
    ["an unknown format", `/reports/funds?${range}&format=pdf`, "format"],
  ])("refuses %s with a 400 problem naming the field", async (_, path, field) => {
    const reply = await api.send("GET", `${base}${path}`, { token: auditor });
    expect(reply.status).toBe(400);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(reply.headers.get("content-disposition")).toBeNull();
    expect(reply.json.errors.map((error: { path: string }) => error.path)).toContain(field);
  });

  it("names the file in ASCII and, in filename*, in the reader's language", async () => {
    const zh = await api.send("GET", `${base}/reports/annual/2010?format=csv&table=programmes&lang=zh`, {
      token: auditor,
    });
    expect(zh.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(zh.headers.get("content-disposition")).toBe(
      `attachment; filename="csv-lang-annual-2010-programmes.csv"; filename*=UTF-8''${encodeURIComponent("csv-lang-年度报告-2010-项目.csv")}`,
    );
    const en = await api.send("GET", `${base}/entries?format=csv`, { token: auditor });
    expect(en.headers.get("content-disposition")).toBe(
      `attachment; filename="csv-lang-entries.csv"; filename*=UTF-8''csv-lang-entries.csv`,
    );
  });
});
