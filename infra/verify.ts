import { bundling, JOB_INSTALL, LAMBDA_RUNTIME, tableEnvironment } from "./lambda.ts";
import { type CheckpointStore, type Tables, verifyPermissions } from "./permissions.ts";

export const VERIFY_HANDLER = "packages/jobs/src/verify-lambda.handler";

/**
 * Every day at 18:00 UTC, 02:00 in Shanghai: after the rollup (00:30) has closed the month and its
 * checkpoint has been taken. Each run re-reads what was appended since the last and a rotating
 * slice of the older history (packages/store/src/verification/plan.ts), so that every entry is
 * re-read within a week.
 */
export const VERIFY_SCHEDULE = "cron(0 18 * * ? *)";

/**
 * The nightly chain verification. It reads the journal and the books, and writes only its own
 * cursor items (VERIFY#<book>) in the state table. A broken chain fails the run (the function's
 * error alarm) and counts a failure (the ChainVerificationFailed alarm): infra/alerts.ts.
 */
export function createVerify(tables: Tables, checkpoints: CheckpointStore) {
  const job = new sst.aws.Function("Verify", {
    ...LAMBDA_RUNTIME,
    handler: VERIFY_HANDLER,
    description: "relief-ledger: re-verifies every book's hash chain, new entries and a slice of the rest",
    // A first run reads every book whole, a page of 1,000 events at a time.
    timeout: "15 minutes",
    memory: "1024 MB",
    environment: tableEnvironment(tables),
    permissions: verifyPermissions(tables, checkpoints),
    nodejs: bundling(JOB_INSTALL),
  });
  new aws.lambda.FunctionEventInvokeConfig("VerifyRetries", {
    functionName: job.name,
    // A broken chain stays broken: retrying says nothing new, and the alarm has fired already.
    maximumRetryAttempts: 0,
    maximumEventAgeInSeconds: 3600,
  });
  const cron = new sst.aws.Cron("NightlyVerification", { schedule: VERIFY_SCHEDULE, function: job.arn });
  return { job, cron };
}
