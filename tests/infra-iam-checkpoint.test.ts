import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bucketArn,
  deploy,
  functionArn,
  keyArn,
  loadConfig,
  roleArn,
  type SstConfig,
  tableArn,
} from "../infra/stand-ins.ts";
import { evaluate, type Request, rolesOf, type Statement } from "./support/iam.ts";

/**
 * Who may do what with checkpoints: the roles of sst.config.ts, the key's policy and the bucket's,
 * put to the evaluator of tests/support/iam.ts. The adversary is whoever holds a role that writes
 * the tables, or a blanket grant added later: they must not be able to sign a checkpoint, nor
 * remove, hide or overwrite one.
 */
let config: SstConfig;
beforeAll(async () => {
  config = await loadConfig();
});

const KEY = keyArn("key-id-of-CheckpointKey");
const BUCKET = bucketArn("relief-ledger-prod-checkpointsbucket");
const OBJECT = `${BUCKET}/bazhou/000000000042.json`;
const CHECKPOINT_FUNCTION = functionArn("relief-ledger-prod-CheckpointFunction");
const roleOf = (name: string) => roleArn(`relief-ledger-prod-${name}Role`);
const EVERYTHING: Statement = { actions: ["*"], resources: ["*"] };
const isDynamo = (statement: Statement) => statement.actions.every((action) => action.startsWith("dynamodb:"));

/**
 * The resource policies as statements that sit beside a role's own. Their allows (the account's
 * root on the key) only hand the decision to IAM, so only their denies are kept.
 */
async function resourcePolicies(): Promise<Statement[]> {
  const { find } = await deploy(config, "prod");
  const keyPolicy = JSON.parse(String(find("KeyPolicy", "CheckpointKeyPolicy").args.policy)) as {
    Statement: { Effect: string; Action: string; Condition?: Record<string, Record<string, string>> }[];
  };
  const keyDenies = keyPolicy.Statement.filter((statement) => statement.Effect === "Deny").map(
    (statement): Statement => ({
      effect: "deny",
      actions: [statement.Action],
      // "*" in a key policy is the key itself.
      resources: [KEY],
      conditions: Object.entries(statement.Condition ?? {}).flatMap(([test, keys]) =>
        Object.entries(keys).map(([variable, value]) => ({ test, variable, values: [value] })),
      ),
    }),
  );
  const bucketDenies = ((find("Bucket", "Checkpoints").args as SstBucketArgs).policy ?? []).map(
    (statement): Statement => {
      expect(statement.principals).toBe("*");
      return {
        effect: statement.effect ?? "allow",
        actions: statement.actions,
        resources: (statement.paths ?? ["", "*"]).map((path) => (path === "" ? BUCKET : `${BUCKET}/${path}`)),
        ...(statement.conditions ? { conditions: statement.conditions } : {}),
      };
    },
  );
  expect(bucketDenies.every((statement) => statement.effect === "deny")).toBe(true);
  return [...keyDenies, ...bucketDenies];
}

/** A request made by a function's role, carrying its ARN (and, for a put, the If-None-Match header the job sends). */
const by = (name: string, action: string, resource: string, ifNoneMatch = true): Request => ({
  action,
  resource,
  context: { "aws:PrincipalArn": roleOf(name), ...(ifNoneMatch ? { "s3:if-none-match": "*" } : {}) },
});

