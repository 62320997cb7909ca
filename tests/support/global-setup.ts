import { startDynamoLocal } from "@relief-ledger/store";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts DynamoDB Local in memory once per run, unless LEDGER_DYNAMODB_ENDPOINT names one. */
export default async function setup(project: TestProject) {
  const existing = process.env.LEDGER_DYNAMODB_ENDPOINT;
  if (existing) {
    project.provide("dynamoEndpoint", existing);
    return;
  }
  const local = await startDynamoLocal();
  project.provide("dynamoEndpoint", local.endpoint);
  return () => local.stop();
}
