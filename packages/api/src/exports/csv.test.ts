import { describe, expect, it } from "vitest";
import { csvCell, csvColumns, csvHeader, csvRow, csvTable } from "./csv.ts";

describe("a CSV text cell", () => {
  // OWASP's CSV-injection list: a spreadsheet runs any of these as a formula.
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["+1+1", "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+1", `"'\t=1+1"`],
    ["\r=1+1", `"'\r=1+1"`],
  ])("prefixes %j with a quote so that it stays text", (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it("prefixes text that merely looks like a number: a memo of -5 is not minus five", () => {
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell("-800.00")).toBe("'-800.00");
    expect(csvCell("+86 138")).toBe("'+86 138");
  });

  it("leaves ordinary text, and a minus inside it, alone", () => {
    expect(csvCell("春节慰问-001")).toBe("春节慰问-001");
    expect(csvCell("800.00")).toBe("800.00");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(null)).toBe("");
  });

  it("quotes a comma, a quote, a line break, a semicolon or a tab inside the text", () => {
    expect(csvCell('慰问品, "补签"')).toBe('"慰问品, ""补签"""');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("a;=1+1")).toBe('"a;=1+1"');
    expect(csvCell("a\t=1+1")).toBe('"a\t=1+1"');
  });
});

describe("a CSV numeric cell", () => {
  it("keeps a number as it is, negative or not, so that the spreadsheet sums it", () => {
    expect(csvCell("-800.00", true)).toBe("-800.00");
    expect(csvCell(-3, true)).toBe("-3");
    expect(csvCell(42, true)).toBe("42");
    expect(csvCell("1051100.00", true)).toBe("1051100.00");
  });

  it("treats anything else in a numeric column as text", () => {
    expect(csvCell("-2+3+cmd|' /C calc'!A0", true)).toBe("'-2+3+cmd|' /C calc'!A0");
    expect(csvCell("-1e5", true)).toBe("'-1e5");
    expect(csvCell("=1", true)).toBe("'=1");
    expect(csvCell("-", true)).toBe("'-");
  });
});

describe("a CSV row", () => {
  const columns = csvColumns(["seq", "memo", "amount"], ["seq", "amount"]);

  it("exempts only the cells of numeric columns", () => {
    expect(csvRow(columns, [7, "-5", "-5.00"])).toBe("7,'-5,-5.00\r\n");
    expect(csvRow(columns, ["-7", "-7", "-7"])).toBe("-7,'-7,-7\r\n");
  });

  it("treats cells past the columns as text", () => {
    expect(csvRow([], ["-5", 3])).toBe("'-5,3\r\n");
  });

  it("writes the header from the columns' names", () => {
    expect(csvHeader(columns)).toBe("seq,memo,amount\r\n");
    expect(columns.map((column) => column.numeric)).toEqual([true, false, true]);
  });
});

describe("a CSV table", () => {
  const sources = { id: "collections-by-source", rows: [{ source: "dues", amount: "-3.00" }] } as const;

  it("heads the table in the language asked for, in row 1, and keeps its figures numbers", () => {
    expect(csvTable(sources, "zh")).toBe("\uFEFF收入来源,金额\r\ndues,-3.00\r\n");
    expect(csvTable(sources, "en")).toBe("\uFEFFSource,Amount\r\ndues,-3.00\r\n");
  });

  it("writes a table's cells in its columns' order, whatever the row's key order", () => {
    const units = { id: "collections-by-unit", rows: [{ amount: "1.00", unitName: "=工会", unitId: "u" }] } as const;
    expect(csvTable(units, "en")).toBe("\uFEFFUnit id,Unit,Amount\r\nu,'=工会,1.00\r\n");
  });
});
