import { beforeAll, describe, expect, it } from "vitest";
import { deploy as deployWith, loadConfig, type SstConfig, tableArn } from "../infra/stand-ins.ts";
import { VERIFY_HANDLER, VERIFY_SCHEDULE } from "../infra/verify.ts";
import { evaluate, type Request } from "./support/iam.ts";

let config: SstConfig;
beforeAll(async () => {
  config = await loadConfig();
});
const deploy = (stage: string) => deployWith(config, stage);

const journal = tableArn("relief-ledger-prod-JournalTable");
const state = tableArn("relief-ledger-prod-StateTable");
const FUNCTIONS = ["Api", "ApiRead", "ApiExport", "Rollup", "Checkpoint", "Expiry", "Verify"];
type Alarm = MetricAlarmArgs;

describe("infra: alerts, alarms and traces", () => {
  it("mails every alarm to the stage's AlertEmail through one SNS topic", async () => {
    const { find, made } = await deploy("prod");
    const topic = "arn:aws:sns:ap-east-1:111122223333:relief-ledger-prod-AlertsTopic";
    expect(find("TopicSubscription", "AlertsByEmail").args).toEqual({
      topic,
      protocol: "email",
      endpoint: "secret-value-of-AlertEmail",
    });
    const alarms = made.filter((item) => item.kind === "MetricAlarm");
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect((alarm.args as unknown as Alarm).alarmActions, alarm.name).toEqual([topic]);
      expect((alarm.args as unknown as Alarm).okActions, alarm.name).toEqual([topic]);
    }
  });

  it("alarms on the API's 5xx rate, each function's errors and throttles, the tables, the rollup and the chain", async () => {
    const { made, find } = await deploy("prod");
    const names = made.filter((item) => item.kind === "MetricAlarm").map((item) => item.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Api5xxRate",
        ...FUNCTIONS.flatMap((name) => [`${name}Errors`, `${name}Throttles`]),
        "JournalTableThrottles",
        "JournalTableSystemErrors",
        "StateTableThrottles",
        "StateTableSystemErrors",
        "RollupFailed",
        "RollupDeadLetters",
        "ChainVerificationFailed",
      ]),
    );
    const alarm = (name: string) => find("MetricAlarm", name).args as unknown as Alarm;
    const rate = alarm("Api5xxRate");
    expect(rate.metricQueries?.map((query) => query.metric?.metricName ?? query.expression)).toEqual([
      "5xx",
      "Count",
      "100 * errors / MAX([requests, 1])",
    ]);
    expect(rate.metricQueries?.[0]?.metric?.dimensions).toEqual({ ApiId: "api-id-of-Http" });
    expect(alarm("VerifyErrors")).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "relief-ledger-prod-VerifyFunction" },
      threshold: 1,
    });
    // The ledger's own metrics, dimensioned by the stage only, as the functions publish them.
    expect(alarm("ChainVerificationFailed")).toMatchObject({
      namespace: "ReliefLedger",
      metricName: "ChainVerificationFailures",
      dimensions: { stage: "prod" },
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
    expect(alarm("RollupFailed")).toMatchObject({ namespace: "ReliefLedger", metricName: "RollupFailures" });
    expect(String(alarm("StateTableSystemErrors").metricQueries?.[0]?.expression)).toContain(
      "WHERE TableName = 'relief-ledger-prod-StateTable'",
    );
  });

  it("alarms when a daily job has not run for two days: a run that never starts counts no error", async () => {
    const { made, find } = await deploy("prod");
    const notRun = made.filter((item) => item.kind === "MetricAlarm" && item.name.endsWith("NotRun"));
    expect(notRun.map((item) => item.name).sort()).toEqual(["ExpiryNotRun", "RollupNotRun", "VerifyNotRun"]);
    for (const job of ["Rollup", "Expiry", "Verify"]) {
      expect(find("MetricAlarm", `${job}NotRun`).args, job).toMatchObject({
        namespace: "AWS/Lambda",
        metricName: "Invocations",
        dimensions: { FunctionName: `relief-ledger-prod-${job}Function` },
        statistic: "Sum",
        period: 86_400,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        // A day without an invocation has no datapoint: missing must count as breaching.
        treatMissingData: "breaching",
      });
    }
  });

  it("sends a rollup run that failed every retry to a dead-letter queue, which alarms", async () => {
    const { find, fn } = await deploy("prod");
    const queue = "arn:aws:sqs:ap-east-1:111122223333:relief-ledger-prod-RollupDeadLettersQueue";
    expect(find("FunctionEventInvokeConfig", "RollupRetries").args).toMatchObject({
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: queue } },
    });
    expect(evaluate(fn("Rollup").permissions ?? [], { action: "sqs:SendMessage", resource: queue })).toBe("allow");
    expect(evaluate(fn("Api").permissions ?? [], { action: "sqs:SendMessage", resource: queue })).toBe("implicit-deny");
    expect((find("MetricAlarm", "RollupDeadLetters").args as unknown as Alarm).dimensions).toEqual({
      QueueName: "relief-ledger-prod-RollupDeadLettersQueue",
    });
  });

  it("traces every function actively, lets it send its traces, and tells it its stage", async () => {
    const { fn } = await deploy("prod");
    for (const name of FUNCTIONS) {
      expect(fn(name).transform?.function?.tracingConfig, name).toEqual({ mode: "Active" });
      expect(fn(name).environment?.LEDGER_STAGE, name).toBe("prod");
      const role = fn(name).permissions ?? [];
      for (const action of ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]) {
        expect(evaluate(role, { action, resource: "*" }), `${name} ${action}`).toBe("allow");
      }
    }
  });
});

