import { describe, expect, it } from "vitest";
import type { Actor, JournalEvent } from "../journal-event.ts";
import { createRollupFold, type Rollup } from "../rollup/rollup.ts";
import type { Command, CommandOf } from "./commands.ts";
import { readsOf } from "./decide.ts";
import type { MemoryLedger } from "./memory-ledger.ts";
import { reservedIn } from "./proposal.ts";
import {
  BOOK,
  expectDeclared,
  FINANCE,
  generalFund,
  given,
  hardshipFile,
  household,
  openBook,
  recorded,
  recordedOne,
  recordOf,
  refused,
  textileMill,
  warmthFund,
  winterWarmth,
} from "./scenario.test-support.ts";

// Maker-checker: given a book whose programme or book carries an approval policy, when money is
// asked for, then a proposal that reserves it; when approvers act, then the entry, or a void.

const CHAIR: Actor = { sub: "chair-zhang", role: "approver" };
const HEAD_OF_FINANCE: Actor = { sub: "head-li", role: "approver" };

/** Winter warmth under a policy: every payout needs one approval, one above 500.00 two. */
const POLICY = [
  { over: "0.00", levels: 1 },
  { over: "500.00", levels: 2 },
];

const setup: Command[] = [
  openBook,
  warmthFund,
  generalFund,
  textileMill,
  { ...winterWarmth, approvals: POLICY },
  {
    type: "open-program",
    programId: "longmen-village-aid",
    name: "三江镇龙门村挂包帮扶",
    fundId: "general",
    budget: "3000",
    requiresHardshipFile: false,
    approvals: [{ over: "0.00", levels: 1 }],
    on: "2010-03-01",
  },
  {
    type: "open-program",
    programId: "model-worker-condolence",
    name: "慰问劳模",
    fundId: "general",
    requiresHardshipFile: false,
    on: "2010-01-04",
  },
  { type: "record-collection", fundId: "warmth", source: "upper-subsidy", amount: "1000", receivedOn: "2010-01-08" },
  { type: "record-collection", fundId: "general", source: "allocation", amount: "5000", receivedOn: "2010-01-08" },
  household("hh-wang-guilan", "王桂兰"),
  household("hh-li-deming", "李德明"),
  hardshipFile("hh-wang-guilan"),
  hardshipFile("hh-li-deming"),
];

const warmth = (
  amount: string,
  beneficiaryId = "hh-wang-guilan",
  paidOn = "2010-12-01",
): CommandOf<"record-payout"> => ({
  type: "record-payout",
  programId: "winter-warmth",
  beneficiaryId,
  amount,
  paidOn,
  method: "cash",
});

const village = (amount: string, beneficiaryId = "hh-wang-guilan"): CommandOf<"record-payout"> => ({
  type: "record-payout",
  programId: "longmen-village-aid",
  beneficiaryId,
  amount,
  paidOn: "2010-06-15",
});

const approve = (proposalId: number): Command => ({ type: "approve-proposal", proposalId });
const reject = (proposalId: number): Command => ({ type: "reject-proposal", proposalId, reason: "材料不全" });
const withdraw = (proposalId: number): Command => ({ type: "withdraw-proposal", proposalId });

/** Proposes a payout and gives its proposal id. */
const propose = (ledger: MemoryLedger, command: Command, actor: Actor = FINANCE): number => {
  const made = recordedOne(ledger, command, actor);
  expect(made.type).toBe("ProposalMade");
  return made.payload.proposalId as number;
};

const reserved = (ledger: MemoryLedger, fundId: string) => reservedIn(ledger.state, fundId);
const balance = (ledger: MemoryLedger, fundId: string) => ledger.state.funds[fundId]?.balance;

