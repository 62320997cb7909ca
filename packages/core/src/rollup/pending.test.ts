import { describe, expect, it } from "vitest";
import { canonicalJson } from "../canonical.ts";
import type { Actor } from "../journal-event.ts";
import type { Command, CommandOf } from "../ledger/commands.ts";
import type { MemoryLedger } from "../ledger/memory-ledger.ts";
import { reservedIn } from "../ledger/proposal.ts";
import {
  generalFund,
  given,
  household,
  openBook,
  recorded,
  recordedOne,
  textileMill,
} from "../ledger/scenario.test-support.ts";
import { foldMonths, namesOf } from "./quarter.test-support.ts";
import { fundsReport, programmesReport } from "./reports.ts";
import type { Rollup } from "./rollup.ts";

// A proposal reserves money but is not money: the rollup counts only what was posted, and keeps
// what is still reserved at the month's end beside the fund's closing balance.

const CHAIR: Actor = { sub: "chair-zhang", role: "approver" };

const setup: Command[] = [
  openBook,
  generalFund,
  textileMill,
  {
    type: "open-program",
    programId: "longmen-village-aid",
    name: "三江镇龙门村挂包帮扶",
    fundId: "general",
    requiresHardshipFile: false,
    approvals: [{ over: "0.00", levels: 1 }],
    on: "2010-01-04",
  },
  { type: "record-collection", fundId: "general", source: "allocation", amount: "5000", receivedOn: "2010-01-08" },
  household("hh-wang-guilan", "王桂兰"),
  household("hh-li-deming", "李德明"),
  household("hh-gou-dayong", "苟大勇"),
];

const village = (beneficiaryId: string, amount: string, paidOn: string): CommandOf<"record-payout"> => ({
  type: "record-payout",
  programId: "longmen-village-aid",
  beneficiaryId,
  amount,
  paidOn,
});

/** Proposes on `today` and gives the proposal's id. */
const propose = (ledger: MemoryLedger, command: Command, today: string): number => {
  ledger.setToday(today);
  const made = recordedOne(ledger, command);
  expect(made.type).toBe("ProposalMade");
  return made.seq;
};

const decideOn = (ledger: MemoryLedger, today: string, command: Command) => {
  ledger.setToday(today);
  return recorded(ledger, command, CHAIR);
};

const MONTHS = ["2010-01", "2010-02", "2010-03", "2010-04"];

describe("a month's rollup with proposals", () => {
  it("counts only posted payouts in amount, person-times and distinct beneficiaries", () => {
    const ledger = given(...setup);
    const posted = propose(ledger, village("hh-wang-guilan", "300", "2010-03-05"), "2010-03-05");
    const rejected = propose(ledger, village("hh-li-deming", "200", "2010-03-06"), "2010-03-06");
    propose(ledger, village("hh-gou-dayong", "100", "2010-03-07"), "2010-03-07");
    decideOn(ledger, "2010-03-10", { type: "approve-proposal", proposalId: posted });
    decideOn(ledger, "2010-03-10", { type: "reject-proposal", proposalId: rejected, reason: "材料不全" });

    const [, , march] = foldMonths(ledger, MONTHS) as Rollup[];
    expect(march?.programs["longmen-village-aid"]).toMatchObject({
      paid: "300.00",
      payments: 1,
      beneficiaries: ["hh-wang-guilan"],
    });
    expect(march?.funds.general).toMatchObject({ payouts: { "longmen-village-aid": "300.00" }, closing: "4700.00" });

    const [line] = programmesReport(foldMonths(ledger, MONTHS), "CNY", namesOf(ledger));
    expect(line).toMatchObject({ amount: "300.00", personTimes: 1, distinctBeneficiaries: 1 });
  });

  it("keeps what is pending at the month's end, and the fund's reserved beside its closing balance", () => {
    const ledger = given(...setup);
    const id = propose(ledger, village("hh-wang-guilan", "800", "2010-03-05"), "2010-03-05");
    const [, , march, april] = foldMonths(ledger, MONTHS) as Rollup[];
    expect(march?.pending).toEqual({ [id]: { on: "2010-03-05", reserves: { general: "800.00" } } });
    expect(march?.funds.general).toMatchObject({ closing: "5000.00", reserved: "800.00" });
    // Still pending a month later: carried into April, which has no event of its own.
    expect(april?.events).toBe(0);
    expect(april?.funds.general).toMatchObject({ closing: "5000.00", reserved: "800.00" });
    expect(reservedIn(ledger.state, "general")).toBe(80_000n);
  });

  it("shows a proposal voided in a later month as reserved at the end of each month it was pending", () => {
    const ledger = given(...setup);
    const id = propose(ledger, village("hh-wang-guilan", "800", "2010-02-20"), "2010-02-20");
    decideOn(ledger, "2010-04-02", { type: "reject-proposal", proposalId: id, reason: "材料不全" });
    const [january, february, march, april] = foldMonths(ledger, MONTHS) as Rollup[];
    expect(january?.funds.general?.reserved).toBeUndefined();
    expect(february?.funds.general?.reserved).toBe("800.00");
    expect(march?.funds.general?.reserved).toBe("800.00");
    expect(april?.funds.general?.reserved).toBeUndefined();
    expect(april?.pending).toBeUndefined();
  });

  it("releases a proposal posted or voided within its month", () => {
    const ledger = given(...setup);
    const posted = propose(ledger, village("hh-wang-guilan", "300", "2010-03-05"), "2010-03-05");
    const withdrawn = propose(ledger, village("hh-li-deming", "200", "2010-03-06"), "2010-03-06");
    decideOn(ledger, "2010-03-20", { type: "approve-proposal", proposalId: posted });
    ledger.setToday("2010-03-21");
    recorded(ledger, { type: "withdraw-proposal", proposalId: withdrawn });
    const [, , march] = foldMonths(ledger, MONTHS) as Rollup[];
    expect(march?.pending).toBeUndefined();
    expect(march?.funds.general).not.toHaveProperty("reserved");
  });

  it("folds a month without proposals to the same members as before approvals existed", () => {
    // Closed months are folded again by verify and compared byte for byte: no new member may
    // appear in a month that has nothing reserved.
    const ledger = given(...setup, {
      type: "record-collection",
      fundId: "general",
      source: "allocation",
      amount: "100",
      receivedOn: "2010-03-01",
    });
    for (const rollup of foldMonths(ledger, MONTHS)) {
      expect(Object.keys(rollup).sort()).toEqual([
        "audit",
        "book",
        "collections",
        "corrections",
        "currency",
        "events",
        "firstSeq",
        "funds",
        "lastSeq",
        "period",
        "programs",
      ]);
      expect(canonicalJson(rollup)).not.toMatch(/reserved|pending/);
    }
  });
});

describe("the funds report", () => {
  it("names each fund's reserved and available at the range's end", () => {
    const ledger = given(...setup);
    propose(ledger, village("hh-wang-guilan", "800", "2010-02-20"), "2010-02-20");
    const [line] = fundsReport(foldMonths(ledger, MONTHS), "CNY", namesOf(ledger));
    expect(line).toMatchObject({ fundId: "general", closing: "5000.00", reserved: "800.00", available: "4200.00" });
    const [january] = fundsReport(foldMonths(ledger, ["2010-01"]), "CNY", namesOf(ledger));
    expect(january).toMatchObject({ closing: "5000.00", reserved: "0.00", available: "5000.00" });
  });
});
