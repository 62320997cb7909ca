import { bundling, JOB_INSTALL, LAMBDA_RUNTIME, tableEnvironment } from "./lambda.ts";
import { type Checkpoints, rollupPermissions, sendToDeadLetters, type Tables } from "./permissions.ts";

export const ROLLUP_HANDLER = "packages/jobs/src/lambda.handler";

/**
 * Every day at 16:30 UTC, which is 00:30 in Asia/Shanghai (UTC+8, no daylight saving), the books'
 * default time zone. EventBridge rules run in UTC. The job closes, for each book, every month that
 * is over in that book's own time zone (lastCompleteMonth), so:
 * - a Shanghai book's month is closed half an hour after it ends;
 * - a book in another time zone is closed within a day of its month's end;
 * - a day whose run failed for good is made up by the next day's run, which closes all the
 *   months still open, in order.
 * On the other days it reads each book's head, finds nothing complete, and writes nothing.
 */
export const ROLLUP_SCHEDULE = "cron(30 16 * * ? *)";

/**
 * Lambda's retries of a failed asynchronous invocation (at most 2). Safe because the rollup is
 * idempotent: closing a closed month compares hashes and writes nothing, and a half-done run's
 * closed months keep their `close-<period>` idempotency keys.
 */
export const ROLLUP_RETRIES = 2;

export function createRollup(tables: Tables, checkpoints: Checkpoints) {
  // A run that failed every retry lands here (its on-failure destination), alarmed (infra/alerts.ts):
  // the event holds no ledger data, only the cron's time, and the failure itself is in the log.
  const deadLetters = new aws.sqs.Queue("RollupDeadLetters", {
    // The longest SQS keeps a message: two weeks to look at it.
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: true,
  });
  const job = new sst.aws.Function("Rollup", {
    ...LAMBDA_RUNTIME,
    handler: ROLLUP_HANDLER,
    description: "relief-ledger: closes every book's finished months",
    // One run folds every open, finished month of every book, a page of 1,000 events at a time.
    timeout: "5 minutes",
    memory: "1024 MB",
    // It may not sign: after closing a book's months it starts the checkpoint function for the book.
    environment: { ...tableEnvironment(tables), LEDGER_CHECKPOINT_FUNCTION: checkpoints.job.name },
    permissions: [...rollupPermissions(tables, checkpoints), sendToDeadLetters(deadLetters)],
    nodejs: bundling(JOB_INSTALL),
  });
  new aws.lambda.FunctionEventInvokeConfig("RollupRetries", {
    functionName: job.name,
    maximumRetryAttempts: ROLLUP_RETRIES,
    // Retries after the day's run has long passed are pointless: the next day's run does the work.
    maximumEventAgeInSeconds: 6 * 3600,
    destinationConfig: { onFailure: { destination: deadLetters.arn } },
  });
  const cron = new sst.aws.Cron("MonthlyRollup", { schedule: ROLLUP_SCHEDULE, function: job.arn });
  return { job, cron, deadLetters };
}