describe("a payout under a programme's policy", () => {
  it("is paid at once, exactly as before, in a programme without a policy", () => {
    const ledger = given(...setup);
    const condolence: Command = {
      type: "record-payout",
      programId: "model-worker-condolence",
      beneficiaryId: "hh-li-deming",
      amount: "800",
      paidOn: "2010-12-01",
    };
    expect(recordedOne(ledger, condolence)).toMatchObject({ type: "PayoutRecorded", payload: { amount: "800.00" } });
    expect(balance(ledger, "general")).toBe(420_000n);
    expect(ledger.state.pending ?? {}).toEqual({});
  });

  it("records a proposal that reserves its amount and moves no money", () => {
    const ledger = given(...setup);
    const made = recordedOne(ledger, warmth("800"));
    expect(made).toMatchObject({
      type: "ProposalMade",
      occurredOn: "2010-12-01",
      payload: {
        proposalId: made.seq,
        kind: "payout",
        request: warmth("800"),
        proposer: "finance-office",
        needs: 2,
        amount: "800.00",
        reserves: [{ fundId: "warmth", amount: "800.00" }],
        madeOn: "2010-12-31",
        programId: "winter-warmth",
        beneficiaryId: "hh-wang-guilan",
      },
    });
    expect(made.payload).not.toHaveProperty("postings");
    expect(balance(ledger, "warmth")).toBe(100_000n);
    expect(reserved(ledger, "warmth")).toBe(80_000n);
    expect(ledger.state.programs["winter-warmth"]?.paid).toBe(0n);
    expect(recordOf(ledger, "hh-wang-guilan")?.totals).toEqual({});
    expect(recordOf(ledger, "hh-wang-guilan")?.pending).toEqual({
      "winter-warmth|2010": { count: 1, amount: "80000" },
    });
  });

  it("needs one approval up to the threshold and two above it", () => {
    const ledger = given(...setup, {
      type: "record-collection",
      fundId: "warmth",
      source: "upper-subsidy",
      amount: "1000",
      receivedOn: "2010-12-01",
    });
    expect(recordedOne(ledger, warmth("500")).payload.needs).toBe(1);
    expect(recordedOne(ledger, warmth("500.01", "hh-li-deming")).payload.needs).toBe(2);
  });

  it("refuses a payout that would take reserved money, naming balance, reserved and available", () => {
    const ledger = given(...setup);
    propose(ledger, warmth("800"));
    expect(refused(ledger, warmth("300", "hh-li-deming"))).toEqual({
      code: "fund-overdrawn",
      message:
        "fund warmth holds 1000.00, of which 800.00 is reserved by pending proposals (200.00 available); the entry needs 300.00",
      fundId: "warmth",
      balance: "1000.00",
      reserved: "800.00",
      available: "200.00",
      requested: "300.00",
    });
    // Money out of the fund another way is refused alike: a transfer cannot take it either.
    const transfer: Command = {
      type: "record-transfer",
      fromFundId: "warmth",
      toFundId: "general",
      amount: "300",
      on: "2010-12-01",
    };
    expect(refused(ledger, transfer)).toMatchObject({ code: "fund-overdrawn", available: "200.00" });
    expect(recordedOne(ledger, warmth("200", "hh-li-deming")).type).toBe("ProposalMade");
  });

  it("refuses a request under a policy exactly as without one, reserving nothing", () => {
    const ledger = given(...setup);
    expect(refused(ledger, warmth("1000.01"))).toMatchObject({ code: "cap-exceeded", cap: "per-payment" });
    expect(refused(ledger, { ...warmth("100"), beneficiaryId: "hh-nobody" })).toMatchObject({
      code: "beneficiary-not-found",
    });
    expect(ledger.state.pending ?? {}).toEqual({});
  });
});

