import {
  BANK_LAYOUTS,
  type BankFileLine,
  bankCsv,
  bankNote,
  type CommandOf,
  CSV_BOM,
  chunked,
  csvCell,
  fileSha256,
  type Planned,
  type SealedFields,
} from "@relief-ledger/core";
import { sendMoney } from "./approvals.ts";
import { ACTORS, PROGRAMS } from "./catalog.ts";
import type { Random } from "./random.ts";
import { addDays, type DemoAccount, type DemoBankFiles, type ScriptBuilder } from "./script.ts";

const { finance } = ACTORS;

/**
 * What a set-bank-account step's command holds until the load seals its account (load.ts): no
 * account, and no hash of one. Run in memory, the ledger keeps it as it is: nothing reads it.
 */
export const UNSEALED: SealedFields = { v: 1, key: "demo:unsealed", fields: {} };
const UNSEALED_HASH = "0".repeat(64);

/** The banks of Bazhou that pay the district's relief, with the first six digits of their debit cards. */
const BANKS = [
  { name: "中国农业银行巴中分行", bin: "622848" },
  { name: "中国工商银行巴中分行", bin: "622202" },
  { name: "中国建设银行巴中分行", bin: "621700" },
  { name: "中国邮政储蓄银行巴中市分行", bin: "621799" },
  { name: "四川巴中农村商业银行", bin: "623190" },
] as const;

/** The lines the bank sends back unpaid, over the five spring batches: as many whatever the seed. */
export const FAILED_LINES = 4;
const FAILURES = ["账户已销户", "户名不符", "账号不存在", "账户已冻结"] as const;

