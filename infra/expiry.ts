import { bundling, JOB_INSTALL, LAMBDA_RUNTIME, tableEnvironment } from "./lambda.ts";
import { type CheckpointStore, expiryPermissions, type Tables } from "./permissions.ts";

export const EXPIRY_HANDLER = "packages/jobs/src/expire-lambda.handler";

/**
 * Every day at 16:10 UTC, which is 00:10 in Asia/Shanghai (UTC+8, no daylight saving), the books'
 * default time zone: the first minutes of a Shanghai book's new day, when yesterday's last
 * day-of-grace is over. It runs before the monthly rollup (16:30 UTC, infra/rollup.ts) because a
 * month is not closed while a proposal dated in it is pending: one that expired no longer holds
 * its month open. A book in another time zone has its proposals expired within a day.
 */
export const EXPIRY_SCHEDULE = "cron(10 16 * * ? *)";

/**
 * Lambda's retries of a failed asynchronous invocation (at most 2). Safe because each round's
 * idempotency key names the book, the day and the round: a retry replays what was recorded.
 */
export const EXPIRY_RETRIES = 2;

export function createExpiry(tables: Tables, checkpoints: CheckpointStore) {
  const job = new sst.aws.Function("Expiry", {
    ...LAMBDA_RUNTIME,
    handler: EXPIRY_HANDLER,
    description: "relief-ledger: voids every book's proposals older than its approvalTtlDays",
    // One run reads each book's head and appends a round per 25 expired proposals.
    timeout: "5 minutes",
    memory: "512 MB",
    // The tables alone: it closes no month, so it starts no checkpoint and needs no secret.
    environment: tableEnvironment(tables),
    permissions: expiryPermissions(tables, checkpoints),
    nodejs: bundling(JOB_INSTALL),
  });
  new aws.lambda.FunctionEventInvokeConfig("ExpiryRetries", {
    functionName: job.name,
    maximumRetryAttempts: EXPIRY_RETRIES,
    // Retries after the day's run has long passed are pointless: the next day's run does the work.
    maximumEventAgeInSeconds: 6 * 3600,
  });
  const cron = new sst.aws.Cron("DailyExpiry", { schedule: EXPIRY_SCHEDULE, function: job.arn });
  return { job, cron };
}