describe("approving a proposal", () => {
  it("posts the payout at the approval that completes the policy, naming proposer and every approver", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("800"));
    expect(recordedOne(ledger, approve(id), CHAIR)).toMatchObject({
      type: "ProposalApproved",
      occurredOn: "2010-12-31",
      payload: { proposalId: id, approver: "chair-zhang", level: 1, needs: 2 },
    });
    expect(balance(ledger, "warmth")).toBe(100_000n);
    expect(refused(ledger, approve(id), CHAIR)).toMatchObject({ code: "already-approved", approver: "chair-zhang" });
    const posted = recordedOne(ledger, approve(id), HEAD_OF_FINANCE);
    expect(posted).toMatchObject({
      type: "PayoutRecorded",
      occurredOn: "2010-12-01",
      payload: {
        programId: "winter-warmth",
        fundId: "warmth",
        beneficiaryId: "hh-wang-guilan",
        amount: "800.00",
        method: "cash",
        proposal: {
          proposalId: id,
          proposer: "finance-office",
          approvers: ["chair-zhang", "head-li"],
          approvedOn: "2010-12-31",
        },
        postings: [
          { account: "fund:warmth", amount: "-800.00" },
          { account: "beneficiary:hh-wang-guilan", amount: "800.00" },
        ],
      },
    });
    expect(balance(ledger, "warmth")).toBe(20_000n);
    expect(reserved(ledger, "warmth")).toBe(0n);
    expect(ledger.state.programs["winter-warmth"]?.paid).toBe(80_000n);
    const record = recordOf(ledger, "hh-wang-guilan");
    expect(record?.totals).toEqual({ "winter-warmth|2010": { count: 1, amount: "80000" } });
    expect(record?.pending).toEqual({});
    expect(ledger.entities.get(`proposal/${id}`)).toMatchObject({
      status: "posted",
      approvals: [
        { by: "chair-zhang", on: "2010-12-31" },
        { by: "head-li", on: "2010-12-31" },
      ],
      posted: { seq: posted.seq, on: "2010-12-31" },
    });
  });

  it("refuses an approval by the one who proposed, whatever token they hold", () => {
    const ledger = given(...setup);
    const zhang: Actor = { sub: "chair-zhang", role: "finance" };
    const id = propose(ledger, warmth("300"), zhang);
    expect(refused(ledger, approve(id), CHAIR)).toMatchObject({
      code: "self-approval",
      proposalId: id,
      proposer: "chair-zhang",
    });
    expect(recordedOne(ledger, approve(id), HEAD_OF_FINANCE).type).toBe("PayoutRecorded");
  });

  it("refuses approvals and rejections by anyone but an approver", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("300"));
    for (const role of ["finance", "audit-committee", "auditor", "admin", "system"] as const) {
      const actor = { sub: `someone-${role}`, role };
      expect(refused(ledger, approve(id), actor)).toMatchObject({ code: "not-an-approver", role });
      expect(refused(ledger, reject(id), actor)).toMatchObject({ code: "not-an-approver", role });
    }
  });

  it("voids at the last approval a payout whose hardship file was closed meanwhile, and says why", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("300"));
    recorded(ledger, {
      type: "close-hardship-file",
      beneficiaryId: "hh-wang-guilan",
      closedOn: "2010-11-30",
      reason: "已脱困",
    });
    const [voided] = recorded(ledger, approve(id), CHAIR);
    expect(voided).toMatchObject({
      type: "ProposalVoided",
      payload: {
        proposalId: id,
        reason: "recheck-failed",
        by: "chair-zhang",
        refusal: { code: "hardship-file-required" },
        amount: "300.00",
        proposedOn: "2010-12-01",
      },
    });
    expect(ledger.answered).toMatchObject({ code: "hardship-file-required", beneficiaryId: "hh-wang-guilan" });
    // The API answers the approver with it, so the approval's route documents it.
    if (ledger.answered) expectDeclared(approve(id), ledger.answered);
    expect(reserved(ledger, "warmth")).toBe(0n);
    expect(balance(ledger, "warmth")).toBe(100_000n);
    expect(recordOf(ledger, "hh-wang-guilan")?.pending).toEqual({});
    expect(refused(ledger, approve(id), HEAD_OF_FINANCE)).toMatchObject({
      code: "proposal-not-pending",
      state: "voided",
    });
  });

  it("voids at the last approval a payout whose programme was closed meanwhile", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("300"));
    recorded(ledger, { type: "close-program", programId: "winter-warmth", reason: "活动结束" });
    expect(recordedOne(ledger, approve(id), CHAIR).payload).toMatchObject({
      reason: "recheck-failed",
      refusal: { code: "program-closed" },
    });
    expect(ledger.answered).toMatchObject({ code: "program-closed" });
    if (ledger.answered) expectDeclared(approve(id), ledger.answered);
    expect(ledger.state.pending).toEqual({});
  });

  it("re-checks with the proposal's own reservation released, so it does not stand in its own way", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("1000"));
    recordedOne(ledger, approve(id), CHAIR);
    expect(recordedOne(ledger, approve(id), HEAD_OF_FINANCE).type).toBe("PayoutRecorded");
    expect(balance(ledger, "warmth")).toBe(0n);
    expect(ledger.answered).toBeUndefined();
  });

  it("refuses to approve a proposal that does not exist", () => {
    const ledger = given(...setup);
    expect(refused(ledger, approve(999), CHAIR)).toMatchObject({ code: "proposal-not-found", proposalId: 999 });
  });
});

