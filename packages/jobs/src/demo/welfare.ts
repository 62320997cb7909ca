import { needsUnder, propose, rulesFor, sendMoney, withdraw } from "./approvals.ts";
import { ACTORS, FILE_VALID_UNTIL, PROGRAMS, UNITS, unitsBy } from "./catalog.ts";
import { adultName } from "./names.ts";
import { fitToTotal, type Random } from "./random.ts";
import { addDays, on, type ScriptBuilder, yuan } from "./script.ts";

const { finance } = ACTORS;
const employers = UNITS.filter((spec) => spec.funding !== "donor");

/**
 * 慰问劳模: "慰问劳模30余人次，发放慰问金20余万元，为25名劳模免费体检" — Spring Festival visits
 * by rank, then the four new provincial model workers of 2010 at May Day.
 */
const RANKS = [
  { tag: "全国劳动模范", count: 3, amount: 10_000 },
  { tag: "省劳动模范", count: 12, amount: 8_000 },
  { tag: "市劳动模范", count: 15, amount: 5_000 },
] as const;
const NEW_PROVINCIAL = { tag: "2010年省劳动模范", count: 4, amount: 5_000 } as const;
const HEALTH_CHECKS = 25;

export function addModelWorkers(b: ScriptBuilder, random: Random): void {
  const ranks = RANKS.flatMap((rank) => Array.from({ length: rank.count }, () => rank));
  const checked = new Set(random.shuffle(ranks.map((_, i) => i)).slice(0, HEALTH_CHECKS));
  const springDays = [on(2, 8), on(2, 9), on(2, 10), on(2, 11)];
  let duplicated = false;
  ranks.forEach((rank, i) => {
    const id = `mw-${String(i + 1).padStart(2, "0")}`;
    b.add(on(1, 6), finance, `register/${id}`, {
      type: "register-beneficiary",
      beneficiaryId: id,
      kind: "model-worker",
      name: adultName(random),
      unitId: random.pick(employers).unitId,
      tags: checked.has(i) ? [rank.tag, "免费体检"] : [rank.tag],
      on: on(1, 6),
    });
    const paidOn = springDays[i % springDays.length] as string;
    const payout = {
      type: "record-payout" as const,
      programId: PROGRAMS.modelWorker,
      beneficiaryId: id,
      amount: yuan(rank.amount),
      paidOn,
      method: "cash" as const,
      memo: "2010年春节劳模慰问金",
    };
    sendMoney(b, paidOn, `pay/model-worker/${id}`, payout);
    if (!duplicated && rank.amount === 5_000) {
      // Keyed in twice from two copies of the same voucher; the second is reversed after the count.
      duplicated = true;
      const entry = sendMoney(b, paidOn, `pay/model-worker/${id}/duplicate`, payout);
      sendMoney(
        b,
        on(2, 22),
        `reverse/model-worker/${id}/duplicate`,
        (seqOf) => ({
          type: "reverse-entry",
          seq: seqOf(b.keyOf(entry)),
          reason: "同一凭证重复录入，冲销",
          on: on(2, 22),
        }),
        { phase: 9, held: { amount: payout.amount } },
      );
    }
  });
  for (let i = 0; i < NEW_PROVINCIAL.count; i++) {
    const id = `mw-${String(ranks.length + i + 1).padStart(2, "0")}`;
    b.add(on(4, 26), finance, `register/${id}`, {
      type: "register-beneficiary",
      beneficiaryId: id,
      kind: "model-worker",
      name: adultName(random),
      unitId: random.pick(employers).unitId,
      tags: [NEW_PROVINCIAL.tag],
      on: on(4, 26),
    });
    sendMoney(b, on(4, 28), `pay/model-worker/${id}`, {
      type: "record-payout",
      programId: PROGRAMS.modelWorker,
      beneficiaryId: id,
      amount: yuan(NEW_PROVINCIAL.amount),
      paidOn: on(4, 28),
      method: "cash",
      memo: "“五一”慰问2010年新评省劳动模范",
    });
  }
}

/**
 * 挂包帮扶: "确定了37户特困户为帮扶对象 … 落实项目资金11万元，发展了养鱼、养鸡等产业，解决了
 * 饮水困难" — one project per household, chicks and fish fry in kind, the water works by bank.
 */
export const VILLAGE_HOUSEHOLDS = 37;
export const VILLAGE_TOTAL = 110_000;
const PROJECTS = [
  { name: "养鸡", count: 15, draft: 2_500, paidOn: on(4, 15), method: "in-kind" },
  { name: "养鱼", count: 12, draft: 3_500, paidOn: on(5, 12), method: "in-kind" },
  { name: "饮水工程", count: 10, draft: 3_000, paidOn: on(6, 18), method: "bank" },
] as const;

