import { type Command, CURRENCIES, formatAmount, type Minor, parseAmount } from "@relief-ledger/core";
import type { MoneyOut } from "./approvals.ts";
import { PROGRAMS } from "./catalog.ts";
import { type ApprovalTally, followApprovals } from "./follow-approvals.ts";
import type { DemoScript } from "./script.ts";

/** The three numbers the summary quotes for a programme: amount, person-times, people or households. */
export type ProgramFigures = { readonly amount: string; readonly personTimes: number; readonly beneficiaries: number };

export type DemoFigures = {
  /** The head's seq after a complete load into a fresh book. */
  readonly events: number;
  readonly studentAid: ProgramFigures;
  readonly winterRelief: ProgramFigures;
  readonly modelWorker: ProgramFigures;
  readonly villageAid: ProgramFigures;
  readonly illnessClaims: ProgramFigures;
  /** Where the student aid's money came from: collection sources, and "own-level" for transfers in. */
  readonly studentAidSources: readonly string[];
  readonly repairGrant: string;
  readonly migrantHousing: string;
  /** Hardship files opened, one by one or with their households' roster. */
  readonly hardshipFiles: number;
  /** Beneficiaries registered: one by one, or `imported` with a roster (register-beneficiary makes the rest). */
  readonly beneficiaries: { readonly registered: number; readonly imported: number };
  /** Every fund's closing balance. */
  readonly funds: Readonly<Record<string, string>>;
  readonly audits: {
    readonly target: number;
    readonly started: number;
    readonly completed: number;
    readonly findings: number;
    readonly resolved: number;
    readonly open: number;
  };
  /** What became of the proposals the approval policies made of payouts, transfers and reversals. */
  readonly approvals: Readonly<ApprovalTally>;
};

const CNY = CURRENCIES.CNY;
const minor = (text: string): Minor => {
  const parsed = parseAmount(text, CNY);
  if (!parsed.ok) throw new Error(`demo amount ${text}: ${parsed.error.message}`);
  return parsed.value;
};
const format = (value: Minor) => formatAmount(value, CNY);

type Entry =
  | { kind: "payout"; programId: string; fundId: string; beneficiaryId: string; amount: Minor }
  | { kind: "collection"; fundId: string; amount: Minor };

/**
 * The figures the script records, worked out from its commands alone (not by running them), so
 * that a test can hold them against what the ledger itself folds from the events it recorded.
 * Payouts undone by a reversal or a bank return count neither in amount nor in person-times, nor
 * do proposals until the approval that posts them (voided ones never).
 */