describe("checkpoint permissions", () => {
  it("lets the checkpoint role alone sign and store a checkpoint, whatever else a role is granted", async () => {
    const roles = await rolesOf(config);
    const policies = await resourcePolicies();
    for (const [name, statements] of Object.entries(roles)) {
      for (const [action, resource] of [
        ["kms:Sign", KEY],
        ["s3:PutObject", OBJECT],
      ] as const) {
        const request = by(name, action, resource);
        const expected = name === "Checkpoint" ? "allow" : "explicit-deny";
        expect(evaluate([...statements, ...policies], request), `${name} ${action}`).toBe(expected);
        // A blanket grant (a link, a managed policy attached later) changes nothing, and the role's
        // own deny holds it off without the key's and the bucket's policies.
        expect(evaluate([...statements, ...policies, EVERYTHING], request), `${name} ${action}, *`).toBe(expected);
        expect(evaluate([...statements, EVERYTHING], request), `${name} ${action}, role alone`).toBe(expected);
      }
    }
    // Not even an administrator of the account signs: the key policy names the job's role alone.
    const admin = { "aws:PrincipalArn": roleArn("Administrator") };
    expect(evaluate([EVERYTHING, ...policies], { action: "kms:Sign", resource: KEY, context: admin })).toBe(
      "explicit-deny",
    );
    expect(evaluate([EVERYTHING, ...policies], { action: "kms:GetPublicKey", resource: KEY, context: admin })).toBe(
      "allow",
    );
  });

  it("lets no role delete, hide or shorten the retention of a checkpoint, the job's included", async () => {
    const roles = await rolesOf(config);
    const tampering: [string, string][] = [
      ["s3:DeleteObject", OBJECT],
      ["s3:DeleteObjectVersion", OBJECT],
      ["s3:PutObjectRetention", OBJECT],
      ["s3:BypassGovernanceRetention", OBJECT],
      ["s3:PutBucketObjectLockConfiguration", BUCKET],
    ];
    for (const [name, statements] of Object.entries(roles)) {
      for (const [action, resource] of tampering) {
        // The role's own deny, even beside a blanket allow and without the bucket's policy.
        expect(evaluate([...statements, EVERYTHING], by(name, action, resource)), `${name} ${action}`).toBe(
          "explicit-deny",
        );
      }
    }
  });

  it("refuses to anyone a delete marker, and a put over an existing checkpoint's name", async () => {
    const { Checkpoint } = await rolesOf(config);
    const policies = await resourcePolicies();
    const admin = { "aws:PrincipalArn": roleArn("Administrator") };
    expect(evaluate([EVERYTHING, ...policies], { action: "s3:DeleteObject", resource: OBJECT, context: admin })).toBe(
      "explicit-deny",
    );
    // A put without If-None-Match would stack a new version over the checkpoint: refused, even to the job.
    expect(evaluate([...Checkpoint, ...policies], by("Checkpoint", "s3:PutObject", OBJECT, false))).toBe(
      "explicit-deny",
    );
    expect(evaluate([EVERYTHING, ...policies], { action: "s3:PutObject", resource: OBJECT, context: admin })).toBe(
      "explicit-deny",
    );
  });

  it("lets the API roles and the job read checkpoints and the public key, and the rollup and expiry not", async () => {
    const roles = await rolesOf(config);
    const reads: [string, string][] = [
      ["s3:ListBucket", BUCKET],
      ["s3:GetObject", OBJECT],
      ["kms:GetPublicKey", KEY],
    ];
    for (const [name, statements] of Object.entries(roles)) {
      for (const [action, resource] of reads) {
        const expected = name === "Rollup" || name === "Expiry" ? "implicit-deny" : "allow";
        expect(evaluate(statements, by(name, action, resource)), `${name} ${action}`).toBe(expected);
      }
    }
  });

  it("lets Api and Rollup start the checkpoint function, no other role, and no other function", async () => {
    const roles = await rolesOf(config);
    for (const [name, statements] of Object.entries(roles)) {
      const expected = name === "Api" || name === "Rollup" ? "allow" : "implicit-deny";
      expect(evaluate(statements, by(name, "lambda:InvokeFunction", CHECKPOINT_FUNCTION)), name).toBe(expected);
      for (const other of ["Api", "ApiRead", "ApiExport", "Rollup"]) {
        const target = functionArn(`relief-ledger-prod-${other}Function`);
        expect(evaluate(statements, by(name, "lambda:InvokeFunction", target)), `${name} → ${other}`).toBe(
          "implicit-deny",
        );
      }
    }
  });

  it("lets the job read a book's head, events and list, and write nothing to the tables", async () => {
    const { Checkpoint } = await rolesOf(config);
    const journal = tableArn("relief-ledger-prod-JournalTable");
    const state = tableArn("relief-ledger-prod-StateTable");
    for (const [action, resource] of [
      ["dynamodb:Query", journal],
      ["dynamodb:GetItem", state],
      ["dynamodb:Query", `${state}/index/byKind`],
    ]) {
      expect(evaluate(Checkpoint, { action, resource } as Request), `${action} ${resource}`).toBe("allow");
    }
    for (const [action, resource] of [
      ["dynamodb:BatchGetItem", journal],
      ["dynamodb:Query", `${journal}/index/byBeneficiary`],
      ["dynamodb:Query", state],
      ["dynamodb:Scan", journal],
    ]) {
      expect(evaluate(Checkpoint, { action, resource } as Request), `${action} ${resource}`).toBe("implicit-deny");
    }
    for (const action of ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"]) {
      for (const resource of [journal, state]) {
        const request = { action, resource, enclosingOperation: "TransactWriteItems" };
        expect(evaluate(Checkpoint, request), `${action} ${resource}`).not.toBe("allow");
      }
    }
  });

  it("grants each role exactly its part of the checkpoints' calls, on their key, bucket and function", async () => {
    const read = ["kms:GetPublicKey:KEY", "s3:GetObject:OBJECTS", "s3:ListBucket:BUCKET"];
    // Every role sends its traces (active tracing: infra/observability.ts); the rollup also its dead letters.
    const traces = ["xray:PutTelemetryRecords:*", "xray:PutTraceSegments:*"];
    const deadLetters = `sqs:SendMessage:arn:aws:sqs:ap-east-1:111122223333:relief-ledger-prod-RollupDeadLettersQueue`;
    const expected: Record<string, string[]> = {
      // The data key's grants (infra/data-key.ts), the writer's alone.
      Api: [
        ...read,
        "lambda:InvokeFunction:FUNCTION",
        "kms:Decrypt:DATA_KEY",
        "kms:GenerateDataKey:DATA_KEY",
        ...traces,
      ],
      ApiRead: [...read, ...traces],
      ApiExport: [...read, ...traces],
      Rollup: ["lambda:InvokeFunction:FUNCTION", deadLetters, ...traces],
      Checkpoint: [...read, "kms:Sign:KEY", "s3:PutObject:OBJECTS", ...traces],
      Expiry: traces,
    };
    const named: Record<string, string> = { [KEY]: "KEY", [BUCKET]: "BUCKET", [`${BUCKET}/*`]: "OBJECTS" };
    named[CHECKPOINT_FUNCTION] = "FUNCTION";
    named[keyArn("key-id-of-DataKey")] = "DATA_KEY";
    for (const [name, statements] of Object.entries(await rolesOf(config))) {
      const allows = statements.filter((s) => (s.effect ?? "allow") === "allow" && !isDynamo(s));
      const grants = allows.flatMap((statement) =>
        statement.actions.flatMap((action) =>
          statement.resources.map((resource) => `${action}:${named[String(resource)] ?? String(resource)}`),
        ),
      );
      expect(grants.sort(), name).toEqual(expected[name]?.sort());
    }
  });

  it("covers every S3, KMS and Lambda call the checkpoints make (a new one must be granted or refused here first)", () => {
    const dirs = ["packages/store/src/checkpoints", "packages/jobs/src", "packages/api/src"];
    const sources = dirs
      .flatMap((dir) =>
        readdirSync(dir)
          .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
          .map((file) => readFileSync(join(dir, file), "utf8")),
      )
      .join("\n");
    const commands = new Set([...sources.matchAll(/new (\w+)Command\(/g)].map((match) => match[1]));
    // ListObjectsV2 is authorised as s3:ListBucket; an asynchronous Invoke as lambda:InvokeFunction.
    expect([...commands].sort()).toEqual(["GetObject", "GetPublicKey", "Invoke", "ListObjectsV2", "PutObject", "Sign"]);
  });
});
