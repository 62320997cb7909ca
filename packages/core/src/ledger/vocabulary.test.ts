import { describe, expect, it } from "vitest";
import {
  BeneficiaryRegistered,
  CollectionRecorded,
  EntryReversed,
  PayoutRecorded,
  PayoutReturned,
  TransferRecorded,
} from "./events.ts";
import { CollectionSource, FindingCategory, StoredAmount, Text, UnitKind } from "./vocabulary.ts";

// The words the ledger's events and the API's requests are written in.

describe("the ledger's vocabulary", () => {
  it("takes every source of money the federation's accounts name", () => {
    for (const source of ["dues", "allocation", "upper-subsidy", "government", "donation", "other"]) {
      expect(CollectionSource.safeParse(source).success, source).toBe(true);
    }
    expect(CollectionSource.safeParse("").success).toBe(false);
  });

  it("takes every kind of unit and every kind of audit finding", () => {
    for (const kind of ["member-unit", "grassroots-union", "enterprise", "government-agency", "other"]) {
      expect(UnitKind.safeParse(kind).success, kind).toBe(true);
    }
    const categories = [
      "banned-payment-form",
      "over-standard",
      "no-budget",
      "incomplete-vouchers",
      "unregistered-asset",
      "diverted-funds",
      "non-union-spending",
      "missing-receipt",
      "other",
    ];
    for (const category of categories) expect(FindingCategory.safeParse(category).success, category).toBe(true);
  });

  it("trims a text, and refuses one that is blank or longer than its limit", () => {
    expect(Text(5).parse("  互助  ")).toBe("互助");
    expect(Text(5).safeParse("   ").success).toBe(false);
    expect(Text(5).safeParse("123456").success).toBe(false);
  });

  it("writes an amount as a plain decimal, maybe signed, nothing before or after it", () => {
    for (const amount of ["0", "800.00", "-800.00", "1051100.5"])
      expect(StoredAmount.safeParse(amount).success).toBe(true);
    for (const amount of ["012", "+5", "1e3", "¥800.00", "800.", " 8"]) {
      expect(StoredAmount.safeParse(amount).success, amount).toBe(false);
    }
  });
});

describe("event payloads", () => {
  it("keeps an ID number only as a 64-digit lowercase hex hash", () => {
    const registration = { beneficiaryId: "hh-li", kind: "household", name: "李德明" };
    expect(BeneficiaryRegistered.safeParse({ ...registration, idNumberHash: "a".repeat(64) }).success).toBe(true);
    expect(BeneficiaryRegistered.safeParse({ ...registration, idNumberHash: `x${"a".repeat(64)}` }).success).toBe(
      false,
    );
    expect(BeneficiaryRegistered.safeParse({ ...registration, idNumberHash: "A".repeat(64) }).success).toBe(false);
    expect(BeneficiaryRegistered.safeParse({ ...registration, idNumberHash: "a".repeat(65) }).success).toBe(false);
  });

  it("refuses a money event with fewer than two postings", () => {
    const one = [{ account: "fund:warmth", amount: "800.00" }];
    const undo = { entrySeq: 3, entryOccurredOn: "2010-01-20", reason: "录入错误", amount: "800.00" };
    const payloads: [string, { safeParse: (value: unknown) => { success: boolean } }, Record<string, unknown>][] = [
      ["CollectionRecorded", CollectionRecorded, { fundId: "warmth", source: "dues", amount: "800.00" }],
      [
        "PayoutRecorded",
        PayoutRecorded,
        { programId: "winter-warmth", fundId: "warmth", beneficiaryId: "hh-li", amount: "800.00" },
      ],
      ["TransferRecorded", TransferRecorded, { fromFundId: "general", toFundId: "warmth", amount: "800.00" }],
      ["EntryReversed", EntryReversed, { ...undo, entryType: "CollectionRecorded" }],
      ["PayoutReturned", PayoutReturned, { ...undo, programId: "winter-warmth", beneficiaryId: "hh-li" }],
    ];
    const three = [
      ...one,
      { account: "source:dues", amount: "-300.00" },
      { account: "source:dues", amount: "-500.00" },
    ];
    for (const [type, schema, payload] of payloads) {
      expect(schema.safeParse({ ...payload, postings: one }).success, type).toBe(false);
      expect(schema.safeParse({ ...payload, postings: three }).success, type).toBe(true);
    }
  });
});