export function computeFigures(script: DemoScript): DemoFigures {
  const programFund = new Map<string, string>();
  const entries = new Map<number, Entry>();
  const undone = new Set<number>();
  const funds = new Map<string, Minor>();
  const move = (fundId: string, amount: Minor) => funds.set(fundId, (funds.get(fundId) ?? 0n) + amount);
  const sources = new Map<string, Set<string>>();
  const audits = { target: 0, started: 0, completed: 0, findings: 0, resolved: 0, open: 0 };
  let hardshipFiles = 0;
  const beneficiaries = { registered: 0, imported: 0 };
  let seq = 0;

  const undo = (seq: number) => {
    const entry = entries.get(seq);
    if (!entry || undone.has(seq)) throw new Error(`demo undoes entry ${seq}, which it cannot`);
    undone.add(seq);
    move(entry.fundId, entry.kind === "payout" ? entry.amount : -entry.amount);
  };
  const visit = (command: Command, first: number) => {
    switch (command.type) {
      case "open-fund":
        funds.set(command.fundId, 0n);
        break;
      case "open-program":
        programFund.set(command.programId, command.fundId);
        break;
      case "register-beneficiary":
        beneficiaries.registered += 1;
        break;
      case "open-hardship-file":
        hardshipFiles += 1;
        break;
      case "import-beneficiaries-chunk":
        // Every row is new in the demo's fresh book: registered, and its file opened when it has one.
        beneficiaries.registered += command.rows.length;
        beneficiaries.imported += command.rows.length;
        hardshipFiles += command.rows.filter((row) => row.file).length;
        break;
      case "record-opening-balances":
        for (const { fundId, amount } of command.funds) move(fundId, minor(amount));
        break;
      case "record-collection": {
        const amount = minor(command.amount);
        entries.set(first, { kind: "collection", fundId: command.fundId, amount });
        move(command.fundId, amount);
        sources.set(command.fundId, (sources.get(command.fundId) ?? new Set()).add(command.source));
        break;
      }
      case "record-transfer": {
        const amount = minor(command.amount);
        move(command.fromFundId, -amount);
        move(command.toFundId, amount);
        sources.set(command.toFundId, (sources.get(command.toFundId) ?? new Set()).add("own-level"));
        break;
      }
      case "record-payout":
      case "record-payout-chunk": {
        const fundId = programFund.get(command.programId) as string;
        const lines = command.type === "record-payout" ? [command] : command.lines;
        lines.forEach((line, index) => {
          const amount = minor(line.amount);
          const { programId } = command;
          entries.set(first + index, { kind: "payout", programId, fundId, beneficiaryId: line.beneficiaryId, amount });
          move(fundId, -amount);
        });
        break;
      }
      case "reverse-entry":
      case "return-payout":
        undo(command.seq);
        break;
      case "record-bank-results-chunk":
        // The bank's failed lines are returned as return-payout returns them.
        for (const { seq } of command.failed) undo(seq);
        break;
      case "set-audit-plan":
        if (command.year === 2010) audits.target = command.targetCount;
        break;
      case "start-audit":
        audits.started += 1;
        break;
      case "complete-audit":
        audits.completed += 1;
        break;
      case "record-finding":
        audits.findings += 1;
        break;
      case "resolve-finding":
        audits.resolved += 1;
        break;
      default:
        break;
    }
  };
  const amountOf = (command: MoneyOut): Minor => {
    switch (command.type) {
      case "record-payout":
      case "record-transfer":
        return minor(command.amount);
      case "record-payout-chunk":
        return command.batchAmount
          ? minor(command.batchAmount)
          : command.lines.reduce((sum, line) => sum + minor(line.amount), 0n);
      case "reverse-entry":
        return entries.get(command.seq)?.amount ?? 0n;
    }
  };
  const approvals = followApprovals(amountOf);
  for (const step of script.steps) {
    const { records, events } = approvals.step(step, seq + 1);
    if (records) visit(records, seq + 1);
    seq += events;
  }
  audits.open = audits.findings - audits.resolved;

  const program = (programId: string): ProgramFigures => {
    let amount = 0n;
    let personTimes = 0;
    const people = new Set<string>();
    for (const [at, entry] of entries) {
      if (entry.kind !== "payout" || entry.programId !== programId || undone.has(at)) continue;
      amount += entry.amount;
      personTimes += 1;
      people.add(entry.beneficiaryId);
    }
    return { amount: format(amount), personTimes, beneficiaries: people.size };
  };
  const collected = (fundId: string) =>
    [...entries]
      .filter(([at, entry]) => entry.kind === "collection" && entry.fundId === fundId && !undone.has(at))
      .reduce((sum, [, entry]) => sum + entry.amount, 0n);

  return {
    events: seq,
    studentAid: program(PROGRAMS.studentAid),
    winterRelief: program(PROGRAMS.winterRelief),
    modelWorker: program(PROGRAMS.modelWorker),
    villageAid: program(PROGRAMS.villageAid),
    illnessClaims: program(PROGRAMS.illnessClaims),
    studentAidSources: [...(sources.get("student-aid") ?? [])].sort(),
    repairGrant: format(collected("culture-palace")),
    migrantHousing: format(funds.get("migrant-housing") ?? 0n),
    hardshipFiles,
    beneficiaries,
    funds: Object.fromEntries([...funds].map(([fundId, balance]) => [fundId, format(balance)])),
    audits,
    approvals: { ...approvals.tally },
  };
}
