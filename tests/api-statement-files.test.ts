import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * A bank statement sent as the bank exports it, CSV or XLSX, over HTTP on DynamoDB Local. Three
 * books record the same month; each gets the same statement, as JSON, as a CSV with Chinese
 * headers and debit/credit columns (借方发生额/贷方发生额), and as an XLSX with English headers and a
 * direction column. The three reconciliations must be one and the same.
 */

const CSV = "text/csv";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ACCOUNT = "6222021234567890123"; // a counterparty's account: only "0123" may be kept

let api: Api;
let finance: string;
let auditor: string;

type Line = { date: string; amount: string; direction: "in" | "out"; counterparty?: string; reference?: string };
const LINES: Line[] = [
  { date: "2010-03-05", amount: "5000.00", direction: "in", counterparty: "市总工会", reference: "DUES-0303" },
  { date: "2010-03-12", amount: "800.00", direction: "out", counterparty: "李明" },
  { date: "2010-03-21", amount: "1234.50", direction: "in", counterparty: "纺织厂" },
  { date: "2010-03-31", amount: "12.50", direction: "out", counterparty: "手续费" },
];
const FIGURES = { fundId: "relief", period: "2010-03", openingBalance: "10000.00", closingBalance: "15422.00" };
const query = new URLSearchParams(FIGURES).toString();

const setUp = async (book: string) => {
  const admin = await api.token("admin");
  const ok = poster(api, { admin, finance });
  const base = `/v1/books/${book}`;
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief", requiresHardshipFile: false });
  await ok(`${base}/beneficiaries`, { id: "hh-a", kind: "household", name: "hh-a" });
  await ok(`${base}/collections`, { fundId: "relief", source: "dues", amount: "10000.00", receivedOn: "2010-02-01" });
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "dues",
    amount: "5000.00",
    receivedOn: "2010-03-03",
    reference: "DUES-0303",
  });
  await ok(`${base}/payouts`, { programId: "winter", beneficiaryId: "hh-a", amount: "800.00", paidOn: "2010-03-10" });
  await ok(`${base}/payouts`, { programId: "winter", beneficiaryId: "hh-a", amount: "300.00", paidOn: "2010-03-29" });
};

/** The statement as a Chinese bank's CSV export: debit and credit columns, thousands separators, a balance column. */
const csv = (lines: Line[]) => {
  let balance = 1_000_000n;
  const rows = lines.map((line, index) => {
    const fen = BigInt(line.amount.replace(".", ""));
    balance += line.direction === "in" ? fen : -fen;
    const money = (minor: bigint) =>
      `"${(Number(minor / 100n) || 0).toLocaleString("en-US")}.${String(minor % 100n).padStart(2, "0")}"`;
    return [
      line.date.replaceAll("-", "/"),
      line.counterparty ?? "",
      index === 1 ? ACCOUNT : "",
      line.direction === "out" ? money(fen) : "",
      line.direction === "in" ? money(fen) : "",
      money(balance),
      line.reference ?? "",
    ].join(",");
  });
  return `\uFEFF交易日期,对方户名,对方账号,借方发生额,贷方发生额,余额,摘要\r\n${rows.join("\r\n")}\r\n`;
};