export function addVillageAid(b: ScriptBuilder, random: Random): void {
  const projects = random.shuffle(PROJECTS.flatMap((project) => Array.from({ length: project.count }, () => project)));
  const amounts = fitToTotal(
    random,
    projects.map((project) => project.draft),
    VILLAGE_TOTAL,
    { min: 2_000, max: 4_500, step: 100 },
  );
  projects.forEach((project, i) => {
    const id = `longmen-${String(i + 1).padStart(2, "0")}`;
    b.add(on(3, 10), finance, `register/${id}`, {
      type: "register-beneficiary",
      beneficiaryId: id,
      kind: "household",
      name: adultName(random),
      tags: ["三江镇龙门村", "挂包帮扶"],
      on: on(3, 10),
    });
    b.add(on(3, 12), finance, `file/${id}`, {
      type: "open-hardship-file",
      beneficiaryId: id,
      tier: i % 3 === 0 ? "deep" : "relative",
      cause: random.pick(["缺劳力", "因病致困", "因残致困", "饮水困难、产业薄弱"]),
      openedOn: on(3, 12),
      validUntil: FILE_VALID_UNTIL,
    });
    sendMoney(b, project.paidOn, `pay/village-aid/${id}`, {
      type: "record-payout",
      programId: PROGRAMS.villageAid,
      beneficiaryId: id,
      amount: yuan(amounts[i] as number),
      paidOn: project.paidOn,
      method: project.method,
      memo: `挂包帮扶：${project.name}项目`,
    });
  });
}

/**
 * 女职工大病保险: "女职工大病保险人数758人 … 累计赔付16人，赔付金额达19万元". The units pay the
 * premiums; each claim is settled by the provincial mutual-insurance scheme, whose money comes in
 * a few days before the district pays the woman.
 */
export const INSURED = 758;
export const CLAIMS = 16;
export const CLAIMS_TOTAL = 190_000;
const PREMIUM = 60;
/** What the one claim proposed at the amount applied for asked beyond the settled amount. */
const OVERSTATED = 3_000;
const CLAIM_MONTHS = [3, 4, 4, 5, 6, 6, 7, 8, 8, 9, 9, 10, 11, 11, 12, 12];

export function addIllnessInsurance(b: ScriptBuilder, random: Random): void {
  const payers = random.shuffle(unitsBy("treasury")).slice(0, 14);
  const counts = fitToTotal(
    random,
    payers.map(() => random.int(40, 70)),
    INSURED,
    { min: 30, max: 80, step: 1 },
  );
  payers.forEach((spec, i) => {
    const insured = counts[i] as number;
    b.add(on(3, 18), finance, `collect/insurance/premium/${spec.unitId}`, {
      type: "record-collection",
      fundId: "insurance",
      source: "other",
      unitId: spec.unitId,
      amount: yuan(insured * PREMIUM),
      receivedOn: on(3, 18),
      memo: `2010年度女职工大病互助保险保费 ${insured}人×${PREMIUM}元`,
    });
  });
  const amounts = fitToTotal(
    random,
    CLAIM_MONTHS.map(() => random.pick([8_000, 10_000, 12_000, 15_000])),
    CLAIMS_TOTAL,
    { min: 5_000, max: 20_000, step: 1_000 },
  );
  let withdrawn = false;
  CLAIM_MONTHS.forEach((month, i) => {
    const id = `ww-${String(i + 1).padStart(2, "0")}`;
    const paidOn = on(month, random.int(18, 28));
    const appliedOn = addDays(paidOn, -14);
    const settledOn = addDays(paidOn, -3);
    const amount = yuan(amounts[i] as number);
    b.add(appliedOn, finance, `register/${id}`, {
      type: "register-beneficiary",
      beneficiaryId: id,
      kind: "worker",
      name: adultName(random, true),
      unitId: random.pick(employers).unitId,
      tags: ["女职工大病互助保险"],
      on: appliedOn,
    });
    b.add(settledOn, finance, `collect/insurance/settlement/${id}`, {
      type: "record-collection",
      fundId: "insurance",
      source: "upper-subsidy",
      amount,
      receivedOn: settledOn,
      memo: "四川省总工会女职工大病互助保险理赔款",
    });
    const claim = {
      type: "record-payout" as const,
      programId: PROGRAMS.illnessClaims,
      beneficiaryId: id,
      amount,
      paidOn,
      method: "bank" as const,
      memo: "女职工大病互助保险理赔",
    };
    const asked = yuan((amounts[i] as number) + OVERSTATED);
    if (!withdrawn && needsUnder(rulesFor(claim.programId), asked) > 0) {
      // Proposed at the amount applied for rather than the amount the scheme settled: the office
      // notices before anyone approves it, takes it back and proposes the settled amount.
      withdrawn = true;
      const wrong = `pay/critical-illness/${id}/as-applied`;
      propose(b, paidOn, wrong, { ...claim, amount: asked });
      withdraw(b, paidOn, wrong, b.phaseOf(claim));
    }
    sendMoney(b, paidOn, `pay/critical-illness/${id}`, claim);
  });
}