describe("voiding a proposal", () => {
  it("releases the reservation when an approver rejects it", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("800"));
    expect(recordedOne(ledger, reject(id), CHAIR)).toMatchObject({
      type: "ProposalVoided",
      payload: { proposalId: id, reason: "rejected", by: "chair-zhang", note: "材料不全" },
    });
    expect(reserved(ledger, "warmth")).toBe(0n);
    expect(recordOf(ledger, "hh-wang-guilan")?.pending).toEqual({});
    expect(refused(ledger, approve(id), HEAD_OF_FINANCE)).toMatchObject({ code: "proposal-not-pending" });
    expect(refused(ledger, reject(id), HEAD_OF_FINANCE)).toMatchObject({ code: "proposal-not-pending" });
    expect(recordedOne(ledger, warmth("1000", "hh-li-deming")).type).toBe("ProposalMade");
  });

  it("lets the proposer, and only the proposer, withdraw it", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("800"));
    const colleague: Actor = { sub: "clerk-chen", role: "finance" };
    expect(refused(ledger, withdraw(id), colleague)).toMatchObject({
      code: "not-the-proposer",
      proposer: "finance-office",
    });
    expect(refused(ledger, withdraw(id), CHAIR)).toMatchObject({ code: "not-the-proposer" });
    expect(recordedOne(ledger, withdraw(id))).toMatchObject({
      type: "ProposalVoided",
      payload: { proposalId: id, reason: "withdrawn", by: "finance-office" },
    });
    expect(reserved(ledger, "warmth")).toBe(0n);
    expect(refused(ledger, withdraw(id))).toMatchObject({ code: "proposal-not-pending" });
  });

  it("expires proposals older than the book's approvalTtlDays (30 by default), and no others", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("300"));
    ledger.setToday("2011-01-15");
    const later = propose(ledger, warmth("300", "hh-li-deming"));
    const expire: Command = { type: "expire-proposals" };
    ledger.setToday("2011-01-30");
    expect(recorded(ledger, expire)).toEqual([]);
    ledger.setToday("2011-01-31");
    expect(recorded(ledger, expire)).toMatchObject([
      { type: "ProposalVoided", occurredOn: "2011-01-31", payload: { proposalId: id, reason: "expired" } },
    ]);
    expect(Object.keys(ledger.state.pending ?? {})).toEqual([String(later)]);
    expect(reserved(ledger, "warmth")).toBe(30_000n);
    expect(recordOf(ledger, "hh-wang-guilan")?.pending).toEqual({});
  });

  it("expires after the days the book sets when it opens, or later with its policy", () => {
    const [, ...registry] = setup;
    for (const ledger of [
      given({ ...openBook, approvalTtlDays: 7 }, ...registry),
      given(...setup, { type: "set-approval-policy", approvals: [], approvalTtlDays: 7 }),
    ]) {
      const id = propose(ledger, warmth("300"));
      ledger.setToday("2011-01-07");
      expect(recorded(ledger, { type: "expire-proposals" })).toEqual([]);
      ledger.setToday("2011-01-08");
      expect(recorded(ledger, { type: "expire-proposals" })).toMatchObject([{ payload: { proposalId: id } }]);
    }
  });

  it("reads the proposal, then what its request reads, and for expiry the oldest pending and their payees", () => {
    const ledger = given(...setup);
    const id = propose(ledger, warmth("300"));
    const view = (ref: string) => ledger.entities.get(ref);
    expect(readsOf(approve(id), () => undefined, ledger.state)).toEqual([`proposal/${id}`]);
    expect(readsOf(approve(id), view, ledger.state)).toEqual([`proposal/${id}`, "beneficiary/hh-wang-guilan"]);
    expect(readsOf(reject(id), view, ledger.state)).toEqual([`proposal/${id}`, "beneficiary/hh-wang-guilan"]);
    expect(readsOf({ type: "expire-proposals" }, view, ledger.state)).toEqual([
      `proposal/${id}`,
      "beneficiary/hh-wang-guilan",
    ]);
  });
});

describe("limits count what is proposed", () => {
  it("counts pending proposals against a programme's budget", () => {
    const ledger = given(...setup);
    const id = propose(ledger, village("2000"));
    expect(refused(ledger, village("1500", "hh-li-deming"))).toEqual({
      code: "budget-exceeded",
      message:
        "programme longmen-village-aid has paid 0.00 of its 3000.00 budget and has 2000.00 proposed; 1500.00 would exceed it",
      programId: "longmen-village-aid",
      budget: "3000.00",
      paid: "0.00",
      reserved: "2000.00",
      requested: "1500.00",
    });
    recorded(ledger, reject(id), CHAIR);
    expect(recordedOne(ledger, village("1500", "hh-li-deming")).type).toBe("ProposalMade");
  });

  it("counts pending proposals against a beneficiary's yearly caps", () => {
    // Winter warmth pays each household at most twice a year.
    const ledger = given(...setup);
    const first = propose(ledger, warmth("100"));
    propose(ledger, warmth("100"));
    expect(refused(ledger, warmth("100"))).toMatchObject({ code: "cap-exceeded", cap: "per-year-count" });
    recorded(ledger, withdraw(first));
    expect(recordedOne(ledger, warmth("100")).type).toBe("ProposalMade");
  });
});

