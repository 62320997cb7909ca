import { z } from "zod";
import { CURRENCIES, type CurrencyCode } from "../money.ts";

/** Where money comes from (经费来源): dues, the treasury's allocation, the upper level, … */
export const CollectionSource = z.enum(["dues", "allocation", "upper-subsidy", "government", "donation", "other"]);
export type CollectionSource = z.infer<typeof CollectionSource>;

export const UnitKind = z.enum(["member-unit", "grassroots-union", "enterprise", "government-agency", "other"]);
export type UnitKind = z.infer<typeof UnitKind>;

/** A keyed hash (HMAC-SHA256, hex) of a national ID number, made by the API: the number never reaches the ledger. */
export const IdNumberHash = z.string().regex(/^[0-9a-f]{64}$/);

/** A bank account number's keyed hash (HMAC-SHA256, hex), as the journal keeps it instead of the number. */
export const AccountHash = z.string().regex(/^[0-9a-f]{64}$/);
/** The last four digits of a bank account number: all an auditor needs to tell two accounts apart. */
export const AccountLast4 = z.string().regex(/^[0-9]{4}$/);

/**
 * Personal data sealed field by field (AES-256-GCM under a data key, store's data-key.ts): what the
 * registry keeps of a bank account. `key` names the data key (locally its fingerprint; in AWS the
 * data key as KMS encrypted it); each field has its own nonce and tag. Core never opens it.
 */
export const SealedFields = z.strictObject({
  v: z.literal(1),
  key: z.string().min(1).max(2000),
  fields: z.record(
    z.string().max(50),
    z.strictObject({ iv: z.string().max(100), data: z.string().max(2000), tag: z.string().max(100) }),
  ),
});
export type SealedFields = z.infer<typeof SealedFields>;

export const BeneficiaryKind = z.enum(["household", "student", "worker", "model-worker"]);
export type BeneficiaryKind = z.infer<typeof BeneficiaryKind>;

export const PaymentMethod = z.enum(["bank", "cash", "in-kind"]);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** 困难职工档案 tiers: deep hardship, relative hardship, sudden (accidental) hardship. */
export const HardshipTier = z.enum(["deep", "relative", "accidental"]);
export type HardshipTier = z.infer<typeof HardshipTier>;

/** The currency a book keeps: one of CURRENCIES. */
export const BookCurrency = z.enum(Object.keys(CURRENCIES) as [CurrencyCode]);

export const Text = (max: number) => z.string().trim().min(1).max(max);

/** An amount as the ledger writes it: a decimal string with the currency's digits, maybe signed. */
export const StoredAmount = z.string().regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/);

/** What a fund audit found wrong (审计发现): the kinds the committee's reports name. */
export const FindingCategory = z.enum([
  "banned-payment-form",
  "over-standard",
  "no-budget",
  "incomplete-vouchers",
  "unregistered-asset",
  "diverted-funds",
  "non-union-spending",
  "missing-receipt",
  "other",
]);
export type FindingCategory = z.infer<typeof FindingCategory>;

export const FindingSeverity = z.enum(["low", "medium", "high"]);
export type FindingSeverity = z.infer<typeof FindingSeverity>;

/** How a finding ends: closed (销号) after evidence, waived, or escalated to the level above. */
export const FindingOutcome = z.enum(["closed", "waived", "escalated"]);
export type FindingOutcome = z.infer<typeof FindingOutcome>;

/**
 * When a book's months close (月结): `auto` closes a month `afterDays` days after it ends (10: on
 * the 10th of the next month, once the bank statement is in), `manual` leaves it to the finance
 * office. Until then a month's figures are provisional; a book without a policy closes `auto` after 10.
 */
export const ClosePolicy = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("auto"), afterDays: z.int().min(0).max(60) }),
  z.strictObject({ mode: z.literal("manual") }),
]);
export type ClosePolicy = z.infer<typeof ClosePolicy>;

export const DEFAULT_CLOSE_POLICY: ClosePolicy = { mode: "auto", afterDays: 10 };

/** Which way money moved on a bank statement's line: into the fund's account, or out of it. */
export const BankDirection = z.enum(["in", "out"]);
export type BankDirection = z.infer<typeof BankDirection>;

/**
 * How a bank line was matched to a journal entry (对账): by the same reference and amount, or by
 * the same amount within the tolerance of days (packages/core/src/reconcile/match.ts).
 */
export const BankMatchRule = z.enum(["reference", "amount-date"]);
export type BankMatchRule = z.infer<typeof BankMatchRule>;
