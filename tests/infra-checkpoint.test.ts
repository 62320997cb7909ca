import { readFileSync } from "node:fs";
import { checkpointsFromEnv } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_HANDLER, CHECKPOINT_SCHEDULE, checkpointKeyPolicy } from "../infra/checkpoint.ts";
import { BUNDLE_EXTERNAL } from "../infra/lambda.ts";
import {
  ACCOUNT,
  deploy as deployWith,
  functionArn,
  keyArn,
  loadConfig,
  roleArn,
  type SstConfig,
} from "../infra/stand-ins.ts";

/**
 * infra/checkpoint.ts as sst.config.ts makes it (with the stand-ins of infra/stand-ins.ts): the key
 * that signs checkpoints, the Object Lock bucket that keeps them, the job and its schedule, and
 * which functions are told where they are. Who may do what with them: infra-iam.test.ts.
 */
let config: SstConfig;
beforeAll(async () => {
  config = await loadConfig();
});
const deploy = (stage: string) => deployWith(config, stage);

const BUCKET = "relief-ledger-prod-checkpointsbucket";
const KEY = keyArn("key-id-of-CheckpointKey");

describe("infra/checkpoint: the key", () => {
  it("is an Ed25519 signing key in KMS, the algorithm the store signs with", async () => {
    const { find } = await deploy("prod");
    const key = find("Key", "CheckpointKey").args;
    expect(key).toMatchObject({
      customerMasterKeySpec: "ECC_NIST_EDWARDS25519",
      keyUsage: "SIGN_VERIFY",
      deletionWindowInDays: 30,
    });
    // The policy is its own resource (KeyPolicy), which may name the function's role.
    expect(key.policy).toBeUndefined();
    // ED25519_SHA_512 is the one signing algorithm of that key spec; RAW: the statement itself is signed.
    const signer = readFileSync("packages/store/src/checkpoints/signer.ts", "utf8");
    expect(signer).toMatch(/MessageType: "RAW", SigningAlgorithm: "ED25519_SHA_512"/);
  });

  it("has a policy that denies Sign to every principal but the checkpoint function's role", async () => {
    const { find } = await deploy("prod");
    const { keyId, policy } = find("KeyPolicy", "CheckpointKeyPolicy").args as { keyId: string; policy: string };
    expect(keyId).toBe("key-id-of-CheckpointKey");
    const signer = roleArn("relief-ledger-prod-CheckpointRole");
    expect(JSON.parse(policy)).toEqual(checkpointKeyPolicy(ACCOUNT, signer));
    // What that policy does, next to each role's own statements, is put to the evaluator in infra-iam.test.ts.
    expect(JSON.parse(policy).Statement[1]).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: "kms:Sign",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": signer } },
    });
  });
});

