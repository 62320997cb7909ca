import { describe, expect, it } from "vitest";
// Through the package's entry: the ledger's modules load in the order it gives them.
import { RESULT_CHUNK_FAILED, RESULT_CHUNK_LINES } from "../index.ts";
import type { JournalEvent } from "../journal-event.ts";
import type { BankResultsRecorded } from "../ledger/events.ts";
import { genericLayout } from "./generic.ts";
import type { BankResultRow } from "./layout.ts";
import { bankLines, chunked, planResults } from "./plan.ts";

const payout = (seq: number, line: number, extra: Record<string, unknown> = {}): JournalEvent =>
  ({
    seq,
    type: "PayoutRecorded",
    occurredOn: "2010-12-20",
    payload: { batchId: "b", line, beneficiaryId: `hh-${line}`, amount: "100.00", method: "bank", ...extra },
  }) as unknown as JournalEvent;

const row = (n: number, status: "paid" | "failed", extra: Partial<BankResultRow> = {}): BankResultRow => ({
  row: n + 2,
  line: n,
  amount: "100.00",
  note: "",
  status,
  reason: status === "failed" ? "账户已销户" : "",
  ...extra,
});

describe("a disbursement file's lines", () => {
  it("lists the payouts paid by bank and still standing, the reference as the note or the batch and line", () => {
    const payouts = [
      payout(10, 0, { reference: "SNW-0" }),
      payout(11, 1),
      payout(12, 2, { method: "cash" }),
      payout(13, 3),
    ];
    expect(bankLines("b", payouts, new Set([13]))).toEqual([
      { seq: 10, line: 0, beneficiaryId: "hh-0", amount: "100.00", note: "SNW-0" },
      { seq: 11, line: 1, beneficiaryId: "hh-1", amount: "100.00", note: "b/1" },
    ]);
  });
});

describe("a result file's rows", () => {
  const payouts = [payout(10, 0), payout(11, 1), payout(12, 2)];

  it("matches each row to its payout by line, and lists, never guesses, one that disagrees", () => {
    const rows = [
      row(0, "paid"),
      row(1, "failed", { amount: "99.00" }),
      row(2, "paid", { note: "其他" }),
      row(7, "paid"),
      row(0, "failed"),
    ];
    const { planned, unmatched } = planResults(rows, "b", payouts, [], "f".repeat(64));
    expect(planned.map(({ seq }) => seq)).toEqual([10]);
    expect(unmatched).toEqual([
      { row: 3, line: 1, code: "amount-differs" },
      { row: 4, line: 2, code: "note-differs" },
      { row: 9, line: 7, code: "no-payout" },
      { row: 2, line: 0, code: "duplicate-line" },
    ]);
  });

  it("lists a paid line another file settled already, and plans the lines of this same file again", () => {
    const earlier = (fileHash: string): BankResultsRecorded => ({
      batchId: "b",
      fileHash,
      chunk: 0,
      paid: [{ line: 0, seq: 10 }],
      returned: [],
      skippedLines: [],
    });
    const other = planResults([row(0, "paid")], "b", payouts, [earlier("a".repeat(64))], "f".repeat(64));
    expect(other).toMatchObject({ planned: [], alreadySettled: [{ row: 2, line: 0, seq: 10 }] });
    const same = planResults([row(0, "paid")], "b", payouts, [earlier("f".repeat(64))], "f".repeat(64));
    expect(same.planned).toHaveLength(1);
  });

  it("chunks so that each chunk is one transaction: at most 32 failed lines and 500 lines", () => {
    const many = (count: number, status: "paid" | "failed") =>
      Array.from({ length: count }, (_, n) => ({ row: row(n, status), seq: n + 1 }));
    expect(chunked(many(70, "failed")).map((chunk) => chunk.length)).toEqual([32, 32, 6]);
    expect(chunked(many(1200, "paid")).map((chunk) => chunk.length)).toEqual([500, 500, 200]);
    expect(RESULT_CHUNK_FAILED * 3 + 3).toBeLessThanOrEqual(100);
    expect(RESULT_CHUNK_LINES).toBe(500);
    expect(chunked([])).toEqual([]);
  });
});

describe("the generic layout's result file", () => {
  it("reads its columns by header, in Chinese or English, and names every cell it cannot read", () => {
    const read = genericLayout.readResults({
      header: ["line", "Amount", "note", "Status", "reason"],
      rows: [
        { row: 2, cells: ["0", 100, "SNW-0", "success", ""] },
        { row: 3, cells: ["1", "100.5", "", "失败", ""] },
        { row: 4, cells: ["x", "1.001", "", "maybe", ""] },
      ],
    });
    expect(read.rows).toEqual([
      { row: 2, line: 0, amount: "100.00", note: "SNW-0", status: "paid", reason: "" },
      { row: 3, line: 1, amount: "100.50", note: "", status: "failed", reason: "returned by the bank" },
    ]);
    expect(read.invalid.map(({ row, column }) => `${row}:${column}`)).toEqual(["4:line", "4:amount", "4:status"]);
    expect(genericLayout.readResults({ header: ["户名"], rows: [] }).invalid.map(({ column }) => column)).toEqual([
      "line",
      "amount",
      "status",
    ]);
  });
});
