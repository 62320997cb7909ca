import type { FindingCategory, FindingOutcome, FindingSeverity } from "@relief-ledger/core";
import { ACTORS } from "./catalog.ts";
import { duesKey, SHORT_DUES } from "./funding.ts";
import { on, type ScriptBuilder, yuan } from "./script.ts";

const { audit: committee, finance } = ACTORS;

/** "市总工会下达我区审计5家基层工会指标，实际完成了6个单位工会经费的审计". */
export const AUDIT_TARGET = 5;

type Finding = {
  readonly id: string;
  readonly category: FindingCategory;
  readonly severity: FindingSeverity;
  readonly description: string;
  readonly amountInQuestion?: number;
  readonly recordedOn: string;
  /** Steps after recording; a finding without `resolved` stays open. */
  readonly plan?: { on: string; note: string; dueBy?: string };
  readonly evidence?: { on: string; note: string; recovered?: number; reclassified?: number };
  readonly resolved?: { on: string; outcome: FindingOutcome; note: string };
  /** Journal entries the finding questions, by the demo key that recorded them. */
  readonly related?: readonly string[];
};

type Audit = {
  readonly id: string;
  readonly unitId: string;
  readonly startedOn: string;
  readonly completedOn: string;
  readonly summary: string;
  readonly findings: readonly Finding[];
};

const SCOPE = "2009年度工会经费收支、财务管理和资产管理情况";

export const AUDITS: readonly Audit[] = [
  {
    id: "audit-2010-01",
    unitId: "zhongxing-textile",
    startedOn: on(4, 12),
    completedOn: on(5, 14),
    summary: "经费收支基本规范；报销凭证手续不全，个别支出不属工会经费开支范围，已责成整改。",
    findings: [
      {
        id: "finding-2010-01",
        category: "incomplete-vouchers",
        severity: "low",
        description: "部分报销凭证缺少经办人、审批人签字。",
        recordedOn: on(4, 20),
        plan: { on: on(5, 20), note: "逐笔补签，建立报销审批登记制度。" },
        evidence: { on: on(6, 18), note: "已补齐签字，报送审批登记簿复印件。" },
        resolved: { on: on(6, 25), outcome: "closed", note: "整改到位，销号。" },
      },
      {
        id: "finding-2010-02",
        category: "non-union-spending",
        severity: "medium",
        amountInQuestion: 3_200,
        description: "以工会经费支付行政接待费3,200元。",
        recordedOn: on(4, 28),
        plan: { on: on(5, 20), note: "由企业行政经费归还工会账户。", dueBy: on(6, 30) },
        evidence: { on: on(6, 18), note: "企业已归还3,200元，附银行回单。", recovered: 3_200 },
        resolved: { on: on(6, 25), outcome: "closed", note: "款项已归还，销号。" },
      },
    ],
  },
  {
    id: "audit-2010-02",
    unitId: "huifeng-sanitation",
    startedOn: on(5, 17),
    completedOn: on(6, 11),
    summary: "财务管理较规范，个别支出无正式发票。",
    findings: [
      {
        id: "finding-2010-03",
        category: "missing-receipt",
        severity: "low",
        amountInQuestion: 860,
        description: "职工活动购买物品860元，以收据入账，无正式发票。",
        recordedOn: on(5, 26),
        resolved: { on: on(6, 30), outcome: "waived", note: "金额较小，商家已注销无法补开，经说明后不再整改。" },
      },
    ],
  },
  {
    id: "audit-2010-03",
    unitId: "sanjiang-town",
    startedOn: on(6, 21),
    completedOn: on(7, 16),
    summary: "存在大额现金支付，已要求改为转账。",
    findings: [
      {
        id: "finding-2010-04",
        category: "banned-payment-form",
        severity: "medium",
        amountInQuestion: 6_000,
        description: "以现金支付大额慰问品采购款6,000元。",
        recordedOn: on(7, 2),
        plan: { on: on(7, 26), note: "修订财务制度，超过1,000元的支出一律转账。" },
        evidence: { on: on(8, 30), note: "报送修订后的财务制度及7、8月转账凭证。" },
        resolved: { on: on(9, 6), outcome: "closed", note: "制度已修订并执行，销号。" },
      },
    ],
  },
  {
    id: "audit-2010-04",
    unitId: SHORT_DUES.unitId,
    startedOn: on(8, 16),
    completedOn: on(9, 10),
    summary: "2010年上半年工会经费未足额拨缴。",
    findings: [
      {
        id: "finding-2010-05",
        category: "other",
        severity: "medium",
        amountInQuestion: SHORT_DUES.backPaid,
        description: "2010年第一、二季度工会经费按工资总额2%计应拨缴7,600元，实拨5,200元，少拨2,400元。",
        recordedOn: on(8, 25),
        related: SHORT_DUES.quarters.map((quarter) => duesKey(SHORT_DUES.unitId, quarter)),
        plan: { on: on(9, 13), note: "9月底前补缴少拨经费。", dueBy: on(9, 30) },
        evidence: { on: on(9, 24), note: "已补缴2,400元（见9月20日入账）。", recovered: SHORT_DUES.backPaid },
        resolved: { on: on(9, 29), outcome: "closed", note: "已足额补缴，销号。" },
      },
    ],
  },
  {
    id: "audit-2010-05",
    unitId: "dongcheng-subdistrict",
    startedOn: on(9, 13),
    completedOn: on(10, 15),
    summary: "固定资产未登记入账，节日慰问超标准。",
    findings: [
      {
        id: "finding-2010-06",
        category: "unregistered-asset",
        severity: "low",
        description: "工会购置的健身器材、音响设备未登记固定资产。",
        recordedOn: on(9, 21),
        plan: { on: on(10, 20), note: "建立固定资产台账，补登入账。" },
        evidence: { on: on(11, 10), note: "报送固定资产台账。" },
        resolved: { on: on(11, 16), outcome: "closed", note: "已登记入账，销号。" },
      },
      {
        id: "finding-2010-07",
        category: "over-standard",
        severity: "medium",
        amountInQuestion: 4_500,
        description: "中秋节慰问品人均超出规定标准，超支4,500元。",
        recordedOn: on(9, 29),
        plan: { on: on(10, 20), note: "超标部分调整至行政福利费列支。" },
        evidence: { on: on(11, 10), note: "已作账务调整，附调账凭证。", reclassified: 4_500 },
        resolved: { on: on(11, 16), outcome: "closed", note: "已调账，销号。" },
      },
    ],
  },
  {
    id: "audit-2010-06",
    unitId: "bazhou-construction",
    startedOn: on(10, 25),
    completedOn: on(11, 26),
    summary: "工会经费被企业挪用垫付行政开支，已下达整改通知，限期归还。",
    findings: [
      {
        id: "finding-2010-08",
        category: "diverted-funds",
        severity: "high",
        amountInQuestion: 12_000,
        description: "企业挪用工会经费12,000元垫付工程项目行政开支，至审计时未归还。",
        recordedOn: on(11, 18),
        plan: { on: on(12, 13), note: "企业承诺分两期归还，2011年3月底前还清。", dueBy: "2011-03-31" },
      },
    ],
  },
];

