import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { COLUMNS, LANGS } from "./columns.ts";
import { type ExportTable, TABLES } from "./tables.ts";
import { sheetName, xlsxCell, xlsxStream, xlsxWorkbook } from "./xlsx.ts";

const read = async (bytes: Uint8Array) => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
};

describe("an XLSX cell", () => {
  it("makes an amount a number from its exact decimal string, formatted 0.00", () => {
    expect(xlsxCell("amount", "1051100.00")).toEqual({ value: 1051100, numFmt: "0.00" });
    expect(xlsxCell("amount", "-800.05")).toEqual({ value: -800.05, numFmt: "0.00" });
    expect(xlsxCell("decimal", "83.33")).toEqual({ value: 83.33, numFmt: "0.00" });
    expect(xlsxCell("integer", 42)).toEqual({ value: 42, numFmt: "0" });
  });

  it("keeps as text a figure a double would change, and anything that is not a number", () => {
    // 17 significant digits: the nearest double is 1234567890123456.8, so it stays the string it was.
    expect(xlsxCell("amount", "12345678901234567.89")).toEqual({ value: "12345678901234567.89" });
    expect(xlsxCell("amount", "-2+3+cmd|' /C calc'!A0")).toEqual({ value: "-2+3+cmd|' /C calc'!A0" });
    expect(xlsxCell("integer", "1.5")).toEqual({ value: "1.5" });
    expect(xlsxCell("amount", "1e5")).toEqual({ value: "1e5" });
  });

  it("makes a business date a date at midnight UTC, and a recorded instant a date and time", () => {
    expect(xlsxCell("date", "2010-03-01")).toEqual({ value: new Date("2010-03-01T00:00:00Z"), numFmt: "yyyy-mm-dd" });
    expect(xlsxCell("date", "2010-02-30")).toEqual({ value: "2010-02-30" });
    expect(xlsxCell("timestamp", "2010-03-01T04:05:06.789Z")).toEqual({
      value: new Date("2010-03-01T04:05:06.789Z"),
      numFmt: "yyyy-mm-dd hh:mm:ss",
    });
  });

  it("writes text as text, whatever it starts with, and nothing for no value", () => {
    expect(xlsxCell("text", '=HYPERLINK("http://x")')).toEqual({ value: '=HYPERLINK("http://x")' });
    expect(xlsxCell("text", 7)).toEqual({ value: "7" });
    expect(xlsxCell("boolean", true)).toEqual({ value: true });
    expect(xlsxCell("amount", null)).toEqual({ value: null });
    expect(xlsxCell("date", undefined)).toEqual({ value: null });
  });
});

describe("sheet and column names", () => {
  it("names every table, in every language, as Excel allows a sheet to be named", () => {
    for (const table of Object.values(TABLES)) {
      for (const lang of LANGS) {
        expect(sheetName(table[lang])).toBe(table[lang]);
        expect(table[lang].length).toBeLessThanOrEqual(31);
      }
    }
    expect(sheetName("a/b:c?[d]*'")).toBe("a b c  d");
    expect(sheetName("x".repeat(40))).toHaveLength(31);
  });

  it("heads a table's columns differently in each language and never twice alike", () => {
    for (const table of Object.values(TABLES)) {
      for (const lang of LANGS) {
        const names = table.columns.map((column) => COLUMNS[column][lang]);
        expect(new Set(names).size).toBe(names.length);
      }
    }
  });
});

describe("an XLSX workbook", () => {
  const programmes: ExportTable = {
    id: "programmes",
    rows: [
      {
        programId: "winter",
        programName: "=送温暖",
        fundId: "relief",
        amount: "1051100.00",
        personTimes: 1300,
        distinctBeneficiaries: 1290,
        averagePerPayout: "808.54",
        budget: null,
        executionPercent: null,
        reversedCount: 0,
        reversedAmount: "0.00",
        returnedCount: 1,
        returnedAmount: "-12.30",
      },
    ],
  };

  it("holds a sheet per table, named and headed in the language, the header frozen", async () => {
    const workbook = await read(await xlsxWorkbook([programmes, { id: "audit", rows: [] }], "zh"));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["项目", "审计进度"]);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.views).toEqual([expect.objectContaining({ state: "frozen", ySplit: 1 })]);
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(["项目编号", "项目名称", "资金编号"]);
    const amount = sheet.getCell("D2");
    expect(amount.value).toBe(1051100);
    expect(amount.numFmt).toBe("0.00");
    expect(sheet.getCell("M2").value).toBe(-12.3);
    // A name that starts like a formula is text, with no formula behind it.
    expect(sheet.getCell("B2").type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell("B2").value).toBe("=送温暖");
    expect(sheet.getCell("B2").formula).toBeUndefined();
    expect(sheet.getCell("H2").value).toBeNull();
  });
});

/** Rows of hashes: text a zip cannot shrink much, so that the file grows with every page. */
function* hashRows(page: number, size: number) {
  for (let n = 0; n < size; n += 1) {
    const hash = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");
    yield { seq: page * size + n + 1, type: "PayoutRecorded", occurredOn: "2010-03-01", amount: "1.00", hash };
  }
}

describe("a streamed XLSX workbook", () => {
  const PAGES = 30;
  const SIZE = 50;

  /** A page source that counts the pages read, each after a turn of the event loop (as a query would). */
  function source() {
    const state = { read: 0, returned: false };
    async function* pages() {
      try {
        for (let page = 0; page < PAGES; page += 1) {
          await new Promise((resolve) => setImmediate(resolve));
          state.read += 1;
          yield [...hashRows(page, SIZE)];
        }
      } finally {
        state.returned = true;
      }
    }
    return { state, pages: pages() };
  }

  /** Waits until the count of pages read has stood still for a while: the writer is waiting, or done. */
  async function settled(state: { read: number }) {
    let last = -1;
    let still = 0;
    while (still < 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      still = state.read === last ? still + 1 : 0;
      last = state.read;
    }
    return state.read;
  }

  it("reads no further page while the client does not take what was written", async () => {
    const { state, pages } = source();
    const body = xlsxStream("entries", "en", pages, 8 * 1024);
    const reader = body.getReader();
    const first = await reader.read();
    expect(await settled(state)).toBeLessThan(PAGES / 2);
    const chunks = [first.value as Uint8Array];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(state.read).toBe(PAGES);
    const sheet = (await read(Buffer.concat(chunks))).worksheets[0];
    expect(sheet?.rowCount).toBe(1 + PAGES * SIZE);
    expect(sheet?.getCell(`A${1 + PAGES * SIZE}`).value).toBe(PAGES * SIZE);
  });

  it("stops reading pages when the client goes away", async () => {
    const { state, pages } = source();
    const reader = xlsxStream("entries", "en", pages, 8 * 1024).getReader();
    await reader.read();
    await reader.cancel();
    await settled(state);
    expect(state.returned).toBe(true);
    expect(state.read).toBeLessThan(PAGES);
  });
});
