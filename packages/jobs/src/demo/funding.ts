import { APPROVAL_TTL_DAYS, approve, type MoneyOut, propose, reject, sendMoney } from "./approvals.ts";
import { ACTORS, unitsBy } from "./catalog.ts";
import { GRANTS, TRANSFERS } from "./grants.ts";
import type { Random } from "./random.ts";
import { addDays, fen, on, type ScriptBuilder, yuan } from "./script.ts";

const { finance } = ACTORS;

/** The dues collection the audit of 巴州区丝绸厂 questions: remitted short in the first half. */
export const SHORT_DUES = { unitId: "bazhou-silk", quarters: [1, 2], paid: 2_600, backPaid: 2_400 } as const;
export const duesKey = (unitId: string, quarter: number) => `dues/2010-q${quarter}/${unitId}`;
const BACK_PAY_KEY = "dues/2010-back-pay/bazhou-silk";

/** The one collection keyed in wrong (a digit too many) and reversed. */
const SLIP = { unitId: "district-finance-bureau", month: 3 } as const;

export function addFunding(b: ScriptBuilder, random: Random): void {
  for (const grant of GRANTS) {
    const { key, date, fundId, source, amount, memo, unitId } = grant;
    b.add(date, finance, `collect/${key}`, {
      type: "record-collection",
      fundId,
      source,
      ...(unitId ? { unitId } : {}),
      amount: yuan(amount),
      receivedOn: date,
      memo,
    });
  }
  for (const { key, date, toFundId, amount, memo } of TRANSFERS) {
    sendMoney(b, date, key, transfer(date, toFundId, amount, memo));
  }
  addDeclinedTransfers(b);
  addWithholding(b, random);
  addEnterpriseDues(b, random);
}

const transfer = (date: string, toFundId: string, amount: number, memo: string): MoneyOut => ({
  type: "record-transfer",
  fromFundId: "general",
  toFundId,
  amount: yuan(amount),
  on: date,
  memo,
});

/**
 * Transfers the approvers did not let through: one checked by the head of finance and rejected by
 * the chair, one left waiting for next year's budget until the daily expiry voided it. Their
 * money never moved: each reserved it while it was pending.
 */
function addDeclinedTransfers(b: ScriptBuilder): void {
  const asked = on(4, 22);
  const extra = "transfer/model-worker/extra";
  const proposal = transfer(asked, "model-worker", 40_000, "本级追加“五一”劳模慰问资金");
  const phase = b.phaseOf(proposal);
  propose(b, asked, extra, proposal);
  approve(b, asked, [extra], { needs: 2, given: 1, phase });
  reject(b, asked, extra, { by: ACTORS.chair, reason: "市总工会已下达“五一”劳模慰问补助，本级不再追加", phase });

  const early = on(11, 22);
  const ahead = transfer(early, "relief", 80_000, "预拨2011年元旦送温暖资金");
  propose(b, early, "transfer/relief/2011", ahead);
  // Nobody decides it before the 2011 budget is passed: past the book's approvalTtlDays, the
  // system's daily expiry voids it (the first day it finds it expired, the only day it records anything).
  const expiresOn = addDays(early, APPROVAL_TTL_DAYS + 1);
  b.add(expiresOn, ACTORS.expiry, `expire-proposals/${expiresOn}/1`, { type: "expire-proposals" }, { events: 1 });
}

/**
 * 财政统一代扣: every budget-funded unit's union funds (2% of its payroll) withheld by the
 * treasury and paid into the union account once a month, all on the same day.
 */
function addWithholding(b: ScriptBuilder, random: Random): void {
  const units = unitsBy("treasury");
  for (let month = 1; month <= 12; month++) {
    const day = random.int(8, 15);
    const date = on(month, day);
    units.forEach((spec, index) => {
      // Payrolls move a little from month to month; the amount is 2% of it, to the fen.
      const amount = spec.base * 100 + random.int(-150, 150) * 10 + random.int(0, 99);
      const reference = `GKZF-2010${String(month).padStart(2, "0")}-${String(index + 1).padStart(3, "0")}`;
      const collect = (text: string) => ({
        type: "record-collection" as const,
        fundId: "general",
        source: "allocation" as const,
        unitId: spec.unitId,
        amount: text,
        receivedOn: date,
        reference,
        memo: `财政统一代扣 国库集中支付 2010年${month}月工会经费`,
      });
      const key = `withholding/2010-${String(month).padStart(2, "0")}/${spec.unitId}`;
      if (spec.unitId === SLIP.unitId && month === SLIP.month) {
        // Keyed in with a digit too many; reversed three days later and entered again.
        b.add(date, finance, `${key}/slip`, collect(fen(amount * 10)));
        const fixedOn = on(month, day + 3);
        sendMoney(
          b,
          fixedOn,
          `${key}/slip-reversal`,
          (seqOf) => ({
            type: "reverse-entry",
            seq: seqOf(b.keyOf(`${key}/slip`)),
            reason: "金额录入错误（多录一位），冲销后重新录入",
            on: fixedOn,
          }),
          { phase: 9, held: { amount: fen(amount * 10) } },
        );
        // Entered on the day of the fix, dated the day the money arrived (the same, open, month).
        b.add(fixedOn, finance, key, collect(fen(amount)));
      } else {
        b.add(date, finance, key, collect(fen(amount)));
      }
    });
  }
}

/** Enterprises remit their union funds themselves, after each quarter's payroll. */
function addEnterpriseDues(b: ScriptBuilder, random: Random): void {
  for (let quarter = 1; quarter <= 4; quarter++) {
    const month = quarter * 3;
    for (const spec of unitsBy("enterprise")) {
      const date = on(month, random.int(18, 28));
      const short = spec.unitId === SHORT_DUES.unitId && (SHORT_DUES.quarters as readonly number[]).includes(quarter);
      const amount = short ? SHORT_DUES.paid * 100 : spec.base * 100 + random.int(-20, 20) * 100;
      b.add(date, finance, duesKey(spec.unitId, quarter), {
        type: "record-collection",
        fundId: "general",
        source: "dues",
        unitId: spec.unitId,
        amount: fen(amount),
        receivedOn: date,
        memo: `2010年第${quarter}季度工会经费拨缴`,
      });
    }
  }
  // After the audit (audits.ts): the shortfall of the first half, paid back.
  b.add(on(9, 20), finance, BACK_PAY_KEY, {
    type: "record-collection",
    fundId: "general",
    source: "dues",
    unitId: SHORT_DUES.unitId,
    amount: yuan(SHORT_DUES.backPaid),
    receivedOn: on(9, 20),
    memo: "补缴2010年上半年少拨缴的工会经费（审计整改）",
  });
}
