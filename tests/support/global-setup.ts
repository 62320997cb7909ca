import { startDynamoLocal } from "@relief-ledger/store";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** One DynamoDB Local per worker, by VITEST_POOL_ID (tests/support/dynamo.ts picks a file's own). */
    dynamoEndpoints: string[];
  }
}

/**
 * Starts one DynamoDB Local in memory per worker, unless LEDGER_DYNAMODB_ENDPOINT names one for
 * all. Each emulator serves one test file at a time: two files writing hard no longer wait on
 * each other inside one Java process, and a file's tables never sit beside another's.
 */
export default async function setup(project: TestProject) {
  const existing = process.env.LEDGER_DYNAMODB_ENDPOINT;
  if (existing) {
    project.provide("dynamoEndpoints", [existing]);
    return;
  }
  const workers = Math.max(1, Number(project.config.maxWorkers) || 1);
  const started = await Promise.allSettled(Array.from({ length: workers }, () => startDynamoLocal()));
  const locals = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stopAll = () => Promise.all(locals.map((local) => local.stop()));
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  project.provide(
    "dynamoEndpoints",
    locals.map((local) => local.endpoint),
  );
  return async () => {
    await stopAll();
  };
}
