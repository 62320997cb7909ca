import type { BeneficiaryKind, HardshipTier } from "@relief-ledger/core";

/**
 * A roster's columns (困难职工档案名册), in the template's order: each with its headers in Chinese
 * and English and the other spellings a roster may carry. A column not named here is ignored; a
 * required one missing from the header row is a bad row 1.
 */
export const ROSTER_COLUMNS = [
  { key: "id", zh: "受助人编号", en: "Beneficiary id", aliases: ["编号", "beneficiaryId"] },
  { key: "kind", zh: "类别", en: "Kind", aliases: ["受助人类别"], required: true },
  { key: "name", zh: "姓名", en: "Name", aliases: ["户主姓名"], required: true },
  { key: "idNumber", zh: "身份证号", en: "ID number", aliases: ["身份证号码", "公民身份号码"] },
  { key: "unit", zh: "单位", en: "Unit", aliases: ["单位编号", "unitId", "工作单位"] },
  { key: "household", zh: "所在家庭", en: "Household", aliases: ["家庭编号", "householdId"] },
  { key: "tier", zh: "困难类型", en: "Hardship tier", aliases: ["困难程度", "tier"] },
  { key: "cause", zh: "致困原因", en: "Cause", aliases: [] },
  { key: "openedOn", zh: "建档日期", en: "File opened", aliases: ["openedOn", "opened on"] },
  { key: "validUntil", zh: "有效期至", en: "Valid until", aliases: ["有效期", "validUntil"] },
  // The bank account (kept sealed in the registry, routes/bank-accounts.ts): all three or none.
  { key: "bank", zh: "开户行", en: "Bank", aliases: ["开户银行"] },
  { key: "accountName", zh: "户名", en: "Account name", aliases: ["账户名", "accountName"] },
  { key: "accountNumber", zh: "银行账号", en: "Account number", aliases: ["账号", "卡号", "accountNumber"] },
] as const satisfies readonly {
  key: string;
  zh: string;
  en: string;
  aliases: readonly string[];
  required?: boolean;
}[];

export type RosterColumn = (typeof ROSTER_COLUMNS)[number]["key"];

/** The file columns: all four or none (a row without them registers the beneficiary alone). */
export const FILE_COLUMNS = ["tier", "cause", "openedOn", "validUntil"] as const satisfies readonly RosterColumn[];

/** A header (or a word in a cell) as compared: width, case, spaces, underscores, dashes and brackets aside. */
export const squash = (text: string) =>
  text
    .normalize("NFKC")
    .replace(/[\s_\-()（）]/g, "")
    .toLowerCase();

/**
 * How a file's header names its columns, for a spreadsheet the office fills in (a roster, a bank
 * statement): by key, Chinese or English name, or another known spelling, widths and spaces aside.
 */
export function headerReader<K extends string>(
  columns: readonly {
    readonly key: K;
    readonly zh: string;
    readonly en: string;
    readonly aliases: readonly string[];
  }[],
): (header: string) => K | undefined {
  const headers = new Map<string, K>(
    columns.flatMap((column) =>
      [column.key, column.zh, column.en, ...column.aliases].map((name) => [squash(name), column.key] as const),
    ),
  );
  return (header) => headers.get(squash(header));
}

/** The column a header names, in either language or another known spelling. */
export const columnOf: (header: string) => RosterColumn | undefined = headerReader(ROSTER_COLUMNS);

/** The bank account's columns: all three or none. */
export const ACCOUNT_COLUMNS = ["bank", "accountName", "accountNumber"] as const satisfies readonly RosterColumn[];

/** Values of the kind and tier columns: the API's codes, or their Chinese names. */
export const KINDS: Readonly<Record<BeneficiaryKind, readonly [zh: string, ...others: string[]]>> = {
  household: ["困难家庭", "家庭", "户"],
  student: ["学生"],
  worker: ["职工", "困难职工"],
  "model-worker": ["劳模", "劳动模范"],
};

export const TIERS: Readonly<Record<HardshipTier, readonly [zh: string, ...others: string[]]>> = {
  deep: ["深度困难", "特困"],
  relative: ["相对困难", "一般困难"],
  accidental: ["意外致困", "突发困难", "临时困难"],
};

/** Reads a coded value (a kind, a tier) by its code or any of its names. */
export const codeOf = <C extends string>(
  table: Readonly<Record<C, readonly string[]>>,
  text: string,
): C | undefined => {
  const wanted = squash(text);
  for (const [code, names] of Object.entries(table) as [C, readonly string[]][]) {
    if (squash(code) === wanted || names.some((name) => squash(name) === wanted)) return code;
  }
  return undefined;
};
