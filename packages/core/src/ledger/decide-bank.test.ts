import { describe, expect, it } from "vitest";
import type { CommandOf } from "./commands.ts";
import { bankAccountRef } from "./decide-bank.ts";
import {
  accepted,
  decideOn,
  given,
  hardshipFile,
  household,
  openBook,
  recorded,
  refused,
  textileMill,
  warmthFund,
  winterWarmth,
} from "./scenario.test-support.ts";

// Given these commands, when a bank command, then these events (or this error).

const sealed = { v: 1, key: "local:abc", fields: { accountNumber: { iv: "aa", data: "bb", tag: "cc" } } } as const;
const setAccount = (beneficiaryId: string): CommandOf<"set-bank-account"> => ({
  type: "set-bank-account",
  beneficiaryId,
  last4: "1234",
  accountHash: "a".repeat(64),
  sealed,
  on: "2010-02-01",
});

const funded = () =>
  given(
    openBook,
    warmthFund,
    textileMill,
    winterWarmth,
    household("hh-a", "张某"),
    hardshipFile("hh-a"),
    household("hh-b", "李某"),
    hardshipFile("hh-b"),
    {
      type: "record-collection",
      fundId: "warmth",
      source: "upper-subsidy",
      amount: "5000.00",
      receivedOn: "2010-01-20",
    },
    {
      type: "record-payout-chunk",
      batchId: "winter-1",
      programId: "winter-warmth",
      paidOn: "2010-01-25",
      method: "bank",
      chunk: 0,
      firstLine: 0,
      totalLines: 2,
      lines: [
        { beneficiaryId: "hh-a", amount: "500.00" },
        { beneficiaryId: "hh-b", amount: "600.00" },
      ],
    },
  );

describe("a beneficiary's bank account", () => {
  it("journals the last four digits and the keyed hash, and keeps the sealed account in the registry", () => {
    const ledger = given(openBook, textileMill, household("hh-a", "张某"));
    const [event] = recorded(ledger, setAccount("hh-a"));
    expect(event).toMatchObject({
      type: "BankAccountSet",
      payload: { beneficiaryId: "hh-a", last4: "1234", accountHash: "a".repeat(64) },
    });
    expect(JSON.stringify(event?.payload)).not.toContain("bb");
    expect(ledger.entities.get(bankAccountRef("hh-a"))).toMatchObject({ sealed, last4: "1234" });
  });

  it("refuses an account for a beneficiary who is not on file", () => {
    expect(refused(given(openBook), setAccount("nobody")).code).toBe("beneficiary-not-found");
  });

  it("erases the sealed account, keeping nothing of it in the registry, and refuses to erase twice", () => {
    const ledger = given(openBook, textileMill, household("hh-a", "张某"), setAccount("hh-a"));
    const erase: CommandOf<"erase-bank-account"> = { type: "erase-bank-account", beneficiaryId: "hh-a" };
    const [event] = recorded(ledger, erase);
    expect(event).toMatchObject({ type: "BankAccountErased", payload: { beneficiaryId: "hh-a" } });
    expect(JSON.stringify(ledger.entities.get(bankAccountRef("hh-a")))).not.toContain("sealed");
    expect(refused(ledger, erase).code).toBe("bank-account-not-found");
  });
});

describe("a bank's result file", () => {
  const results = (
    failed: { line: number; seq: number; reason: string }[],
    paid: { line: number; seq: number }[],
  ): CommandOf<"record-bank-results-chunk"> => ({
    type: "record-bank-results-chunk",
    batchId: "winter-1",
    fileHash: "f".repeat(64),
    chunk: 0,
    returnedOn: "2010-01-28",
    failed,
    paid,
  });
  const payoutSeqs = (ledger: ReturnType<typeof funded>) =>
    ledger.events.filter((event) => event.type === "PayoutRecorded").map((event) => event.seq);

  it("returns each failed line to its fund and lists the paid ones as settled", () => {
    const ledger = funded();
    const [a, b] = payoutSeqs(ledger) as [number, number];
    const events = recorded(ledger, results([{ line: 0, seq: a, reason: "账户已销户" }], [{ line: 1, seq: b }]));
    expect(events.map((event) => event.type)).toEqual(["PayoutReturned", "BankResultsRecorded"]);
    expect(events[0]?.payload).toMatchObject({ entrySeq: a, beneficiaryId: "hh-a", amount: "500.00" });
    expect(events[1]?.payload).toEqual({
      batchId: "winter-1",
      fileHash: "f".repeat(64),
      chunk: 0,
      paid: [{ line: 1, seq: b }],
      returned: [{ line: 0, seq: a }],
      skippedLines: [],
    });
  });

  it("skips a failed line whose payout was returned already, rather than returning it twice", () => {
    const ledger = funded();
    const [a] = payoutSeqs(ledger) as [number];
    recorded(ledger, results([{ line: 0, seq: a, reason: "户名不符" }], []));
    const again = accepted(decideOn(ledger, results([{ line: 0, seq: a, reason: "户名不符" }], [])));
    expect(again.events.map((event) => event.type)).toEqual(["BankResultsRecorded"]);
    expect(again.events[0]?.payload).toMatchObject({
      returned: [],
      skippedLines: [{ line: 0, seq: a, code: "entry-already-undone" }],
    });
  });

  it("skips a failed line that names an entry of no payout of the batch", () => {
    const ledger = funded();
    const decision = accepted(decideOn(ledger, results([{ line: 0, seq: 1, reason: "x" }], [])));
    expect(decision.events[0]?.payload).toMatchObject({ skippedLines: [{ line: 0, seq: 1, code: "not-in-batch" }] });
  });

  it("refuses a result dated in the future", () => {
    const ledger = funded();
    expect(refused(ledger, { ...results([], []), returnedOn: "2011-01-05" }).code).toBe("future-date");
  });
});