export function addAudits(b: ScriptBuilder): void {
  b.add(on(3, 5), committee, "audit-plan/2010", {
    type: "set-audit-plan",
    year: 2010,
    targetCount: AUDIT_TARGET,
    on: on(3, 5),
  });
  for (const audit of AUDITS) {
    b.add(audit.startedOn, committee, `audit/${audit.id}/start`, {
      type: "start-audit",
      auditId: audit.id,
      unitId: audit.unitId,
      period: { from: "2009-01-01", to: "2009-12-31" },
      scope: SCOPE,
      startedOn: audit.startedOn,
    });
    for (const finding of audit.findings) addFinding(b, audit, finding);
    b.add(audit.completedOn, committee, `audit/${audit.id}/complete`, {
      type: "complete-audit",
      auditId: audit.id,
      completedOn: audit.completedOn,
      summary: audit.summary,
    });
  }
}

function addFinding(b: ScriptBuilder, audit: Audit, finding: Finding): void {
  const { id, category, severity, description, amountInQuestion, recordedOn, related } = finding;
  const record = {
    type: "record-finding" as const,
    findingId: id,
    auditId: audit.id,
    unitId: audit.unitId,
    category,
    severity,
    ...(amountInQuestion ? { amountInQuestion: yuan(amountInQuestion) } : {}),
    description,
    recordedOn,
  };
  b.add(
    recordedOn,
    committee,
    `finding/${id}/record`,
    related ? (seqOf) => ({ ...record, relatedEntries: related.map((key) => seqOf(b.keyOf(key))) }) : record,
  );
  if (finding.plan) {
    const { on: submittedOn, note, dueBy } = finding.plan;
    b.add(submittedOn, finance, `finding/${id}/plan`, {
      type: "submit-rectification-plan",
      findingId: id,
      note,
      submittedOn,
      ...(dueBy ? { dueBy } : {}),
    });
  }
  if (finding.evidence) {
    const { on: submittedOn, note, recovered, reclassified } = finding.evidence;
    b.add(submittedOn, finance, `finding/${id}/evidence`, {
      type: "submit-rectification-evidence",
      findingId: id,
      note,
      submittedOn,
      ...(recovered ? { amountRecovered: yuan(recovered) } : {}),
      ...(reclassified ? { amountReclassified: yuan(reclassified) } : {}),
    });
  }
  if (finding.resolved) {
    const { on: resolvedOn, outcome, note } = finding.resolved;
    b.add(resolvedOn, committee, `finding/${id}/resolve`, {
      type: "resolve-finding",
      findingId: id,
      outcome,
      note,
      resolvedOn,
    });
  }
}
