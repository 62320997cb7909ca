import { EventPayloads } from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import {
  FIELD_LABELS,
  fieldLabel,
  fieldsOf,
  hasFieldLabel,
  inSchemaOrder,
  MONEY_FIELDS,
  payloadFields,
} from "./fields.ts";

const CJK = /\p{Script=Han}/u;

describe("the names of payload fields", () => {
  it("has a Chinese and an English name for every field of every event's payload, nested fields included", () => {
    const fields = new Set(payloadFields().map(([key]) => key));
    // The walk reaches inside optional fields, arrays, nested objects and unions (a proposal's request).
    for (const nested of ["perPayment", "perBeneficiaryPerYear", "count", "from", "to", "code", "account", "paidOn"])
      expect(fields, nested).toContain(nested);
    const missing = [...fields].filter((key) => !hasFieldLabel(key));
    expect(missing).toEqual([]);
    for (const key of fields) {
      expect(fieldLabel("zh-CN", key), key).toMatch(CJK);
      expect(fieldLabel("en", key), key).not.toMatch(CJK);
    }
  });

  it("labels no field that no event has, so the table says exactly what the journal holds", () => {
    const fields = new Set(payloadFields().map(([key]) => key));
    expect(Object.keys(FIELD_LABELS).filter((key) => !fields.has(key))).toEqual([]);
  });

  it("finds each event's own fields in its schema", () => {
    expect([...fieldsOf(EventPayloads.PayoutReturned)].map(([key]) => key)).toEqual([
      "entrySeq",
      "entryOccurredOn",
      "reason",
      "programId",
      "beneficiaryId",
      "amount",
      "postings",
      "account",
      "amount",
    ]);
  });

  it("knows the amounts by their schema, so every stored amount is shown as yuan", () => {
    expect([...MONEY_FIELDS].sort()).toEqual(
      [
        "amount",
        "amountInQuestion",
        "amountReclassified",
        "amountRecovered",
        "budget",
        "over",
        "perPayment",
        "openingBalance",
        "closingBalance",
        "totalIn",
        "totalOut",
      ].sort(),
    );
  });

  it("lists a payload's fields in the order its schema declares them, unknown ones last", () => {
    // The journal stores them in canonical (alphabetical) order.
    expect(
      inSchemaOrder("PayoutReturned", ["amount", "beneficiaryId", "entrySeq", "later", "postings", "reason"]),
    ).toEqual(["entrySeq", "reason", "beneficiaryId", "amount", "postings", "later"]);
    expect(inSchemaOrder("SomethingNew", ["b", "a"])).toEqual(["b", "a"]);
  });
});
