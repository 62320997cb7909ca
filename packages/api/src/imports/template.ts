import { CSV_BOM, csvHeader } from "../exports/csv.ts";
import { KINDS, ROSTER_COLUMNS, TIERS } from "./columns.ts";
import type { RosterLang } from "./messages.ts";

const headersIn = (lang: RosterLang) => ROSTER_COLUMNS.map((column) => column[lang]);

/** The empty roster as CSV: the BOM and the header row, as the exports write them. */
export const csvTemplate = (lang: RosterLang): string =>
  CSV_BOM + csvHeader(headersIn(lang).map((name) => ({ name, numeric: false })));

const NOTES: Readonly<Record<RosterLang, { sheet: string; notes: string; rows: readonly (readonly string[])[] }>> = {
  zh: {
    sheet: "名册",
    notes: "填写说明",
    rows: [
      ["列", "说明"],
      ["受助人编号", "可空：小写字母、数字、连字符；为空时由身份证号生成"],
      [
        "类别",
        Object.values(KINDS)
          .map((names) => names[0])
          .join("、"),
      ],
      ["身份证号", "18 位居民身份证号，以文本格式填写；只保存其密钥哈希"],
      ["单位 / 所在家庭", "账簿中单位的编号 / 本名册或账簿中家庭的受助人编号"],
      [
        "困难类型",
        Object.values(TIERS)
          .map((names) => names[0])
          .join("、"),
      ],
      ["建档日期 / 有效期至", "日期，YYYY-MM-DD；困难档案四列一并填写或都不填"],
      ["开户行 / 户名 / 银行账号", "可空：三列一并填写或都不填；账号以文本格式填写，加密保存，只进代发文件"],
    ],
  },
  en: {
    sheet: "Roster",
    notes: "Notes",
    rows: [
      ["Column", "What it holds"],
      ["Beneficiary id", "Optional: lower-case letters, digits, hyphens; made from the ID number when empty"],
      ["Kind", Object.keys(KINDS).join(", ")],
      ["ID number", "An 18-character resident ID number, as text; only its keyed hash is kept"],
      ["Unit / Household", "A unit's id in the book / a household's beneficiary id, in this roster or the book"],
      ["Hardship tier", Object.keys(TIERS).join(", ")],
      ["File opened / Valid until", "Dates, YYYY-MM-DD; the file's four columns together or none"],
      [
        "Bank / Account name / Account number",
        "Optional, the three together or none; the number as text, kept sealed, only ever in a disbursement file",
      ],
    ],
  },
};

/** The empty roster as XLSX: the header row on the first sheet (ID numbers as text, dates as dates), notes on the second. */
export async function xlsxTemplate(lang: RosterLang): Promise<Uint8Array<ArrayBuffer>> {
  const { Workbook } = (await import("exceljs")).default;
  const workbook = new Workbook();
  workbook.creator = "relief-ledger";
  const words = NOTES[lang];
  const sheet = workbook.addWorksheet(words.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = ROSTER_COLUMNS.map((column) => ({
    header: column[lang],
    key: column.key,
    width: column.key === "idNumber" || column.key === "cause" || column.key === "accountNumber" ? 22 : 14,
    // An 18-digit ID number (or a 19-digit card) typed into a number cell loses its last digits: the column is text.
    ...(column.key === "idNumber" || column.key === "accountNumber" ? { style: { numFmt: "@" } } : {}),
    ...(column.key === "openedOn" || column.key === "validUntil" ? { style: { numFmt: "yyyy-mm-dd" } } : {}),
  }));
  const notes = workbook.addWorksheet(words.notes);
  for (const row of words.rows) notes.addRow([...row]);
  notes.getColumn(1).width = 24;
  notes.getColumn(2).width = 80;
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as unknown as ArrayLike<number>);
}
