import { readFileSync } from "node:fs";
import { localDate } from "@relief-ledger/core";
import { JOURNAL_INDEXES, lastCompleteMonth, STATE_INDEXES } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { API_HANDLER, API_STREAM_HANDLER } from "../infra/api.ts";
import { BUNDLE_EXTERNAL } from "../infra/lambda.ts";
import { ROLLUP_HANDLER, ROLLUP_RETRIES, ROLLUP_SCHEDULE } from "../infra/rollup.ts";
import { deploy as deployWith, functionArn, keyArn, loadConfig, roleArn, type SstConfig } from "../infra/stand-ins.ts";
import { isProduction } from "../infra/storage.ts";

/**
 * Evaluates sst.config.ts as `sst deploy` would, with stand-ins for SST's globals that record what
 * the infra asks for (infra/stand-ins.ts), and checks the tables, functions, routes and schedule.
 * The roles' permissions are checked in infra-iam.test.ts.
 */
type Args = Record<string, unknown>;

let config: SstConfig;
beforeAll(async () => {
  config = await loadConfig();
});
const deploy = (stage: string) => deployWith(config, stage);

describe("sst.config.ts", () => {
  it("retains and protects production, and removes other stages cleanly", () => {
    expect(config.app({ stage: "prod" })).toMatchObject({ name: "relief-ledger", removal: "retain", protect: true });
    expect(config.app({ stage: "production" })).toMatchObject({ removal: "retain", protect: true });
    expect(config.app({ stage: "dev" })).toMatchObject({ removal: "remove", protect: false });
    // The same stages whose tables infra/storage.ts protects.
    for (const stage of ["prod", "production", "dev", "alice"]) {
      expect(config.app({ stage }).protect, stage).toBe(isProduction(stage));
    }
  });

  it("returns the API's URL and the tables' names", async () => {
    const { outputs } = await deploy("prod");
    expect(outputs).toEqual({
      api: "https://api.example",
      exports: "https://relief-ledger-prod-apiexportfunction.lambda-url.example",
      journalTable: "relief-ledger-prod-JournalTable",
      stateTable: "relief-ledger-prod-StateTable",
      checkpointBucket: "relief-ledger-prod-checkpointsbucket",
      checkpointKey: keyArn("key-id-of-CheckpointKey"),
      dataKey: keyArn("key-id-of-DataKey"),
      alerts: "arn:aws:sns:ap-east-1:111122223333:relief-ledger-prod-AlertsTopic",
      rollupDeadLetters: "https://sqs.ap-east-1.amazonaws.com/111122223333/relief-ledger-prod-RollupDeadLettersQueue",
    });
  });
});

describe("infra/storage", () => {
  it("makes the journal with its five indexes and a stream, and the state table with byKind", async () => {
    const { find } = await deploy("prod");
    const journal = find("Dynamo", "Journal").args;
    expect(journal).toMatchObject({
      fields: { book: "string", seq: "number", xBeneficiary: "string", xProgram: "string", xProgramMonth: "string" },
      primaryIndex: { hashKey: "book", rangeKey: "seq" },
      stream: "new-image",
    });
    expect(journal.globalIndexes).toEqual(
      Object.fromEntries(
        Object.values(JOURNAL_INDEXES).map((index) => [
          index.name,
          { hashKey: index.partitionKey.name, rangeKey: index.sortKey.name },
        ]),
      ),
    );
    expect(Object.keys(journal.globalIndexes as Args)).toEqual([
      "byBeneficiary",
      "byProgram",
      "byProgramMonth",
      "byUnit",
      "byBatch",
    ]);
    const state = find("Dynamo", "State").args;
    expect(state).toMatchObject({
      fields: { pk: "string", sk: "string", xKind: "string", xId: "string" },
      primaryIndex: { hashKey: "pk", rangeKey: "sk" },
      globalIndexes: { byKind: { hashKey: STATE_INDEXES.byKind.partitionKey.name, rangeKey: "xId" } },
    });
    expect(state).not.toHaveProperty("stream");
  });

  it("bills on demand with point-in-time recovery everywhere, protects and retains only production", async () => {
    const prod = await deploy("prod");
    for (const name of ["Journal", "State"]) {
      const table = prod.find("Dynamo", name);
      expect(table.args.transform).toEqual({
        table: {
          billingMode: "PAY_PER_REQUEST",
          pointInTimeRecovery: { enabled: true },
          deletionProtectionEnabled: true,
        },
      });
      expect(table.opts).toEqual({ retainOnDelete: true });
    }
    const dev = await deploy("dev");
    for (const name of ["Journal", "State"]) {
      const table = dev.find("Dynamo", name);
      expect(table.args.transform).toMatchObject({
        table: { pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: false },
      });
      expect(table.opts?.retainOnDelete).toBeUndefined();
    }
  });
});

