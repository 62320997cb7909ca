import {
  BeneficiaryKind,
  CollectionSource,
  EventPayloads,
  FindingCategory,
  FindingOutcome,
  FindingSeverity,
  HardshipTier,
  PaymentMethod,
  ProposalKind,
  Role,
  StoredPosting,
  UnitKind,
  VoidReason,
} from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_KINDS,
  accountKindLabel,
  EVENT_TYPES,
  eventLabel,
  isAccountKind,
  ROLES,
  roleLabel,
  TERMS,
  term,
} from "./terms.ts";

const CJK = /\p{Script=Han}/u;

/** Both words given, the Chinese one in Chinese characters, and neither just the value itself. */
const expectWords = (words: readonly string[] | undefined, value: string) => {
  expect(words, value).toHaveLength(2);
  const [zh = "", en = ""] = words ?? [];
  expect(zh, value).toMatch(CJK);
  expect(en.trim(), value).not.toBe("");
  expect(en, value).not.toMatch(CJK);
};

describe("the dashboard's words for the ledger's own values", () => {
  it("names every event type of the core in Chinese and English", () => {
    for (const type of Object.keys(EventPayloads)) {
      expectWords(EVENT_TYPES[type as keyof typeof EVENT_TYPES], type);
      expect(eventLabel("zh-CN", type)).not.toBe(type);
    }
    expect(Object.keys(EVENT_TYPES).sort()).toEqual(Object.keys(EventPayloads).sort());
    expect(eventLabel("zh-CN", "PayoutRecorded")).toBe("资金发放");
    expect(eventLabel("en", "PayoutRecorded")).toBe("Payout");
  });

  it("translates every value of every vocabulary the core defines, and the finding statuses", () => {
    const vocabularies = {
      CollectionSource,
      UnitKind,
      BeneficiaryKind,
      PaymentMethod,
      HardshipTier,
      FindingCategory,
      FindingSeverity,
      FindingOutcome,
      ProposalKind,
      VoidReason,
    };
    for (const [name, vocabulary] of Object.entries(vocabularies))
      for (const value of vocabulary.options) {
        expectWords(TERMS[value], `${name}.${value}`);
        expect(term("zh-CN", value), `${name}.${value}`).toMatch(CJK);
      }
    for (const status of ["open", "plan-submitted", "evidence-submitted", "resolved", "pending", "posted", "voided"])
      expect(term("zh-CN", status)).toMatch(CJK);
  });

  it("names every role a token or an actor may have", () => {
    for (const role of Role.options) {
      expectWords(ROLES[role], role);
      expect(roleLabel("zh-CN", role)).toMatch(CJK);
    }
    expect(roleLabel("zh-CN", "audit-committee")).toBe("经审会");
  });

  it("names every kind of account the core's postings may name, read from the posting schema itself", () => {
    // StoredPosting's account pattern, ^(fund|source|…):…, is what the journal accepts.
    const pattern = (StoredPosting.shape.account.def.checks ?? [])
      .map((check) => (check._zod.def as { pattern?: RegExp }).pattern)
      .find((found) => found !== undefined);
    const kinds = /^\^\(([^)]+)\):/.exec(pattern?.source ?? "")?.[1]?.split("|") ?? [];
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) {
      expect(isAccountKind(kind), kind).toBe(true);
      if (isAccountKind(kind)) expectWords(ACCOUNT_KINDS[kind], kind);
    }
    expect(Object.keys(ACCOUNT_KINDS).sort()).toEqual([...kinds].sort());
    expect(accountKindLabel("zh-CN", "fund")).toBe("资金");
  });

  it("shows a value it does not know as it came, rather than inventing words", () => {
    expect(eventLabel("zh-CN", "SomethingNew")).toBe("SomethingNew");
    expect(term("en", "unheard-of")).toBe("unheard-of");
    expect(roleLabel("zh-CN", "visitor")).toBe("visitor");
  });
});