describe("closing a month with proposals pending", () => {
  const rollupOf = (ledger: MemoryLedger, period: string): Rollup => {
    const fold = createRollupFold(BOOK, period, "CNY", {});
    for (const event of ledger.events) {
      if (event.type !== "PeriodClosed" && event.occurredOn.startsWith(period)) fold.add(event);
    }
    return fold.result();
  };

  it("refuses to close a month while a proposal dated in it is pending, naming it", () => {
    const ledger = given(...setup);
    const id = propose(ledger, { ...village("100"), paidOn: "2010-03-15" });
    recorded(ledger, { type: "close-period", period: "2010-01", rollup: rollupOf(ledger, "2010-01") });
    recorded(ledger, { type: "close-period", period: "2010-02", rollup: rollupOf(ledger, "2010-02") });
    const march: Command = { type: "close-period", period: "2010-03", rollup: rollupOf(ledger, "2010-03") };
    expect(refused(ledger, march)).toMatchObject({ code: "proposals-pending", period: "2010-03", proposalIds: [id] });
    recorded(ledger, approve(id), CHAIR);
    recorded(ledger, { type: "close-period", period: "2010-03", rollup: rollupOf(ledger, "2010-03") });
    expect(ledger.state.closedThrough).toBe("2010-03");
  });
});

describe("transfers and reversals under the book's policy", () => {
  const book: CommandOf<"open-book"> = { ...openBook, approvals: [{ over: "10000.00", levels: 1 }] };
  const bookSetup: Command[] = [
    book,
    warmthFund,
    generalFund,
    { type: "record-collection", fundId: "general", source: "allocation", amount: "50000", receivedOn: "2010-01-08" },
  ];
  const transfer = (amount: string): Command => ({
    type: "record-transfer",
    fromFundId: "general",
    toFundId: "warmth",
    amount,
    on: "2010-12-01",
  });

  it("records a transfer within the threshold at once and proposes one above it", () => {
    const ledger = given(...bookSetup);
    expect(recordedOne(ledger, transfer("10000")).type).toBe("TransferRecorded");
    const made = recordedOne(ledger, transfer("20000"));
    expect(made).toMatchObject({
      type: "ProposalMade",
      payload: { kind: "transfer", needs: 1, reserves: [{ fundId: "general", amount: "20000.00" }] },
    });
    expect(made.payload).not.toHaveProperty("programId");
    expect(refused(ledger, transfer("20000.01"))).toMatchObject({ code: "fund-overdrawn", available: "20000.00" });
    expect(recordedOne(ledger, approve(made.seq), CHAIR)).toMatchObject({
      type: "TransferRecorded",
      occurredOn: "2010-12-01",
      payload: { amount: "20000.00", proposal: { proposalId: made.seq, approvers: ["chair-zhang"] } },
    });
    expect(balance(ledger, "general")).toBe(2_000_000n);
    expect(balance(ledger, "warmth")).toBe(3_000_000n);
  });

  it("proposes the reversal of a collection, reserving what it takes back, and posts it with its undo mark", () => {
    const ledger = given(...bookSetup);
    const reversal: Command = { type: "reverse-entry", seq: 4, reason: "重复入账", on: "2010-12-01" };
    const made = recordedOne(ledger, reversal);
    expect(made).toMatchObject({
      type: "ProposalMade",
      payload: { kind: "reversal", request: reversal, reserves: [{ fundId: "general", amount: "50000.00" }] },
    });
    expect(ledger.entities.has("undo/4")).toBe(false);
    expect(recordedOne(ledger, approve(made.seq), HEAD_OF_FINANCE)).toMatchObject({
      type: "EntryReversed",
      payload: { entrySeq: 4, proposal: { proposalId: made.seq, approvers: ["head-li"] } },
    });
    expect(balance(ledger, "general")).toBe(0n);
    expect(ledger.entities.get("undo/4")).toMatchObject({ undoneBy: "reversed" });
  });

  it("dates a proposed reversal the day it was asked for, not the day it is approved", () => {
    const ledger = given(...bookSetup);
    ledger.setToday("2010-12-20");
    const made = recordedOne(ledger, { type: "reverse-entry", seq: 4, reason: "重复入账" });
    expect(made.payload.request).toMatchObject({ on: "2010-12-20" });
    ledger.setToday("2010-12-31");
    expect(recordedOne(ledger, approve(made.seq), CHAIR).occurredOn).toBe("2010-12-20");
  });
});

