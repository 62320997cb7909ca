import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { localDate } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleLambda } from "../infra/bundle.ts";
import { EXPIRY_HANDLER, EXPIRY_RETRIES, EXPIRY_SCHEDULE } from "../infra/expiry.ts";
import { BUNDLE_EXTERNAL } from "../infra/lambda.ts";
import { expiryPermissions, rollupPermissions } from "../infra/permissions.ts";
import { ROLLUP_SCHEDULE } from "../infra/rollup.ts";
import { deploy as deployWith, functionArn, keyArn, loadConfig, type SstConfig, tableArn } from "../infra/stand-ins.ts";
import { evaluate, type Request, type Statement } from "./support/iam.ts";

/**
 * infra/expiry.ts as sst.config.ts makes it (with the stand-ins of infra/stand-ins.ts): the daily
 * proposal expiry's function, its schedule and retries, and its role put to the IAM evaluator
 * (tests/support/iam.ts): exactly what an append needs, and nothing of the auditors' indexes, the
 * checkpoints or the other functions.
 */
let config: SstConfig;
beforeAll(async () => {
  config = await loadConfig();
});
const deploy = (stage: string) => deployWith(config, stage);

const FUNCTION = "relief-ledger-prod-ExpiryFunction";
const journal = tableArn("relief-ledger-prod-JournalTable");
const state = tableArn("relief-ledger-prod-StateTable");
const journalIndex = `${journal}/index/byBeneficiary`;
const stateIndex = `${state}/index/byKind`;
const BUCKET = "arn:aws:s3:::relief-ledger-prod-checkpointsbucket";
const KEY = keyArn("key-id-of-CheckpointKey");

const expiryRole = async (): Promise<Statement[]> => (await deploy("prod")).fn("Expiry").permissions ?? [];
const READS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
const isDynamo = (statement: Statement) => statement.actions.every((action) => action.startsWith("dynamodb:"));

