import { ACTORS, unitsBy } from "./catalog.ts";
import { GRANTS, TRANSFERS } from "./grants.ts";
import type { Random } from "./random.ts";
import { fen, on, type ScriptBuilder, yuan } from "./script.ts";

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
    b.add(date, finance, key, {
      type: "record-transfer",
      fromFundId: "general",
      toFundId,
      amount: yuan(amount),
      on: date,
      memo,
    });
  }
  addWithholding(b, random);
  addEnterpriseDues(b, random);
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
        b.add(
          fixedOn,
          finance,
          `${key}/slip-reversal`,
          (seqOf) => ({
            type: "reverse-entry",
            seq: seqOf(b.keyOf(`${key}/slip`)),
            reason: "金额录入错误（多录一位），冲销后重新录入",
            on: fixedOn,
          }),
          9,
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