/** The statement as an XLSX with English headers, a direction column and real date and number cells. */
const xlsx = async (lines: Line[]) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Statement");
  sheet.addRow(["Date", "Amount", "Direction", "Counterparty", "Counterparty account", "Reference"]);
  lines.forEach((line, index) => {
    sheet.addRow([
      new Date(`${line.date}T00:00:00Z`),
      Number(line.amount),
      line.direction === "in" ? "收" : "付",
      line.counterparty ?? null,
      index === 1 ? ACCOUNT : null,
      line.reference ?? null,
    ]);
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
};

const upload = (book: string, type: string, body: string | Uint8Array, params = query, key = crypto.randomUUID()) =>
  api.app.request(`/v1/books/${book}/bank-statements?${params}`, {
    method: "POST",
    headers: { authorization: `Bearer ${finance}`, "content-type": type, "idempotency-key": key },
    body,
  });

/** A refusal as the tests read it. */
type Problem = {
  type: string;
  invalid?: number;
  rows: { row: number; column: string }[];
  errors: { path: string }[];
};
const problemOf = async (response: Response) => (await response.json()) as Problem;

const reconciliation = async (book: string) => {
  const response = await api.send("GET", `/v1/books/${book}/reconciliations/2010-03?fundId=relief`, {
    token: auditor,
  });
  expect(response.status, response.text).toBe(200);
  return response.json;
};

beforeAll(async () => {
  api = await startApi({ clock: () => new Date("2010-04-15T04:00:00Z") });
  [finance, auditor] = await Promise.all([api.token("finance"), api.token("auditor")]);
  await Promise.all(["stmt-json", "stmt-csv", "stmt-xlsx", "stmt-bad"].map(setUp));
  const json = await api.send("POST", "/v1/books/stmt-json/bank-statements", {
    token: finance,
    body: {
      ...FIGURES,
      lines: LINES.map((line, index) => (index === 1 ? { ...line, counterpartyAccount: ACCOUNT } : line)),
    },
  });
  expect(json.status, json.text).toBe(201);
});

describe("a bank statement sent as a file", () => {
  it("as a CSV with Chinese headers and debit and credit columns, reconciles as the JSON does", async () => {
    const response = await upload("stmt-csv", `${CSV}; charset=utf-8`, csv(LINES));
    expect(response.status, await response.clone().text()).toBe(201);
    const [fromCsv, fromJson] = [await reconciliation("stmt-csv"), await reconciliation("stmt-json")];
    expect(fromCsv).toEqual(fromJson);
    expect(fromCsv.matches).toHaveLength(2);
    expect(fromCsv.balanced).toBe(true);
    expect(JSON.stringify(await journalEvents(api, "stmt-csv"))).not.toContain("234567890123");
  });

  it("as an XLSX with English headers and a direction column, reconciles as the JSON does", async () => {
    const response = await upload("stmt-xlsx", XLSX, await xlsx(LINES));
    expect(response.status, await response.clone().text()).toBe(201);
    expect(await reconciliation("stmt-xlsx")).toEqual(await reconciliation("stmt-json"));
  });

  it("records the same file once, under another key too", async () => {
    const before = (await journalEvents(api, "stmt-csv")).length;
    const again = await upload("stmt-csv", CSV, csv(LINES));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ recorded: false, entries: [] });
    expect((await journalEvents(api, "stmt-csv")).length).toBe(before);
  });

  it("refuses a file with bad rows, listing each by row and column, and records nothing", async () => {
    const before = (await journalEvents(api, "stmt-bad")).length;
    const bad = csv([
      ...LINES.slice(0, 2),
      { ...(LINES[2] as Line), date: "2010-04-02" }, // row 4: outside the month
      LINES[3] as Line,
    ])
      .replace("2010/03/05", "2010-13-05") // row 2: no such date
      .replace('"12.50"', '"12.505"'); // row 5: a tenth of a fen
    const refused = await upload("stmt-bad", CSV, bad);
    expect(refused.status).toBe(422);
    const problem = await problemOf(refused);
    expect(problem).toMatchObject({ type: "/problems/bank-statement-rows-invalid", invalid: 3 });
    expect(problem.rows.map((issue: { row: number; column: string }) => [issue.row, issue.column])).toEqual([
      [2, "date"],
      [4, "date"],
      [5, "debit"],
    ]);
    const noHeader = await upload("stmt-bad", CSV, "when,how much\r\n2010-03-05,1.00\r\n");
    expect(noHeader.status).toBe(422);
    expect((await problemOf(noHeader)).rows.map((issue: { row: number }) => issue.row)).toEqual([1, 1]);
    const noFigures = await upload("stmt-bad", CSV, csv(LINES), "fundId=relief");
    expect(noFigures.status).toBe(400);
    expect((await problemOf(noFigures)).errors.map((error: { path: string }) => error.path)).toEqual([
      "query.period",
      "query.openingBalance",
      "query.closingBalance",
    ]);
    expect((await journalEvents(api, "stmt-bad")).length).toBe(before);
    const none = await api.send("GET", "/v1/books/stmt-bad/reconciliations/2010-03?fundId=relief", { token: auditor });
    expect(none.status).toBe(404);
  });
});