describe("infra/expiry: the daily job", () => {
  it("runs the expiry's Lambda entry daily on Node.js 24, arm64, with Lambda's retries", async () => {
    const { find, fn } = await deploy("prod");
    expect(find("Cron", "DailyExpiry").args).toEqual({ schedule: EXPIRY_SCHEDULE, function: functionArn(FUNCTION) });
    expect(EXPIRY_SCHEDULE).toBe("cron(10 16 * * ? *)");
    expect(EXPIRY_HANDLER).toBe("packages/jobs/src/expire-lambda.handler");
    expect(fn("Expiry")).toMatchObject({
      handler: EXPIRY_HANDLER,
      runtime: "nodejs24.x",
      architecture: "arm64",
      nodejs: {
        format: "esm",
        minify: true,
        install: ["@aws-lambda-powertools/tracer"],
        esbuild: { external: [...BUNDLE_EXTERNAL, "@aws-lambda-powertools/tracer"], target: "node24" },
      },
    });
    expect(readFileSync("packages/jobs/src/expire-lambda.ts", "utf8")).toMatch(/export async function handler\(/);
    expect(find("FunctionEventInvokeConfig", "ExpiryRetries").args).toMatchObject({
      functionName: FUNCTION,
      maximumRetryAttempts: EXPIRY_RETRIES,
    });
    expect(EXPIRY_RETRIES).toBe(2);
  });

  it("is told where the tables are and nothing else: no secret, no checkpoint bucket, key or function", async () => {
    const { fn } = await deploy("prod");
    expect(fn("Expiry").environment).toEqual({
      LEDGER_JOURNAL_TABLE: "relief-ledger-prod-JournalTable",
      LEDGER_STATE_TABLE: "relief-ledger-prod-StateTable",
      LEDGER_STAGE: "prod",
    });
    // Linking a Dynamo table would grant dynamodb:* on it.
    expect(fn("Expiry").link ?? []).toEqual([]);
  });

  it("expires a Shanghai book's proposals ten minutes into its day, before the rollup closes its month", () => {
    const at = (schedule: string) => {
      const [, minute, hour] = /^cron\((\d+) (\d+) \* \* \? \*\)$/.exec(schedule) ?? [];
      return new Date(`2025-01-31T${hour}:${minute}:00Z`);
    };
    const run = at(EXPIRY_SCHEDULE);
    expect(run.toLocaleTimeString("en-GB", { timeZone: "Asia/Shanghai" })).toBe("00:10:00");
    expect(localDate("Asia/Shanghai", run)).toBe("2025-02-01");
    // A proposal that expired no longer keeps January from being closed at 00:30.
    expect(run.getTime()).toBeLessThan(at(ROLLUP_SCHEDULE).getTime());
  });
});

describe("infra/expiry: least privilege", () => {
  const reads: Request[] = [
    // A round already recorded is replayed from the journal, by seq and by key.
    { action: "dynamodb:Query", resource: journal },
    { action: "dynamodb:BatchGetItem", resource: journal },
    // The head, the idempotency record, the proposals and their payees.
    { action: "dynamodb:GetItem", resource: state },
    { action: "dynamodb:BatchGetItem", resource: state },
    // The books.
    { action: "dynamodb:Query", resource: stateIndex },
  ];
  const appends: Request[] = [
    { action: "dynamodb:PutItem", resource: journal, enclosingOperation: "TransactWriteItems" },
    { action: "dynamodb:PutItem", resource: state, enclosingOperation: "TransactWriteItems" },
  ];
  const handoff: Request[] = [
    { action: "dynamodb:Query", resource: state },
    { action: "dynamodb:DeleteItem", resource: state, enclosingOperation: "TransactWriteItems" },
  ];

  it("has the rollup's append permissions, statement for statement, less starting the checkpoint job", async () => {
    const tables = { journal: { name: "journal", arn: journal }, state: { name: "state", arn: state } };
    const store = { key: { arn: KEY }, bucket: { name: "bucket", arn: BUCKET } };
    const job = { name: "checkpoint", arn: functionArn("checkpoint") };
    const rollup = rollupPermissions(tables, { ...store, job });
    const withoutInvoke = rollup.filter((statement) => !statement.actions.includes("lambda:InvokeFunction"));
    expect(withoutInvoke).toHaveLength(rollup.length - 1);
    expect(expiryPermissions(tables, store)).toEqual(withoutInvoke);
  });

  it("lets it list the books, read what an append reads, and append only inside a transaction", async () => {
    const role = await expiryRole();
    for (const request of [...reads, ...appends, ...handoff]) {
      expect(evaluate(role, request), JSON.stringify(request)).toBe("allow");
    }
    expect(evaluate(role, { action: "dynamodb:PutItem", resource: journal })).toBe("implicit-deny");
    expect(evaluate(role, { action: "dynamodb:PutItem", resource: state })).toBe("implicit-deny");
    expect(evaluate(role, { action: "dynamodb:DeleteItem", resource: state })).toBe("implicit-deny");
    expect(evaluate(role, { action: "dynamodb:Query", resource: journalIndex })).toBe("implicit-deny");
    expect(evaluate(role, { action: "dynamodb:Scan", resource: journal })).toBe("implicit-deny");
    expect(evaluate(role, { action: "dynamodb:Scan", resource: state })).toBe("implicit-deny");
  });

  it("denies it every change to the journal, even beside a blanket allow", async () => {
    const role = await expiryRole();
    const denies = role.filter((statement) => statement.effect === "deny" && isDynamo(statement));
    expect(denies).toHaveLength(1);
    expect(denies[0]?.resources).toEqual([journal, `${journal}/index/*`]);
    const linked = [...role, { actions: ["dynamodb:*"], resources: [journal, `${journal}/*`] }];
    for (const action of ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]) {
      for (const resource of [journal, journalIndex]) {
        for (const enclosingOperation of [undefined, "TransactWriteItems"]) {
          expect(evaluate(linked, { action, resource, enclosingOperation }), `${action} ${resource}`).toBe(
            "explicit-deny",
          );
        }
      }
    }
  });

  it("allows only reads, the transaction's Puts and the handoff's Deletes, on the two tables and their indexes", async () => {
    const role = await expiryRole();
    const traces = (s: Statement) => s.actions.every((action) => action.startsWith("xray:Put"));
    for (const statement of role.filter((s) => (s.effect ?? "allow") === "allow" && !traces(s))) {
      expect(isDynamo(statement), JSON.stringify(statement.actions)).toBe(true);
      // A handoff's mail is deleted as it is decided (handoff.ts): on the state table only.
      const onStateOnly = statement.resources.map(String).join() === state;
      const allowed = [...READS, "dynamodb:PutItem", ...(onStateOnly ? ["dynamodb:DeleteItem"] : [])];
      for (const action of statement.actions) expect(allowed, action).toContain(action);
      for (const resource of statement.resources.map(String)) {
        expect([journal, state, `${journal}/index/*`, `${state}/index/*`]).toContain(resource);
      }
      if (statement.actions.some((action) => action === "dynamodb:PutItem" || action === "dynamodb:DeleteItem")) {
        expect(statement.conditions?.[0]?.values).toEqual(["TransactWriteItems"]);
      }
    }
  });

  it("gives it nothing of the checkpoints: no signing, no storing, no reading, no starting the job", async () => {
    const role = await expiryRole();
    const context = { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/relief-ledger-prod-ExpiryRole" };
    const by = (action: string, resource: string): Request => ({ action, resource, context });
    for (const [action, resource] of [
      ["kms:Sign", KEY],
      ["s3:PutObject", `${BUCKET}/books/b/1.json`],
    ]) {
      expect(evaluate(role, by(action as string, resource as string)), action).toBe("explicit-deny");
    }
    for (const [action, resource] of [
      ["kms:GetPublicKey", KEY],
      ["s3:GetObject", `${BUCKET}/books/b/1.json`],
      ["s3:ListBucket", BUCKET],
    ]) {
      expect(evaluate(role, by(action as string, resource as string)), action).toBe("implicit-deny");
    }
    for (const other of ["Checkpoint", "Api", "ApiRead", "ApiExport", "Rollup", "Expiry"]) {
      const target = functionArn(`relief-ledger-prod-${other}Function`);
      expect(evaluate(role, by("lambda:InvokeFunction", target)), other).toBe("implicit-deny");
    }
  });
});

describe("infra/expiry: the bundle", () => {
  it("bundles the handler as sst deploy would, and the bundle loads with only the runtime's SDK beside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "relief-ledger-expiry-bundle-"));
    try {
      const bundle = await bundleLambda("packages/jobs/src/expire-lambda.ts", join(dir, "expiry"));
      mkdirSync(join(dir, "node_modules"));
      symlinkSync(resolve("node_modules", "@aws-sdk"), join(dir, "node_modules", "@aws-sdk"), "dir");
      const script =
        "const m = await import(process.argv[1]); console.log(JSON.stringify({ handler: typeof m.handler }));";
      const child = spawnSync(
        process.execPath,
        ["--input-type=module", "-e", script, pathToFileURL(bundle.file).href],
        {
          cwd: dir,
          encoding: "utf8",
          timeout: 20_000,
          // Not the test run's environment: the tables' names only, as the function gets them.
          env: {
            PATH: process.env.PATH,
            AWS_REGION: "ap-east-1",
            LEDGER_JOURNAL_TABLE: "relief-ledger-journal",
            LEDGER_STATE_TABLE: "relief-ledger-state",
          },
        },
      );
      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout)).toEqual({ handler: "function" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
