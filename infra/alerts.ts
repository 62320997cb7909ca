import type { Tables } from "./permissions.ts";

/** The ledger's own metrics (packages/store/src/observe/metrics.ts): namespace and the stage dimension. */
const LEDGER = "ReliefLedger";

/** Five minutes: short enough to page within a quarter of an hour, long enough not to page on one bad request. */
const PERIOD = 300;

/** Above this share of answers being 5xx over a period, the API alarms (percent). */
export const API_5XX_PERCENT = 5;

export type Watched = {
  readonly stage: string;
  readonly tables: Tables;
  /** The HTTP API's id, for API Gateway's own metrics. */
  readonly apiId: SstInput<string>;
  /** Every function, by its SST name (Api, ApiRead, ApiExport, Rollup, Checkpoint, Expiry, Verify). */
  readonly functions: Readonly<Record<string, SstResource>>;
  /** The functions a daily schedule starts (Rollup, Expiry, Verify): a night without a run alarms too. */
  readonly daily: Readonly<Record<string, SstResource>>;
  readonly deadLetters: SstResource;
};

/** A day, the longest period an alarm takes; a daily job that misses two of them in a row alarms. */
const DAY = 86_400;

/**
 * Failures that cannot go unseen: an SNS topic mailed to the stage's AlertEmail (`npx sst secret set
 * AlertEmail ops@example.org --stage prod`: like the other secrets, a stage deploys only once it is
 * set; AWS mails a confirmation link that must be clicked once), and an alarm for each of: the
 * API's 5xx rate, each function's errors and throttles, each table's throttled requests and
 * system errors, a failed rollup run (its metric and its dead-letter queue), any chain
 * verification failure, and a daily job that stopped running (its schedule disabled or deleted, its
 * function unable to start: no error is ever counted for a run that never began). Each alarm says what to do in README.md, "Operating it".
 */
export function createAlerts(watched: Watched) {
  const email = new sst.Secret("AlertEmail");
  const topic = new aws.sns.Topic("Alerts", { displayName: `relief-ledger ${watched.stage}` });
  new aws.sns.TopicSubscription("AlertsByEmail", { topic: topic.arn, protocol: "email", endpoint: email.value });

  const alarm = (name: string, args: Omit<MetricAlarmArgs, "alarmActions" | "okActions">) =>
    new aws.cloudwatch.MetricAlarm(name, { ...args, alarmActions: [topic.arn], okActions: [topic.arn] });
  const once = { comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 1, evaluationPeriods: 1 } as const;

  alarm("Api5xxRate", {
    alarmDescription: `More than ${API_5XX_PERCENT}% of the API's answers were 5xx for 10 minutes`,
    comparisonOperator: "GreaterThanThreshold",
    threshold: API_5XX_PERCENT,
    evaluationPeriods: 2,
    treatMissingData: "notBreaching",
    metricQueries: [
      { id: "errors", metric: apiGateway("5xx", watched.apiId), returnData: false },
      { id: "requests", metric: apiGateway("Count", watched.apiId), returnData: false },
      { id: "rate", expression: "100 * errors / MAX([requests, 1])", label: "5xx %", returnData: true },
    ],
  });

  for (const [name, fn] of Object.entries(watched.functions)) {
    for (const metricName of ["Errors", "Throttles"] as const) {
      alarm(`${name}${metricName}`, {
        alarmDescription: `The ${name} function had ${metricName.toLowerCase()}`,
        ...once,
        treatMissingData: "notBreaching",
        namespace: "AWS/Lambda",
        metricName,
        dimensions: { FunctionName: fn.name },
        statistic: "Sum",
        period: PERIOD,
      });
    }
  }

  for (const [name, fn] of Object.entries(watched.daily)) {
    // Two days, not one: the day a stage is first deployed may end before its job's first run.
    alarm(`${name}NotRun`, {
      alarmDescription: `The ${name} function, run daily by its schedule, did not run for two days`,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // No invocation means no datapoint at all: missing data is the very thing to alarm on.
      treatMissingData: "breaching",
      namespace: "AWS/Lambda",
      metricName: "Invocations",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      period: DAY,
    });
  }

  for (const [name, table] of Object.entries(watched.tables)) {
    const title = name[0]?.toUpperCase() + name.slice(1);
    alarm(`${title}TableThrottles`, {
      alarmDescription: `Requests to the ${name} table were throttled`,
      ...once,
      treatMissingData: "notBreaching",
      metricQueries: [
        { id: "reads", metric: dynamo("ReadThrottleEvents", table.name), returnData: false },
        { id: "writes", metric: dynamo("WriteThrottleEvents", table.name), returnData: false },
        { id: "throttled", expression: "reads + writes", label: "throttled", returnData: true },
      ],
    });
    alarm(`${title}TableSystemErrors`, {
      alarmDescription: `DynamoDB answered requests to the ${name} table with system errors (HTTP 500)`,
      ...once,
      treatMissingData: "notBreaching",
      metricQueries: [
        {
          id: "errors",
          // Metrics Insights: SystemErrors is kept per operation; this sums every operation on the table.
          expression: $interpolate`SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", TableName, Operation) WHERE TableName = '${table.name}'`,
          period: PERIOD,
          label: "system errors",
          returnData: true,
        },
      ],
    });
  }

  alarm("RollupFailed", {
    alarmDescription: "A monthly rollup run failed (a month refused to close, or the run threw)",
    ...once,
    treatMissingData: "notBreaching",
    namespace: LEDGER,
    metricName: "RollupFailures",
    dimensions: { stage: watched.stage },
    statistic: "Sum",
    period: PERIOD,
  });
  alarm("RollupDeadLetters", {
    alarmDescription: "A rollup run failed after Lambda's retries: its event is in the dead-letter queue",
    ...once,
    treatMissingData: "notBreaching",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: watched.deadLetters.name },
    statistic: "Maximum",
    period: PERIOD,
  });
  alarm("ChainVerificationFailed", {
    alarmDescription:
      "The nightly verification found a book whose hash chain is broken: see its log for the first bad seq",
    ...once,
    treatMissingData: "notBreaching",
    namespace: LEDGER,
    metricName: "ChainVerificationFailures",
    dimensions: { stage: watched.stage },
    statistic: "Sum",
    period: PERIOD,
  });
  return { topic, email };
}

const apiGateway = (metricName: string, apiId: SstInput<string>) => ({
  namespace: "AWS/ApiGateway",
  metricName,
  dimensions: { ApiId: apiId },
  period: PERIOD,
  stat: "Sum",
});

const dynamo = (metricName: string, tableName: SstInput<string>) => ({
  namespace: "AWS/DynamoDB",
  metricName,
  dimensions: { TableName: tableName },
  period: PERIOD,
  stat: "Sum",
});