describe("infra: the nightly chain verification", () => {
  it("runs the verify handler every night at 02:00 in Shanghai, after the rollup and its checkpoint", async () => {
    const { find, fn } = await deploy("prod");
    expect(VERIFY_SCHEDULE).toBe("cron(0 18 * * ? *)");
    expect(find("Cron", "NightlyVerification").args).toEqual({
      schedule: VERIFY_SCHEDULE,
      function: "arn:aws:lambda:ap-east-1:111122223333:function:relief-ledger-prod-VerifyFunction",
    });
    expect(fn("Verify")).toMatchObject({ handler: VERIFY_HANDLER, runtime: "nodejs24.x", architecture: "arm64" });
  });

  it("reads the journal and the books, and writes nothing but its own cursor items", async () => {
    const { fn } = await deploy("prod");
    const role = fn("Verify").permissions ?? [];
    const allowed: Request[] = [
      { action: "dynamodb:Query", resource: journal },
      { action: "dynamodb:GetItem", resource: state },
      { action: "dynamodb:Query", resource: `${state}/index/byKind` },
      { action: "dynamodb:PutItem", resource: state, context: { "dynamodb:LeadingKeys": "VERIFY#bazhou-2010" } },
    ];
    for (const request of allowed) expect(evaluate(role, request), JSON.stringify(request)).toBe("allow");
    const refused: Request[] = [
      // A head, an idempotency record, an entity: not its items.
      { action: "dynamodb:PutItem", resource: state, context: { "dynamodb:LeadingKeys": "BOOK#bazhou-2010" } },
      { action: "dynamodb:PutItem", resource: state, context: { "dynamodb:LeadingKeys": "VERIFY#a,IDEM#a#k" } },
      { action: "dynamodb:PutItem", resource: state, enclosingOperation: "TransactWriteItems" },
      { action: "dynamodb:PutItem", resource: journal, context: { "dynamodb:LeadingKeys": "VERIFY#x" } },
      { action: "dynamodb:UpdateItem", resource: state },
      { action: "dynamodb:DeleteItem", resource: state },
      { action: "dynamodb:Scan", resource: journal },
      { action: "kms:Sign", resource: "*" },
      { action: "lambda:InvokeFunction", resource: "*" },
      { action: "s3:PutObject", resource: "*" },
    ];
    for (const request of refused) expect(evaluate(role, request), JSON.stringify(request)).not.toBe("allow");
    // The journal's explicit deny holds even beside a blanket grant.
    const linked = [...role, { actions: ["dynamodb:*"], resources: [journal] }];
    expect(evaluate(linked, { action: "dynamodb:UpdateItem", resource: journal })).toBe("explicit-deny");
    expect(evaluate(linked, { action: "dynamodb:DeleteItem", resource: journal })).toBe("explicit-deny");
  });
});