describe("infra/checkpoint: the bucket", () => {
  it("locks every checkpoint in compliance mode from creation: 30 years in production, a day elsewhere", async () => {
    for (const [stage, retention] of [
      ["prod", { years: 30 }],
      ["production", { years: 30 }],
      ["dev", { days: 1 }],
    ] as const) {
      const { find } = await deploy(stage);
      const bucket = find("Bucket", "Checkpoints");
      expect(bucket.args, stage).toMatchObject({
        versioning: true,
        transform: { bucket: { objectLockEnabled: true } },
      });
      expect(find("BucketObjectLockConfiguration", "CheckpointsLock").args, stage).toEqual({
        bucket: `relief-ledger-${stage}-checkpointsbucket`,
        rule: { defaultRetention: { mode: "COMPLIANCE", ...retention } },
      });
    }
  });

  it("is never emptied or removed in production; a dev stage's is, once its retention is over", async () => {
    const prod = (await deploy("prod")).find("Bucket", "Checkpoints");
    // SST's Bucket sets forceDestroy: true unless its transform says otherwise.
    expect(prod.args.transform).toMatchObject({ bucket: { forceDestroy: false } });
    expect(prod.opts).toEqual({ retainOnDelete: true });
    const dev = (await deploy("dev")).find("Bucket", "Checkpoints");
    expect((dev.args.transform as { bucket: object }).bucket).not.toHaveProperty("forceDestroy");
    expect(dev.opts?.retainOnDelete).toBeUndefined();
  });

  it("blocks all public access, and refuses delete markers and overwrites to everyone", async () => {
    const { find } = await deploy("prod");
    const args = find("Bucket", "Checkpoints").args as SstBucketArgs;
    expect(args.transform?.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // No public or CloudFront read; SST's HTTPS-only statement stays (enforceHttps defaults to true).
    expect(args.access).toBeUndefined();
    expect(args.enforceHttps).toBeUndefined();
    expect(args.cors).toBe(false);
    expect(args.policy).toEqual([
      { effect: "deny", principals: "*", actions: ["s3:DeleteObject"], paths: ["*"] },
      {
        effect: "deny",
        principals: "*",
        actions: ["s3:PutObject"],
        paths: ["*"],
        conditions: [{ test: "Null", variable: "s3:if-none-match", values: ["true"] }],
      },
    ]);
    // The job's put is the conditional one that policy lets through.
    expect(readFileSync("packages/store/src/checkpoints/archive-s3.ts", "utf8")).toMatch(/IfNoneMatch: "\*"/);
  });
});

describe("infra/checkpoint: the job", () => {
  it("runs the checkpoint handler hourly on Node.js 24, told where the tables, the bucket and the key are", async () => {
    const { find, fn } = await deploy("prod");
    expect(CHECKPOINT_HANDLER).toBe("packages/jobs/src/checkpoint-lambda.handler");
    expect(readFileSync("packages/jobs/src/checkpoint-lambda.ts", "utf8")).toMatch(/export async function handler\(/);
    expect(fn("Checkpoint")).toMatchObject({
      handler: CHECKPOINT_HANDLER,
      runtime: "nodejs24.x",
      architecture: "arm64",
      timeout: "5 minutes",
      nodejs: {
        format: "esm",
        minify: true,
        install: ["@aws-lambda-powertools/tracer"],
        esbuild: { external: [...BUNDLE_EXTERNAL, "@aws-lambda-powertools/tracer"], target: "node24" },
      },
    });
    expect(fn("Checkpoint").environment).toEqual({
      LEDGER_JOURNAL_TABLE: "relief-ledger-prod-JournalTable",
      LEDGER_STATE_TABLE: "relief-ledger-prod-StateTable",
      LEDGER_STAGE: "prod",
      LEDGER_CHECKPOINT_BUCKET: BUCKET,
      LEDGER_CHECKPOINT_KEY_ID: KEY,
    });
    expect(CHECKPOINT_SCHEDULE).toBe("rate(1 hour)");
    expect(find("Cron", "HourlyCheckpoint").args).toEqual({
      schedule: "rate(1 hour)",
      function: functionArn("relief-ledger-prod-CheckpointFunction"),
    });
    expect(find("FunctionEventInvokeConfig", "CheckpointRetries").args).toMatchObject({
      functionName: "relief-ledger-prod-CheckpointFunction",
      maximumRetryAttempts: 2,
    });
  });

  it("tells the functions that read checkpoints where they are, and those that close months whom to start", async () => {
    const { fn, made } = await deploy("prod");
    const functions = made.filter((item) => item.kind === "Function").map((item) => item.name);
    expect(functions.sort()).toEqual(["Api", "ApiExport", "ApiRead", "Checkpoint", "Expiry", "Rollup", "Verify"]);
    const environment = (name: string) => (fn(name).environment ?? {}) as Record<string, string>;
    const having = (variable: string) => functions.filter((name) => variable in environment(name)).sort();
    expect(having("LEDGER_CHECKPOINT_BUCKET")).toEqual(["Api", "ApiExport", "ApiRead", "Checkpoint"]);
    expect(having("LEDGER_CHECKPOINT_KEY_ID")).toEqual(["Api", "ApiExport", "ApiRead", "Checkpoint"]);
    expect(having("LEDGER_CHECKPOINT_FUNCTION")).toEqual(["Api", "Rollup"]);
    for (const name of having("LEDGER_CHECKPOINT_FUNCTION")) {
      expect(environment(name).LEDGER_CHECKPOINT_FUNCTION).toBe("relief-ledger-prod-CheckpointFunction");
    }
    // The names are the ones the store reads: these functions get the S3 archive and the KMS key.
    for (const name of having("LEDGER_CHECKPOINT_BUCKET")) {
      expect(checkpointsFromEnv(environment(name)), name).toBeDefined();
      expect(environment(name)).toMatchObject({ LEDGER_CHECKPOINT_BUCKET: BUCKET, LEDGER_CHECKPOINT_KEY_ID: KEY });
    }
    for (const file of ["packages/jobs/src/lambda.ts", "packages/api/src/lambda-app.ts"]) {
      expect(readFileSync(file, "utf8"), file).toMatch(/process\.env\.LEDGER_CHECKPOINT_FUNCTION/);
    }
  });
});
