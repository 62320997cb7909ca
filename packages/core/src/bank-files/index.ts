import { genericLayout } from "./generic.ts";
import type { BankLayout } from "./layout.ts";

export * from "./account.ts";
export * from "./files.ts";
export { genericLayout } from "./generic.ts";
export * from "./layout.ts";
export * from "./plan.ts";

/**
 * Every layout a disbursement file may be written in, by id. A bank's own layout is one module
 * beside generic.ts (its header, its row, how it reads its result file), added here.
 */
export const BANK_LAYOUTS: Readonly<Record<string, BankLayout>> = { generic: genericLayout };
