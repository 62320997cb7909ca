import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { poster } from "./support/books.ts";
import {
  BANK_HEADER_EN,
  BANK_HEADER_ZH,
  csvOf,
  HEADER_EN,
  HEADER_ZH,
  idNumberOf,
  rosterRow,
} from "./support/roster.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOOK = "roster-xlsx";
const base = `/v1/books/${BOOK}`;

let api: Api;
let finance: string;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  const ok = poster(api, { admin: await api.token("admin"), finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/units`, { id: "zhongxin", name: "中心纺织厂", kind: "enterprise" });
});

/** Posts a file as the finance office; `lang` sets Accept-Language. */
async function upload(
  body: Uint8Array | string,
  type: string,
  options: { key?: string; lang?: string; query?: string } = {},
) {
  const response = await api.app.request(`${base}/beneficiary-imports${options.query ?? ""}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${finance}`,
      "content-type": type,
      "idempotency-key": options.key ?? crypto.randomUUID(),
      ...(options.lang ? { "accept-language": options.lang } : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function workbookOf(header: readonly string[], rows: readonly (readonly (string | Date)[])[]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("名册");
  sheet.addRow([...header]);
  for (const row of rows) sheet.addRow([...row]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const headSeq = async () => (await api.journal.head(BOOK)).seq;

describe("importing a roster as XLSX, in Chinese", () => {
  it("lists bad rows in Chinese under Accept-Language zh and records nothing; then imports the good roster", async () => {
    const good = Array.from({ length: 30 }, (_, n) => {
      const row: (string | Date)[] = rosterRow(n);
      // Chinese values, and the file's dates as date cells where Excel has them.
      row[1] = row[1] === "student" ? "学生" : "困难家庭";
      if (row[6] === "deep") row[6] = "深度困难";
      if (row[8]) row[8] = new Date(Date.UTC(2009, 2, 1));
      return row;
    });
    const bad = [...good];
    bad[4] = [...(good[4] as string[])];
    (bad[4] as (string | Date)[])[1] = "工人";
    bad[7] = [...(good[7] as string[])];
    (bad[7] as (string | Date)[])[3] = "511902197013010011";
    const before = await headSeq();
    const refused = await upload(await workbookOf(HEADER_ZH, bad), XLSX, { lang: "zh-CN,zh;q=0.9" });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.json.type).toBe("/problems/import-invalid");
    expect(refused.json.rows.map((row: { row: number; column: string }) => [row.row, row.column])).toEqual([
      [6, "kind"],
      [9, "idNumber"],
    ]);
    expect(refused.json.rows[0].header).toBe("类别");
    expect(refused.json.rows[0].message).toContain("困难家庭");
    expect(refused.json.rows[1].message).toContain("身份证号");
    expect(await headSeq()).toBe(before);

    const done = await upload(await workbookOf(HEADER_ZH, good), XLSX, { lang: "zh" });
    expect(done.status).toBe(201);
    expect(done.json).toMatchObject({ rows: 30, registered: 30, filesOpened: 28, skipped: 0, refused: [] });
    const student = await api.send("GET", `${base}/beneficiaries/r-20`, { token: finance });
    expect(student.json).toMatchObject({ kind: "student", householdId: "r-19", idNumberOnFile: true });
    const household = await api.send("GET", `${base}/beneficiaries/r-0`, { token: finance });
    expect(household.json.hardshipFiles).toEqual([
      { tier: "deep", cause: "因病致困", openedOn: "2009-03-01", validUntil: "2011-02-28" },
    ]);
  });

  it("hands out a template whose headers follow the language, and a filled-in template imports", async () => {
    const zh = await api.app.request(`${base}/beneficiary-imports/template?format=xlsx`, {
      headers: { authorization: `Bearer ${finance}`, "accept-language": "zh-CN" },
    });
    expect(zh.status).toBe(200);
    expect(zh.headers.get("content-type")).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await zh.arrayBuffer());
    const [roster, notes] = workbook.worksheets;
    if (!roster || !notes) throw new Error("the template has a roster and a notes sheet");
    expect((roster.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADER_ZH, ...BANK_HEADER_ZH]);
    expect(JSON.stringify(notes.getSheetValues())).toContain("深度困难");
    roster.addRow([
      "",
      "劳模",
      "张劳模",
      idNumberOf(9001),
      "zhongxin",
      "",
      "相对困难",
      "工伤",
      "2010-02-01",
      "2010-12-31",
    ]);
    const filled = await upload(new Uint8Array(await workbook.xlsx.writeBuffer()), XLSX);
    expect(filled.status).toBe(201);
    expect(filled.json).toMatchObject({ rows: 1, registered: 1, filesOpened: 1 });

    const csv = await api.send("GET", `${base}/beneficiary-imports/template?format=csv&lang=en`, { token: finance });
    expect(csv.text).toBe(`\uFEFF${[...HEADER_EN, ...BANK_HEADER_EN].join(",")}\r\n`);
    const again = await upload(csv.text + csvOf([], [rosterRow(9002)]).replace(/^\uFEFF\r\n/, ""), "text/csv");
    expect(again.status).toBe(201);
    expect(again.json).toMatchObject({ rows: 1, registered: 1 });
  });

  it("refuses a body that is neither CSV nor XLSX with 415, and a roster without a required column", async () => {
    expect((await upload("{}", "application/json")).status).toBe(415);
    const missing = await upload(csvOf(["姓名"], [["张三"]]), "text/csv", { lang: "en" });
    expect(missing.status).toBe(422);
    expect(missing.json.rows).toMatchObject([{ row: 1, column: "kind", code: "missing-column" }]);
  });
});
