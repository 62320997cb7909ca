import { describe, expect, it } from "vitest";
import { readIdempotencyRecord } from "./idempotency.ts";

const whole = {
  requestHash: { S: "f00d" },
  firstSeq: { N: "7" },
  lastSeq: { N: "9" },
  recordedAt: { S: "2026-01-05T08:00:00.000Z" },
};

describe("readIdempotencyRecord", () => {
  it("reads the fingerprint, the seqs it recorded as numbers, and when", () => {
    expect(readIdempotencyRecord(whole)).toEqual({
      requestHash: "f00d",
      firstSeq: 7,
      lastSeq: 9,
      recordedAt: "2026-01-05T08:00:00.000Z",
    });
  });

  it('reads a record kept before recordedAt was written as recorded at ""', () => {
    const { recordedAt: _, ...older } = whole;
    expect(readIdempotencyRecord(older).recordedAt).toBe("");
    expect(readIdempotencyRecord({ ...whole, recordedAt: { N: "1" } }).recordedAt).toBe("");
  });

  it.each(["requestHash", "firstSeq", "lastSeq"] as const)("refuses a record without %s", (field) => {
    const { [field]: _, ...missing } = whole;
    expect(() => readIdempotencyRecord(missing)).toThrow("malformed idempotency record");
  });

  it.each([
    ["requestHash", { N: "1" }],
    ["requestHash", { S: "" }],
    ["firstSeq", { S: "7" }],
    ["lastSeq", { S: "9" }],
  ] as const)("refuses a record whose %s is of another type or empty", (field, value) => {
    expect(() => readIdempotencyRecord({ ...whole, [field]: value })).toThrow("malformed idempotency record");
  });
});
