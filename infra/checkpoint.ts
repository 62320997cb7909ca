import { keyPolicyFor } from "./key-policy.ts";
import { bundling, JOB_INSTALL, LAMBDA_RUNTIME, tableEnvironment } from "./lambda.ts";
import { type CheckpointStore, type Checkpoints, checkpointPermissions, type Tables } from "./permissions.ts";
import { isProduction } from "./storage.ts";

export const CHECKPOINT_HANDLER = "packages/jobs/src/checkpoint-lambda.handler";

/**
 * "At least hourly while a book changes": a run signs each book whose head moved since its last
 * checkpoint and does nothing for the others. A month's close does not wait for it: the closing
 * function starts the job for that book at once.
 */
export const CHECKPOINT_SCHEDULE = "rate(1 hour)";

/**
 * How long S3 keeps each checkpoint unalterable, in compliance mode: nobody, the account's root
 * included, can delete it or shorten that before it ends. In production, 30 years: the period for
 * which China's accounting archive rules (会计档案管理办法, 2015) keep vouchers and ledgers, and the
 * checkpoints are what proves those ledgers were not rewritten. Elsewhere 1 day, the least S3
 * allows, so that a dev stage can be removed: a day after its last checkpoint.
 */
export const checkpointRetention = (stage: string) => (isProduction(stage) ? { years: 30 } : { days: 1 });

/** The checkpoint function's environment (checkpointsFromEnv in packages/store reads it). */
export const checkpointEnvironment = ({ key, bucket }: CheckpointStore) => ({
  LEDGER_CHECKPOINT_BUCKET: bucket.name,
  LEDGER_CHECKPOINT_KEY_ID: key.arn,
});

/**
 * The key that signs checkpoints, the bucket that keeps them and the job that takes them. The
 * threat is an insider who may read and write both tables (and so recompute every hash): only a
 * signature they cannot make, over a copy they cannot remove, names their rewrite.
 */
export function createCheckpoints(tables: Tables, stage: string): Checkpoints {
  // Ed25519 in KMS: the private half never leaves it, and the signature is the one the local key makes.
  const key = new aws.kms.Key("CheckpointKey", {
    description: `relief-ledger ${stage}: signs the journal's checkpoints`,
    customerMasterKeySpec: "ECC_NIST_EDWARDS25519",
    keyUsage: "SIGN_VERIFY",
    // The longest KMS allows: a key scheduled for deletion by mistake can be saved for a month.
    deletionWindowInDays: 30,
  });

  const production = isProduction(stage);
  const bucket = new sst.aws.Bucket(
    "Checkpoints",
    {
      versioning: true,
      cors: false,
      // A version under Object Lock cannot be deleted, but a delete marker can hide it from the
      // archive's reads; and a put over an existing name would hide it behind a new version. Neither
      // is allowed to anyone, whatever their role says: the job's puts carry If-None-Match.
      policy: [
        { effect: "deny", principals: "*", actions: ["s3:DeleteObject"], paths: ["*"] },
        {
          effect: "deny",
          principals: "*",
          actions: ["s3:PutObject"],
          paths: ["*"],
          conditions: [{ test: "Null", variable: "s3:if-none-match", values: ["true"] }],
        },
      ],
      transform: {
        // Object Lock can only be turned on as the bucket is created. SST empties a bucket it
        // removes (forceDestroy); production's is never removed. A dev stage's removal fails while
        // a checkpoint is under retention (a day): run `sst remove` again the next day.
        bucket: production ? { objectLockEnabled: true, forceDestroy: false } : { objectLockEnabled: true },
        publicAccessBlock: {
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
      },
    },
    production ? { retainOnDelete: true } : {},
  );
  new aws.s3.BucketObjectLockConfiguration("CheckpointsLock", {
    bucket: bucket.name,
    rule: { defaultRetention: { mode: "COMPLIANCE", ...checkpointRetention(stage) } },
  });

  const store = { key, bucket };
  const job = new sst.aws.Function("Checkpoint", {
    ...LAMBDA_RUNTIME,
    handler: CHECKPOINT_HANDLER,
    description: "relief-ledger: signs each changed book's chain into the Object Lock bucket",
    // A book's first checkpoint reads its whole journal, a page of 1,000 events at a time.
    timeout: "5 minutes",
    memory: "1024 MB",
    environment: { ...tableEnvironment(tables), ...checkpointEnvironment(store) },
    permissions: checkpointPermissions(tables, store),
    nodejs: bundling(JOB_INSTALL),
  });
  new aws.kms.KeyPolicy("CheckpointKeyPolicy", {
    keyId: key.id,
    policy: $jsonStringify(checkpointKeyPolicy(aws.getCallerIdentityOutput().accountId, job.nodes.role.arn)),
  });
  new aws.lambda.FunctionEventInvokeConfig("CheckpointRetries", {
    functionName: job.name,
    maximumRetryAttempts: 2,
    // A later run signs whatever an expired one would have: the next hour's does.
    maximumEventAgeInSeconds: 3600,
  });
  new sst.aws.Cron("HourlyCheckpoint", { schedule: CHECKPOINT_SCHEDULE, function: job.arn });
  return { ...store, job };
}

/**
 * The key's policy. The account administers the key and grants its use through IAM, as in the
 * default policy, except Sign: denied to every principal but the checkpoint function's role, so
 * that no IAM policy, grant or link can hand it to a role that writes the tables (or to a person).
 * Changing this policy (kms:PutKeyPolicy) is an administrator's act, logged in CloudTrail. It is a
 * resource of its own because it names the function's role, and the function's environment names
 * the key: until it is applied on the first deploy, the key has the default policy.
 */
export const checkpointKeyPolicy = (accountId: SstInput<string>, signerRoleArn: SstInput<string>) =>
  keyPolicyFor(accountId, { sid: "OnlyTheCheckpointFunctionSigns", action: "kms:Sign", roleArn: signerRoleArn });