describe("infra/api", () => {
  it("runs the Hono app's Lambda entry on Node.js 24, arm64, in two functions", async () => {
    const { fn } = await deploy("prod");
    expect(API_HANDLER).toBe("packages/api/src/lambda.handler");
    expect(readFileSync("packages/api/src/lambda.ts", "utf8")).toMatch(/export const handler = handle\(\s*lambdaApp\(/);
    for (const name of ["Api", "ApiRead", "ApiExport"]) {
      const handler = name === "ApiExport" ? API_STREAM_HANDLER : API_HANDLER;
      expect(fn(name)).toMatchObject({ handler, runtime: "nodejs24.x", architecture: "arm64" });
      expect(fn(name).nodejs).toEqual({
        format: "esm",
        minify: true,
        plugins: "infra/esbuild-plugins.mjs",
        install: [
          "swagger-ui-dist",
          "exceljs",
          "@aws-lambda-powertools/tracer",
          "@aws-lambda-powertools/logger",
          "@aws-lambda-powertools/metrics",
        ],
        esbuild: {
          external: [
            ...BUNDLE_EXTERNAL,
            "swagger-ui-dist",
            "exceljs",
            "@aws-lambda-powertools/tracer",
            "@aws-lambda-powertools/logger",
            "@aws-lambda-powertools/metrics",
          ],
          target: "node24",
        },
      });
    }
  });

  it("hands the functions the tables' names, both secrets and the checkpoints, and links the secrets but not the tables", async () => {
    const { fn, made } = await deploy("prod");
    expect(made.filter((item) => item.kind === "Secret").map((item) => item.name)).toEqual([
      "JwtSecret",
      "IdHashKey",
      "AlertEmail",
    ]);
    for (const name of ["Api", "ApiRead", "ApiExport"]) {
      expect(fn(name).environment).toEqual({
        LEDGER_JOURNAL_TABLE: "relief-ledger-prod-JournalTable",
        LEDGER_STATE_TABLE: "relief-ledger-prod-StateTable",
        LEDGER_JWT_SECRET: "secret-value-of-JwtSecret",
        LEDGER_ID_HASH_KEY: "secret-value-of-IdHashKey",
        // The stage, the one dimension of the ledger's metrics (infra/observability.ts gives every function).
        LEDGER_STAGE: "prod",
        // verify and the checkpoint routes read the checkpoints and the key's public half.
        LEDGER_CHECKPOINT_BUCKET: "relief-ledger-prod-checkpointsbucket",
        LEDGER_CHECKPOINT_KEY_ID: keyArn("key-id-of-CheckpointKey"),
        // The buffered functions name the streamed export URL when an export outgrows them.
        ...(name === "ApiExport"
          ? {}
          : { LEDGER_EXPORTS_URL: "https://relief-ledger-prod-apiexportfunction.lambda-url.example" }),
        // The writer closes months, and then starts the checkpoint job.
        // The writer closes months, and then starts the checkpoint job; it alone seals and opens bank accounts.
        ...(name === "Api"
          ? {
              LEDGER_CHECKPOINT_FUNCTION: "relief-ledger-prod-CheckpointFunction",
              LEDGER_DATA_KEY_ID: keyArn("key-id-of-DataKey"),
            }
          : {}),
      });
      // Linking a Dynamo table would grant dynamodb:* on it: only the secrets are linked.
      expect((fn(name).link ?? []).map((item) => (item as { name: string }).name)).toEqual(["JwtSecret", "IdHashKey"]);
    }
  });

  it("routes GETs to the read-only function and everything else to the writer", async () => {
    const { routes, find } = await deploy("prod");
    expect(find("ApiGatewayV2", "Http").args).toEqual({ cors: false });
    expect(routes).toEqual([
      {
        route: "GET /{proxy+}",
        handler: functionArn("relief-ledger-prod-ApiReadFunction"),
      },
      // Taking a disbursement file journals it: the one GET the writer serves.
      {
        route: "GET /v1/books/{book}/payout-batches/{id}/bank-file",
        handler: functionArn("relief-ledger-prod-ApiFunction"),
      },
      { route: "$default", handler: functionArn("relief-ledger-prod-ApiFunction") },
    ]);
  });

  it("makes a data key for bank accounts that only the writer may open, and the readers never", async () => {
    const { fn, find } = await deploy("prod");
    expect(find("Key", "DataKey").args).toMatchObject({
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const key = keyArn("key-id-of-DataKey");
    const onKey = (name: string) =>
      (fn(name).permissions ?? []).filter((statement) => statement.resources.includes(key));
    expect(onKey("Api")).toEqual([
      {
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: [key],
        conditions: [
          { test: "StringEquals", variable: "kms:EncryptionContext:purpose", values: ["relief-ledger/personal-data"] },
        ],
      },
    ]);
    for (const name of ["ApiRead", "ApiExport"]) {
      expect(onKey(name).map((statement) => statement.effect)).toEqual(["deny"]);
    }
    const policy = JSON.parse(String(find("KeyPolicy", "DataKeyPolicy").args.policy));
    expect(policy.Statement[1]).toMatchObject({
      Effect: "Deny",
      Action: "kms:Decrypt",
      Condition: { ArnNotEquals: { "aws:PrincipalArn": roleArn("relief-ledger-prod-ApiRole") } },
    });
  });
});

describe("infra/api: large exports", () => {
  it("streams the read-only app through a function URL, past the 6 MB of a buffered response", async () => {
    const { fn, find } = await deploy("prod");
    expect(API_STREAM_HANDLER).toBe("packages/api/src/lambda-stream.handler");
    expect(readFileSync("packages/api/src/lambda-stream.ts", "utf8")).toMatch(
      /export const handler = streamHandle\(lambdaApp\(\{ readOnly: true \}\)\)/,
    );
    expect(fn("ApiExport")).toMatchObject({ url: true, streaming: true, timeout: "5 minutes" });
    // The reader's role, statement for statement (infra-iam.test.ts checks what it allows).
    expect(fn("ApiExport").permissions).toEqual(fn("ApiRead").permissions);
    // Buffered functions have no URL of their own: they are reached through the HTTP API only.
    for (const name of ["Api", "ApiRead"]) expect(find("Function", name).args.url).toBeUndefined();
  });
});

describe("infra/rollup", () => {
  it("runs the jobs' Lambda entry daily, with Lambda's retries", async () => {
    const { find, fn } = await deploy("prod");
    expect(find("Cron", "MonthlyRollup").args).toEqual({
      schedule: "cron(30 16 * * ? *)",
      function: functionArn("relief-ledger-prod-RollupFunction"),
    });
    expect(ROLLUP_SCHEDULE).toBe("cron(30 16 * * ? *)");
    expect(fn("Rollup")).toMatchObject({
      handler: "packages/jobs/src/lambda.handler",
      runtime: "nodejs24.x",
      architecture: "arm64",
      environment: {
        LEDGER_JOURNAL_TABLE: "relief-ledger-prod-JournalTable",
        LEDGER_STATE_TABLE: "relief-ledger-prod-StateTable",
        LEDGER_CHECKPOINT_FUNCTION: "relief-ledger-prod-CheckpointFunction",
      },
    });
    expect(ROLLUP_HANDLER).toBe("packages/jobs/src/lambda.handler");
    expect(readFileSync("packages/jobs/src/lambda.ts", "utf8")).toMatch(/export async function handler\(/);
    // The rollup needs no secret: it signs nothing and hashes no ID numbers.
    expect(Object.keys(fn("Rollup").environment ?? {})).not.toContain("LEDGER_JWT_SECRET");
    expect(find("FunctionEventInvokeConfig", "RollupRetries").args).toMatchObject({
      functionName: "relief-ledger-prod-RollupFunction",
      maximumRetryAttempts: ROLLUP_RETRIES,
    });
    expect(ROLLUP_RETRIES).toBe(2);
  });

  it("closes a Shanghai book's month half an hour after it ends", () => {
    const [, minute, hour] = /^cron\((\d+) (\d+) \* \* \? \*\)$/.exec(ROLLUP_SCHEDULE) ?? [];
    // The last run of January (UTC) and the first run that sees January over in Shanghai.
    const lastOfJanuary = new Date(`2025-01-30T${hour}:${minute}:00Z`);
    const firstOfFebruary = new Date(`2025-01-31T${hour}:${minute}:00Z`);
    expect(firstOfFebruary.toLocaleTimeString("en-GB", { timeZone: "Asia/Shanghai" })).toBe("00:30:00");
    expect(localDate("Asia/Shanghai", firstOfFebruary)).toBe("2025-02-01");
    expect(lastCompleteMonth("Asia/Shanghai", lastOfJanuary)).toBe("2024-12");
    expect(lastCompleteMonth("Asia/Shanghai", firstOfFebruary)).toBe("2025-01");
    // A book kept in another time zone is closed by the next day's run.
    const nextDay = new Date(firstOfFebruary.getTime() + 86_400_000);
    expect(lastCompleteMonth("America/Los_Angeles", firstOfFebruary)).toBe("2024-12");
    expect(lastCompleteMonth("America/Los_Angeles", nextDay)).toBe("2025-01");
  });
});