/** A 19-digit debit card number under `bin`, its last digit the Luhn check digit, as every card has. */
function cardNumber(random: Random, bin: string): string {
  const body = bin + Array.from({ length: 12 }, () => random.int(0, 9)).join("");
  const sum = [...body].reverse().reduce((total, char, index) => {
    const digit = Number(char) * (index % 2 === 0 ? 2 : 1);
    return total + (digit > 9 ? digit - 9 : digit);
  }, 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** A household's account: a card in the householder's name at one of the district's banks. */
export function demoAccount(random: Random, accountName: string): DemoAccount {
  const bank = random.pick(BANKS);
  return { bank: bank.name, accountName, accountNumber: cardNumber(random, bank.bin) };
}

/** A set-bank-account step: the account in the clear beside a command the load will seal (load.ts). */
function putAccount(b: ScriptBuilder, date: string, key: string, beneficiaryId: string, account: DemoAccount) {
  const command: CommandOf<"set-bank-account"> = {
    type: "set-bank-account",
    beneficiaryId,
    last4: account.accountNumber.slice(-4),
    accountHash: UNSEALED_HASH,
    sealed: UNSEALED,
    on: date,
  };
  b.add(date, finance, key, command, { account });
}

/**
 * The households' accounts, put on file the day their roster comes in (ROSTER_DAY), as the
 * roster import does with a roster's 开户行/户名/银行账号 columns: after the rows, one
 * set-bank-account each under `<import key>#bank#<beneficiary>` (routes/bank-accounts.ts).
 */
export function addRosterAccounts(
  b: ScriptBuilder,
  random: Random,
  rosterKey: string,
  date: string,
  households: readonly { id: string; name: string }[],
): Map<string, DemoAccount> {
  const accounts = new Map<string, DemoAccount>();
  for (const household of households) {
    const account = demoAccount(random, household.name);
    accounts.set(household.id, account);
    putAccount(b, date, `${rosterKey}#bank#${household.id}`, household.id, account);
  }
  return accounts;
}

/** A batch paid by bank, as the script recorded it: its lines, and the step that records each chunk of 48. */
export type BankBatch = {
  readonly batchId: string;
  readonly paidOn: string;
  readonly batchAmount: string;
  readonly lines: readonly { readonly beneficiaryId: string; readonly amount: string }[];
  /** The key (tail) of the step that records each chunk: the approval that posts it. */
  readonly chunkSteps: readonly string[];
  readonly chunkLines: number;
};

/** A line the bank sent back, and why. */
type Failure = { readonly line: number; readonly reason: string };

/** Picks the lines the bank will fail over all the batches: FAILED_LINES of them, each batch's in line order. */
function pickFailures(random: Random, batches: readonly BankBatch[]): Failure[][] {
  const all = batches.flatMap((batch, index) => batch.lines.map((_, line) => ({ index, line })));
  const picked = random.shuffle(all).slice(0, FAILED_LINES);
  return batches.map((_, index) =>
    picked
      .filter((pick) => pick.index === index)
      .sort((a, b) => a.line - b.line)
      .map(({ line }) => ({ line, reason: random.pick(FAILURES) })),
  );
}

/**
 * A bank's result file for a disbursement file, as the generic layout reads it
 * (core's bank-files/generic.ts): the file's columns, then 状态 and 原因.
 */
function resultCsv(fileLines: readonly BankFileLine[], failed: ReadonlyMap<number, string>): Uint8Array {
  const layout = BANK_LAYOUTS.generic;
  if (!layout) throw new Error("the generic bank layout is missing");
  const row = (cells: readonly string[]) =>
    `${cells.map((cell, index) => csvCell(cell, index === layout.amountColumn)).join(",")}\r\n`;
  const rows = fileLines.map((line) => {
    const reason = failed.get(line.line);
    return row([...layout.row(line), reason ? "失败" : "成功", reason ?? ""]);
  });
  return new TextEncoder().encode(CSV_BOM + row([...layout.header, "状态", "原因"]) + rows.join(""));
}

/**
 * 送温暖's spring batches go to the bank: the finance office takes each batch's disbursement file
 * the day it is paid (BankFileIssued, the file built by core's bank-files as the API's route builds
 * it), the bank answers three days later with a few lines failed, and the result file is recorded
 * as the API records it (the failed payouts returned to the fund). Each failed household's account
 * is corrected the next day and the household is paid again, by bank, under the programme's policy.
 * The winter relief's figures stay as they were: a returned payout is undone, the new one counts.
 */
export function addBankLoop(
  b: ScriptBuilder,
  random: Random,
  batches: readonly BankBatch[],
  accounts: ReadonlyMap<string, DemoAccount>,
): DemoBankFiles[] {
  const layout = BANK_LAYOUTS.generic;
  if (!layout) throw new Error("the generic bank layout is missing");
  const failures = pickFailures(random, batches);
  return batches.map((batch, index) => {
    const { batchId, paidOn, lines } = batch;
    const fileLines: BankFileLine[] = lines.map((line, n) => {
      const account = accounts.get(line.beneficiaryId);
      if (!account) throw new Error(`demo household ${line.beneficiaryId} has no bank account`);
      const { accountName, accountNumber, bank } = account;
      return { line: n, accountName, accountNumber, bank, amount: line.amount, note: bankNote(batchId, n) };
    });
    const file = bankCsv(layout, fileLines);
    const fileHash = fileSha256(file);
    b.add(paidOn, finance, `bank-file#${batchId}#${fileHash.slice(0, 32)}`, {
      type: "issue-bank-file",
      batchId,
      format: "csv",
      layout: layout.id,
      fileHash,
      lines: lines.length,
      amount: batch.batchAmount,
      on: paidOn,
    });

    const failed = new Map((failures[index] ?? []).map(({ line, reason }) => [line, reason]));
    const results = resultCsv(fileLines, failed);
    const resultsHash = fileSha256(results);
    const returnedOn = addDays(paidOn, 3);
    const seqOfLine = (seqOf: (key: string, line?: number) => number, line: number) =>
      seqOf(b.keyOf(batch.chunkSteps[Math.floor(line / batch.chunkLines)] as string), line % batch.chunkLines);
    // Chunked as the route chunks a result file; the seqs are known once the script is built.
    const planned: Planned[] = fileLines.map((line) => {
      const reason = failed.get(line.line);
      const status = reason ? ("failed" as const) : ("paid" as const);
      return {
        row: {
          row: line.line + 2,
          line: line.line,
          amount: line.amount,
          note: line.note,
          status,
          reason: reason ?? "",
        },
        seq: 0,
      };
    });
    for (const [chunk, items] of chunked(planned).entries()) {
      const failedHere = items.filter(({ row }) => row.status === "failed");
      b.add(
        returnedOn,
        finance,
        `bank-results#${batchId}#${resultsHash.slice(0, 40)}#${chunk}`,
        (seqOf) => ({
          type: "record-bank-results-chunk",
          batchId,
          fileHash: resultsHash,
          chunk,
          returnedOn,
          paid: items
            .filter(({ row }) => row.status === "paid")
            .map(({ row }) => ({ line: row.line, seq: seqOfLine(seqOf, row.line) })),
          failed: failedHere.map(({ row }) => ({
            line: row.line,
            seq: seqOfLine(seqOf, row.line),
            reason: `bank: ${row.reason}`,
          })),
        }),
        { events: failedHere.length + 1 },
      );
    }

    const againOn = addDays(returnedOn, 1);
    for (const line of failed.keys()) {
      const { beneficiaryId, amount } = lines[line] as BankBatch["lines"][number];
      const before = accounts.get(beneficiaryId) as DemoAccount;
      putAccount(b, againOn, `bank-account/${beneficiaryId}/corrected`, beneficiaryId, {
        ...demoAccount(random, before.accountName),
      });
      sendMoney(b, againOn, `pay/winter/${beneficiaryId}/again`, {
        type: "record-payout",
        programId: PROGRAMS.winterRelief,
        beneficiaryId,
        amount,
        paidOn: againOn,
        method: "bank",
        reference: "更正收款账户后重新发放",
        memo: `春节送温暖代发第${index + 1}批第${line}行：银行退回，更正账户后重发`,
      });
    }
    return { batchId, file, results };
  });
}