describe("changing a policy", () => {
  it("applies to proposals made after it; those made before keep the approvals they need", () => {
    const ledger = given(...setup);
    const before = propose(ledger, warmth("300"));
    recordedOne(ledger, {
      type: "set-approval-policy",
      programId: "winter-warmth",
      approvals: [{ over: "0", levels: 2 }],
    });
    const after = recordedOne(ledger, warmth("300", "hh-li-deming"));
    expect(after.payload.needs).toBe(2);
    expect(recordedOne(ledger, approve(before), CHAIR).type).toBe("PayoutRecorded");
    expect(recordedOne(ledger, approve(after.seq), CHAIR).type).toBe("ProposalApproved");
  });

  it("lets money move at once again when the policy is emptied", () => {
    const ledger = given(...setup, { type: "set-approval-policy", programId: "winter-warmth", approvals: [] });
    expect(recordedOne(ledger, warmth("300")).type).toBe("PayoutRecorded");
  });

  it("holds a programme without a policy of its own to the book's as it is now, and one with an empty one to none", () => {
    const ledger = given(
      { ...openBook, approvals: [{ over: "100.00", levels: 1 }] },
      generalFund,
      textileMill,
      { type: "record-collection", fundId: "general", source: "allocation", amount: "5000", receivedOn: "2010-01-08" },
      household("hh-wang-guilan", "王桂兰"),
      {
        type: "open-program",
        programId: "inherits",
        name: "慰问",
        fundId: "general",
        requiresHardshipFile: false,
        on: "2010-01-04",
      },
      {
        type: "open-program",
        programId: "exempt",
        name: "慰问",
        fundId: "general",
        requiresHardshipFile: false,
        approvals: [],
        on: "2010-01-04",
      },
    );
    const payout = (programId: string, amount: string): Command => ({
      type: "record-payout",
      programId,
      beneficiaryId: "hh-wang-guilan",
      amount,
      paidOn: "2010-02-01",
    });
    expect(recordedOne(ledger, payout("inherits", "100")).type).toBe("PayoutRecorded");
    expect(recordedOne(ledger, payout("inherits", "100.01")).type).toBe("ProposalMade");
    expect(recordedOne(ledger, payout("exempt", "900")).type).toBe("PayoutRecorded");
    // The book's policy emptied: the programme that follows it pays at once.
    recordedOne(ledger, { type: "set-approval-policy", approvals: [] });
    expect(recordedOne(ledger, payout("inherits", "200")).type).toBe("PayoutRecorded");
    // Its own policy, once set, is its own: the book's no longer holds it.
    recordedOne(ledger, { type: "set-approval-policy", approvals: [{ over: "0", levels: 1 }] });
    recordedOne(ledger, { type: "set-approval-policy", programId: "inherits", approvals: [] });
    expect(recordedOne(ledger, payout("inherits", "300")).type).toBe("PayoutRecorded");
    expect(recordedOne(ledger, payout("exempt", "300")).type).toBe("PayoutRecorded");
  });

  it("refuses a policy for a programme the book does not have, or with a malformed threshold", () => {
    const ledger = given(...setup);
    expect(refused(ledger, { type: "set-approval-policy", programId: "nope", approvals: [] })).toMatchObject({
      code: "program-not-found",
    });
    expect(refused(ledger, { type: "set-approval-policy", approvals: [{ over: "1.234", levels: 1 }] })).toMatchObject({
      code: "invalid-amount",
      field: "approvals.0.over",
    });
  });
});

