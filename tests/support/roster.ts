import { csvCell } from "../../packages/api/src/exports/csv.ts";
import { residentId } from "./api.ts";

export const HEADER_EN = [
  "Beneficiary id",
  "Kind",
  "Name",
  "ID number",
  "Unit",
  "Household",
  "Hardship tier",
  "Cause",
  "File opened",
  "Valid until",
];
export const HEADER_ZH = [
  "受助人编号",
  "类别",
  "姓名",
  "身份证号",
  "单位",
  "所在家庭",
  "困难类型",
  "致困原因",
  "建档日期",
  "有效期至",
];

/** The roster's optional bank columns (all three or none), after the others in the template. */
export const BANK_HEADER_EN = ["Bank", "Account name", "Account number"];
export const BANK_HEADER_ZH = ["开户行", "户名", "银行账号"];

/** A distinct valid ID number per n (residentId varies 1,000 serials a birth date). */
export const idNumberOf = (n: number) => residentId(n % 1000, `19${60 + Math.floor(n / 1000)}0101`);

/**
 * Row n of a synthetic roster (its spreadsheet row is n + 2): a household with a hardship file,
 * every tenth a student of the household before it (no file), every seventh but a household of a
 * student without an id (made
 * from its ID number).
 */
export function rosterRow(n: number, unit = "zhongxin"): string[] {
  const student = n % 10 === 0 && n > 0;
  const id = n % 7 === 3 && n % 10 !== 9 ? "" : `r-${n}`;
  return [
    id,
    student ? "student" : "household",
    student ? `学生${n}` : `困难户${n}`,
    idNumberOf(n),
    unit,
    student ? `r-${n - 1}` : "",
    student ? "" : (["deep", "relative", "accidental"][n % 3] as string),
    student ? "" : "因病致困",
    student ? "" : "2009-03-01",
    student ? "" : "2011-02-28",
  ];
}

export const csvOf = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  `\uFEFF${[header, ...rows].map((cells) => cells.map((cell) => csvCell(cell)).join(",")).join("\r\n")}\r\n`;
