import type { Actor, UnitKind } from "@relief-ledger/core";

/** The demo book: the Bazhou District federation of trade unions, as its 2010 summary describes it. */
export const DEMO_BOOK = "bazhou-2010";
export const DEMO_BOOK_NAME = "巴中市巴州区总工会";
export const DEMO_YEAR = 2010;

/**
 * Who does what, as the API's roles allow it: duties are segregated. The finance office proposes
 * (经办); the head of finance and the chair approve (审批人), never what they proposed; the
 * system's daily job expires what waited too long.
 */
export const ACTORS = {
  admin: { sub: "zgh-admin", role: "admin" },
  finance: { sub: "zgh-finance-office", role: "finance" },
  financeHead: { sub: "zgh-finance-head", role: "approver" },
  chair: { sub: "zgh-chair", role: "approver" },
  audit: { sub: "zgh-audit-committee", role: "audit-committee" },
  expiry: { sub: "proposal-expiry", role: "system" },
} as const satisfies Record<string, Actor>;

/** The programmes of 2010, by the figure of the summary each one produces. */
export const PROGRAMS = {
  winterRelief: "winter-2010",
  studentAid: "student-aid-2010",
  modelWorker: "model-worker-2010",
  villageAid: "village-aid-2010",
  illnessClaims: "critical-illness-2010",
} as const;

export const FUNDS = [
  { fundId: "general", name: "工会经费", restricted: false, purpose: "财政代扣拨缴经费、会费、上级补助：工会日常经费" },
  { fundId: "relief", name: "帮扶资金", restricted: true, purpose: "送温暖等困难职工帮扶，专款专用" },
  { fundId: "student-aid", name: "金秋助学资金", restricted: true, purpose: "困难职工子女金秋助学，专款专用" },
  { fundId: "model-worker", name: "劳模慰问金", restricted: false, purpose: "劳动模范节日慰问" },
  { fundId: "village-aid", name: "挂包帮扶项目资金", restricted: false, purpose: "三江镇龙门村挂包帮扶项目" },
  { fundId: "insurance", name: "女职工大病互助保险", restricted: false, purpose: "女职工大病互助保险保费与理赔" },
  { fundId: "culture-palace", name: "文化宫改造专项", restricted: true, purpose: "区劳动人民文化宫灾后危房改造" },
  { fundId: "migrant-housing", name: "农民工公寓", restricted: false, purpose: "新建、改建农民工公寓" },
] as const;

/**
 * How a unit's union funds arrive: budget-funded units through the treasury's withholding
 * (财政统一代扣, 国库集中支付), monthly; enterprises remit their own, quarterly; donors give
 * now and then. `base` is the usual monthly (treasury) or quarterly (enterprise) amount in yuan.
 */
export type UnitSpec = {
  readonly unitId: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly funding: "treasury" | "enterprise" | "donor";
  readonly base: number;
};

const unit = (unitId: string, name: string, kind: UnitKind, funding: UnitSpec["funding"], base: number) => ({
  unitId,
  name,
  kind,
  funding,
  base,
});

export const UNITS: readonly UnitSpec[] = [
  unit("district-finance-bureau", "巴州区财政局工会", "government-agency", "treasury", 6800),
  unit("district-hrss-bureau", "巴州区人力资源和社会保障局工会", "government-agency", "treasury", 5200),
  unit("district-housing-bureau", "巴州区住房和城乡建设局工会", "government-agency", "treasury", 4600),
  unit("district-transport-bureau", "巴州区交通运输局工会", "government-agency", "treasury", 5900),
  unit("district-water-bureau", "巴州区水务局工会", "government-agency", "treasury", 4100),
  unit("district-agriculture-bureau", "巴州区农业局工会", "government-agency", "treasury", 4800),
  unit("district-land-bureau", "巴州区国土资源局工会", "government-agency", "treasury", 3900),
  unit("district-education-bureau", "巴州区教育局工会", "government-agency", "treasury", 3600),
  unit("district-health-bureau", "巴州区卫生局工会", "government-agency", "treasury", 3300),
  unit("district-peoples-hospital", "巴州区人民医院工会", "member-unit", "treasury", 14500),
  unit("district-tcm-hospital", "巴州区中医医院工会", "member-unit", "treasury", 8200),
  unit("district-cdc", "巴州区疾病预防控制中心工会", "member-unit", "treasury", 3100),
  unit("no3-middle-school", "巴州区第三中学工会", "member-unit", "treasury", 9600),
  unit("huifeng-middle-school", "巴州区回风初级中学工会", "member-unit", "treasury", 6400),
  unit("experimental-primary", "巴州区实验小学工会", "member-unit", "treasury", 7100),
  unit("huifeng-sanitation", "回风环卫所工会", "grassroots-union", "treasury", 2800),
  unit("jiangbei-subdistrict", "江北街道工会", "grassroots-union", "treasury", 1900),
  unit("dongcheng-subdistrict", "东城街道工会", "grassroots-union", "treasury", 2100),
  unit("sanjiang-town", "三江镇工会", "grassroots-union", "treasury", 1600),
  unit("zengkou-town", "曾口镇工会", "grassroots-union", "treasury", 1700),
  unit("zhongxing-textile", "中兴纺织厂工会", "grassroots-union", "enterprise", 9600),
  unit("bazhou-power", "巴州区电力公司工会", "grassroots-union", "enterprise", 12800),
  unit("bazhou-water-supply", "巴州区自来水公司工会", "grassroots-union", "enterprise", 5400),
  unit("bazhou-bus", "巴州区公共交通公司工会", "grassroots-union", "enterprise", 4200),
  unit("jiangbei-cement", "江北水泥厂工会", "grassroots-union", "enterprise", 6300),
  unit("bazhou-silk", "巴州区丝绸厂工会", "grassroots-union", "enterprise", 3800),
  unit("bazhou-brewery", "巴州区酒厂工会", "grassroots-union", "enterprise", 3100),
  unit("bazhou-food", "巴州区食品公司工会", "grassroots-union", "enterprise", 2700),
  unit("bazhou-construction", "巴州区建筑工程公司工会", "grassroots-union", "enterprise", 5900),
  unit("bazhou-printing", "巴州区印刷厂工会", "grassroots-union", "enterprise", 1800),
  unit("bazhou-grain", "巴州区粮油购销公司工会", "grassroots-union", "enterprise", 2400),
  unit("bazhou-supply-coop", "巴州区供销合作社工会", "grassroots-union", "enterprise", 3300),
  unit("bazhou-farm-machinery", "巴州区农机厂工会", "grassroots-union", "enterprise", 2200),
  unit("hengtong-building", "巴中市恒通建材有限公司", "enterprise", "donor", 0),
  unit("huaxing-trading", "巴中市华星商贸有限公司", "enterprise", "donor", 0),
  unit("bazhou-credit-union", "巴州区农村信用合作联社", "enterprise", "donor", 0),
];

export const unitsBy = (funding: UnitSpec["funding"]) => UNITS.filter((spec) => spec.funding === funding);

/** Why a household is on file (致困原因), weighted as a district's register typically reads. */
export const HARDSHIP_CAUSES = [
  "因病致困",
  "因病致困",
  "因病致困",
  "下岗失业",
  "下岗失业",
  "因残致困",
  "单亲家庭",
  "子女就学致困",
  "因灾致困",
  "工伤致困",
] as const;

/** The registered households' file update of 2010 ran in the first week of January. */
export const FILE_VALID_UNTIL = "2010-12-31";