describe("reports count only posted money", () => {
  const proposalEvents = new Set(["ProposalMade", "ProposalApproved", "ProposalVoided", "ApprovalPolicySet"]);
  const rollup = (events: readonly JournalEvent[], period: string) => {
    const fold = createRollupFold(BOOK, period, "CNY", {});
    for (const event of events) if (event.occurredOn.startsWith(period)) fold.add(event);
    return fold.result();
  };
  /** The money figures: what is still reserved at the month's end is kept beside them, not in them. */
  const figures = (events: readonly JournalEvent[], period: string) => {
    const {
      events: _count,
      firstSeq: _first,
      lastSeq: _last,
      pending: _pending,
      funds,
      ...rest
    } = rollup(events, period);
    const money = Object.entries(funds).map(([id, { reserved: _reserved, ...fund }]) => [id, fund]);
    return { ...rest, funds: Object.fromEntries(money) };
  };

  it("folds the same figures from a book with proposals as from its posted events alone", () => {
    const ledger = given(...setup);
    const posted = propose(ledger, warmth("800"));
    recorded(ledger, approve(posted), CHAIR);
    recorded(ledger, approve(posted), HEAD_OF_FINANCE);
    const rejected = propose(ledger, warmth("100", "hh-li-deming"));
    recorded(ledger, reject(rejected), CHAIR);
    const pending = propose(ledger, warmth("100", "hh-li-deming"));
    const alone = ledger.events.filter((event) => !proposalEvents.has(event.type));
    for (const period of ["2010-01", "2010-12"]) expect(figures(ledger.events, period)).toEqual(figures(alone, period));
    expect(figures(ledger.events, "2010-12").programs["winter-warmth"]).toMatchObject({
      paid: "800.00",
      payments: 1,
      beneficiaries: ["hh-wang-guilan"],
    });
    const december = rollup(ledger.events, "2010-12");
    expect(december.funds.warmth?.reserved).toBe("100.00");
    expect(december.pending).toEqual({ [pending]: { on: "2010-12-01", reserves: { warmth: "100.00" } } });
  });
});

/** A chunk of the winter batch: lines as [payee, amount], numbered from 0. */
const chunk = (lines: [string, string][], batchAmount?: string): CommandOf<"record-payout-chunk"> => ({
  type: "record-payout-chunk",
  batchId: "winter-2010",
  programId: "winter-warmth",
  paidOn: "2010-12-01",
  method: "cash",
  chunk: 0,
  firstLine: 0,
  totalLines: lines.length,
  lines: lines.map(([beneficiaryId, amount]) => ({ beneficiaryId, amount })),
  ...(batchAmount ? { batchAmount } : {}),
});

/** Li Deming's hardship file closed before the batch is approved. */
const liFindsWork: Command = {
  type: "close-hardship-file",
  beneficiaryId: "hh-li-deming",
  closedOn: "2010-11-30",
  reason: "已再就业",
};

