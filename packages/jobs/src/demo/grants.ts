import type { CollectionSource } from "@relief-ledger/core";
import { on } from "./script.ts";

export type Grant = {
  readonly key: string;
  readonly date: string;
  readonly fundId: string;
  readonly source: CollectionSource;
  readonly amount: number;
  readonly memo: string;
  /** The paying unit, when it is one of the book's units (a donor); otherwise the source says who. */
  readonly unitId?: string;
};

const grant = (
  key: string,
  date: string,
  fundId: string,
  source: CollectionSource,
  amount: number,
  memo: string,
  unitId?: string,
): Grant => ({ key, date, fundId, source, amount, memo, ...(unitId ? { unitId } : {}) });

/**
 * Where the money of 2010 came from, as the summary tells it: project grants and subsidies from
 * the provincial and city federations, the district's policy funds and enterprises' donations.
 */
export const GRANTS: readonly Grant[] = [
  // 送温暖: the winter relief of New Year and Spring Festival.
  grant("relief/province", on(1, 4), "relief", "upper-subsidy", 450_000, "四川省总工会2010年送温暖专项资金"),
  grant("relief/district", on(1, 5), "relief", "government", 400_000, "区财政送温暖资金"),
  grant("relief/hengtong", on(1, 12), "relief", "donation", 30_000, "送温暖爱心捐款", "hengtong-building"),
  grant("relief/huaxing", on(1, 15), "relief", "donation", 20_000, "送温暖爱心捐款", "huaxing-trading"),
  grant("relief/credit-union", on(1, 20), "relief", "donation", 50_000, "送温暖爱心捐款", "bazhou-credit-union"),
  grant("relief/city", on(1, 26), "relief", "upper-subsidy", 100_000, "巴中市总工会春节送温暖补助"),
  // 慰问劳模.
  grant("model-worker/province", on(1, 11), "model-worker", "upper-subsidy", 120_000, "四川省总工会劳模春节慰问专项"),
  grant("model-worker/district", on(1, 13), "model-worker", "government", 100_000, "区财政劳模慰问经费"),
  grant("model-worker/city", on(4, 20), "model-worker", "upper-subsidy", 20_000, "巴中市总工会“五一”劳模慰问补助"),
  // 工会经费 besides the withholding.
  grant("general/city", on(3, 22), "general", "upper-subsidy", 80_000, "巴中市总工会2010年经费补助"),
  grant("general/district", on(4, 15), "general", "government", 150_000, "区财政工会工作经费"),
  // 挂包帮扶: "落实项目资金11万元".
  grant("village-aid/project", on(3, 15), "village-aid", "government", 110_000, "挂包帮扶项目资金（三江镇龙门村）"),
  // 农民工公寓: "会同有关部门投资55万元" (with the transfer below).
  grant("migrant-housing/district", on(5, 20), "migrant-housing", "government", 300_000, "区财政农民工公寓建设资金"),
  grant(
    "migrant-housing/province",
    on(5, 28),
    "migrant-housing",
    "upper-subsidy",
    150_000,
    "省总工会农民工服务项目资金",
  ),
  // 金秋助学: "用足政策，争取项目，本级投入（the transfer below），上级补助", and a donation.
  grant("student-aid/policy", on(7, 9), "student-aid", "government", 100_000, "区财政金秋助学政策资金（用足政策）"),
  grant("student-aid/project", on(7, 21), "student-aid", "upper-subsidy", 120_000, "省总工会金秋助学项目（争取项目）"),
  grant("student-aid/city", on(8, 4), "student-aid", "upper-subsidy", 60_000, "市总工会金秋助学补助（上级补助）"),
  grant("student-aid/donation", on(8, 12), "student-aid", "donation", 20_000, "爱心捐资助学", "bazhou-credit-union"),
  // 文化宫: "争取了250万元用于文化宫改造危建".
  grant(
    "culture-palace/province",
    on(9, 28),
    "culture-palace",
    "upper-subsidy",
    2_500_000,
    "省总工会拨付文化宫灾后危房改造资金",
  ),
];

/** 本级投入: the federation's own money, moved from 工会经费 into the funds that spend it. */
export const TRANSFERS = [
  { key: "transfer/relief", date: on(2, 3), toFundId: "relief", amount: 60_000, memo: "本级投入送温暖资金" },
  // The apartments are built by contractors, and the ledger has no vendor payee: a payout to a
  // stand-in "worker" would count a building as a person in every person-times figure. So the
  // 550,000 yuan is recorded as it was raised (two grants and this transfer) and stays in the
  // migrant-housing fund, where the reports show it, until the ledger has a works-payment event.
  {
    key: "transfer/migrant-housing",
    date: on(6, 8),
    toFundId: "migrant-housing",
    amount: 100_000,
    memo: "本级投入农民工公寓建设",
  },
  {
    key: "transfer/student-aid",
    date: on(8, 10),
    toFundId: "student-aid",
    amount: 50_000,
    memo: "本级投入金秋助学资金",
  },
] as const;
