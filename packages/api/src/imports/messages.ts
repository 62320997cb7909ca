import type { RosterColumn } from "./columns.ts";

export type RosterLang = "zh" | "en";

/**
 * Why a row of a roster is not valid, in the clerk's language: a stable code, and a template over
 * the row's facts ({header}, {value}, {row}, {limit}). One table, so a code without both texts
 * does not compile.
 */
const MESSAGES = {
  "missing-column": ["缺少必填列“{header}”。", 'The required column "{header}" is missing.'],
  required: ["“{header}”不能为空。", '"{header}" must not be empty.'],
  "too-long": ["“{header}”不能超过 {limit} 个字符。", '"{header}" must be at most {limit} characters.'],
  "invalid-id": [
    "“{header}”只能由小写字母、数字和连字符组成，并以字母或数字开头。",
    '"{header}" may hold lower-case letters, digits and hyphens, starting with a letter or digit.',
  ],
  "invalid-kind": [
    "“{header}”须为 困难家庭、学生、职工 或 劳模（或 household、student、worker、model-worker）。",
    '"{header}" must be household, student, worker or model-worker.',
  ],
  "invalid-tier": [
    "“{header}”须为 深度困难、相对困难 或 意外致困（或 deep、relative、accidental）。",
    '"{header}" must be deep, relative or accidental.',
  ],
  "invalid-id-number": [
    "“{header}”不是有效的 18 位居民身份证号（请以文本格式填写）。",
    '"{header}" is not a valid 18-character resident ID number (enter it as text).',
  ],
  "id-or-id-number": ["受助人编号与身份证号至少填写一项。", "A row needs a beneficiary id or an ID number."],
  "invalid-date": ["“{header}”须为日期，写作 YYYY-MM-DD。", '"{header}" must be a date written YYYY-MM-DD.'],
  "date-order": ["“{header}”早于建档日期。", '"{header}" is before the date the file was opened.'],
  "file-incomplete": [
    "困难档案的类型、原因、建档日期和有效期须一并填写，或都不填。",
    "A hardship file needs its tier, cause, opening date and valid-until date together, or none of them.",
  ],
  "duplicate-id": ["受助人编号与第 {row} 行重复。", "The beneficiary id repeats row {row}."],
  "duplicate-id-number": ["身份证号与第 {row} 行重复。", "The ID number repeats row {row}."],
  "account-incomplete": [
    "银行账户的开户行、户名和账号须一并填写，或都不填。",
    "A bank account needs its bank, account name and account number together, or none of them.",
  ],
  "invalid-account-number": [
    "“{header}”须为 8 至 30 位数字（请以文本格式填写）。",
    '"{header}" must be 8 to 30 digits (enter it as text).',
  ],
  "household-self": ["所在家庭不能是本人。", "A beneficiary cannot be their own household."],
  "household-cycle": [
    "所在家庭形成循环（家庭又属于其成员）。",
    "The households form a circle (a household belongs to its own member).",
  ],
} as const satisfies Record<string, readonly [zh: string, en: string]>;

export type RowProblemCode = keyof typeof MESSAGES;

/** Why a row (or the header, row 1) is not valid: where, a stable code, and the message in the reader's language. */
export type RowProblem = {
  readonly row: number;
  readonly column: RosterColumn;
  readonly code: RowProblemCode;
  readonly facts?: Readonly<Record<string, string | number>>;
};

export const rowMessage = (problem: RowProblem, lang: RosterLang, header: string): string =>
  MESSAGES[problem.code][lang === "zh" ? 0 : 1].replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "header" ? header : String(problem.facts?.[name] ?? ""),
  );

/** What a refused row's code says, in Chinese (the API's own messages are English). */
const REFUSALS: Readonly<Record<string, string>> = {
  "beneficiary-exists": "该受助人编号已在册，但身份证号不同。",
  "id-number-registered": "该身份证号已登记为另一受助人。",
  "unit-not-found": "账簿中没有该单位。",
  "beneficiary-not-found": "所在家庭既不在账簿中，也不在名册的前面各行。",
  "future-date": "建档日期晚于今天。",
  "invalid-date-range": "有效期早于建档日期。",
};

export const refusalMessage = (code: string, message: string, lang: RosterLang): string =>
  lang === "zh" ? (REFUSALS[code] ?? message) : message;

/** zh for a Chinese Accept-Language (or `?lang=zh`), English otherwise. */
export const rosterLang = (lang: string | undefined, acceptLanguage: string | undefined): RosterLang => {
  if (lang === "zh" || lang === "en") return lang;
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh" : "en";
};