describe("a batch under a programme's policy", () => {
  it("is proposed chunk by chunk: the lines that pass are held back, those refused are listed", () => {
    const ledger = given(...setup);
    const made = recordedOne(
      ledger,
      chunk(
        [
          ["hh-wang-guilan", "300"],
          ["hh-li-deming", "200"],
          ["hh-nobody", "100"],
        ],
        "600",
      ),
    );
    expect(made).toMatchObject({
      type: "ProposalMade",
      occurredOn: "2010-12-01",
      payload: {
        kind: "batch",
        batchId: "winter-2010",
        programId: "winter-warmth",
        // The policy is applied to what the whole batch asks for: above 500.00, two approvals.
        needs: 2,
        amount: "500.00",
        reserves: [{ fundId: "warmth", amount: "500.00" }],
        lines: [
          { line: 0, beneficiaryId: "hh-wang-guilan", amount: "300.00" },
          { line: 1, beneficiaryId: "hh-li-deming", amount: "200.00" },
        ],
        refused: [{ line: 2, code: "beneficiary-not-found" }],
        request: { lines: [{ line: 0 }, { line: 1 }], recordIfAllRefused: true },
      },
    });
    expect(reserved(ledger, "warmth")).toBe(50_000n);
    expect(balance(ledger, "warmth")).toBe(100_000n);
    expect(recordOf(ledger, "hh-wang-guilan")?.pending).toEqual({
      "winter-warmth|2010": { count: 1, amount: "30000" },
    });
    expect(recordOf(ledger, "hh-li-deming")?.pending).toEqual({ "winter-warmth|2010": { count: 1, amount: "20000" } });
  });

  it("is posted whole by the approval that completes the policy, every entry naming the proposal", () => {
    const ledger = given(...setup);
    const id = propose(
      ledger,
      chunk(
        [
          ["hh-wang-guilan", "300"],
          ["hh-li-deming", "200"],
        ],
        "500",
      ),
    );
    const events = recorded(ledger, approve(id), CHAIR);
    expect(events.map((event) => event.type)).toEqual(["PayoutRecorded", "PayoutRecorded", "PayoutBatchChunkRecorded"]);
    for (const event of events) {
      expect(event.payload.proposal).toMatchObject({
        proposalId: id,
        proposer: "finance-office",
        approvers: ["chair-zhang"],
      });
    }
    expect(events[2]?.payload).toMatchObject({ recorded: 2, refused: [] });
    expect(events[2]?.payload.unpaid).toBeUndefined();
    expect(balance(ledger, "warmth")).toBe(50_000n);
    expect(reserved(ledger, "warmth")).toBe(0n);
    expect(ledger.state.pending ?? {}).toEqual({});
    expect(recordOf(ledger, "hh-li-deming")).toMatchObject({
      pending: {},
      totals: { "winter-warmth|2010": { count: 1, amount: "20000" } },
    });
    expect(ledger.entities.get(`proposal/${id}`)).toMatchObject({
      status: "posted",
      approvals: [{ by: "chair-zhang" }],
      posted: { seq: events[0]?.seq },
    });
  });

  it("does not pay a line that no longer passes at approval, lists it, and releases its reservation", () => {
    const ledger = given(...setup);
    const id = propose(
      ledger,
      chunk(
        [
          ["hh-wang-guilan", "300"],
          ["hh-li-deming", "200"],
        ],
        "500",
      ),
    );
    recordedOne(ledger, liFindsWork);
    const [paid, summary] = recorded(ledger, approve(id), CHAIR);
    expect(paid).toMatchObject({ type: "PayoutRecorded", payload: { beneficiaryId: "hh-wang-guilan", line: 0 } });
    expect(summary).toMatchObject({
      type: "PayoutBatchChunkRecorded",
      payload: {
        recorded: 1,
        refused: [{ line: 1, code: "hardship-file-required" }],
        unpaid: [{ line: 1, beneficiaryId: "hh-li-deming", amount: "200.00" }],
      },
    });
    expect(recordOf(ledger, "hh-li-deming")?.pending).toEqual({});
    expect(recordOf(ledger, "hh-li-deming")?.totals).toEqual({});
    expect(balance(ledger, "warmth")).toBe(70_000n);
    expect(reserved(ledger, "warmth")).toBe(0n);
  });

  it("posts a chunk none of whose lines passes any more as its refusals, releasing everything", () => {
    const ledger = given(...setup);
    const id = propose(ledger, chunk([["hh-li-deming", "200"]]));
    recordedOne(ledger, liFindsWork);
    expect(recordedOne(ledger, approve(id), CHAIR)).toMatchObject({
      type: "PayoutBatchChunkRecorded",
      payload: { recorded: 0, unpaid: [{ line: 0, beneficiaryId: "hh-li-deming" }], proposal: { proposalId: id } },
    });
    expect(ledger.state.pending ?? {}).toEqual({});
    expect(recordOf(ledger, "hh-li-deming")?.pending).toEqual({});
    expect(ledger.entities.get(`proposal/${id}`)).toMatchObject({ status: "posted" });
  });

  it("releases every line's reservation when rejected, withdrawn or expired", () => {
    const ledger = given(...setup);
    const lines: [string, string][] = [
      ["hh-wang-guilan", "300"],
      ["hh-li-deming", "200"],
    ];
    const first = propose(ledger, chunk(lines));
    expect(recordedOne(ledger, reject(first), CHAIR)).toMatchObject({
      type: "ProposalVoided",
      payload: { reason: "rejected", batchId: "winter-2010", lines: [{ line: 0 }, { line: 1 }] },
    });
    const second = propose(ledger, chunk(lines));
    recordedOne(ledger, withdraw(second));
    propose(ledger, chunk(lines));
    ledger.setToday("2011-02-15");
    expect(recorded(ledger, { type: "expire-proposals" }, { sub: "system", role: "system" })).toHaveLength(1);
    expect(reserved(ledger, "warmth")).toBe(0n);
    expect(recordOf(ledger, "hh-wang-guilan")?.pending).toEqual({});
    expect(recordOf(ledger, "hh-li-deming")?.pending).toEqual({});
  });

  it("counts its lines against caps and the fund with what other proposals hold", () => {
    const ledger = given(...setup);
    // One payout to Wang Guilan pending (of her two a year), 800.00 of the fund's 1,000.00 held.
    propose(ledger, warmth("800"));
    const made = recordedOne(
      ledger,
      chunk([
        ["hh-wang-guilan", "100"],
        ["hh-wang-guilan", "100"],
        ["hh-li-deming", "150"],
      ]),
    );
    expect(made.payload).toMatchObject({
      lines: [{ line: 0, beneficiaryId: "hh-wang-guilan" }],
      refused: [
        { line: 1, code: "cap-exceeded" },
        { line: 2, code: "fund-overdrawn" },
      ],
    });
    // Her two are spoken for: a third proposal is refused.
    expect(refused(ledger, warmth("10"))).toMatchObject({ code: "cap-exceeded" });
  });
});
