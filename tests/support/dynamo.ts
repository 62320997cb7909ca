import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoClient, ensureTables, type TableNames, tableNames } from "@relief-ledger/store";
import { inject } from "vitest";

/** This worker's DynamoDB Local (tests/support/global-setup.ts starts one per worker). */
export function dynamoEndpoint(): string {
  const endpoints = inject("dynamoEndpoints");
  const worker = Number(process.env.VITEST_POOL_ID ?? "1");
  return endpoints[(Math.max(1, worker) - 1) % endpoints.length] as string;
}

/** A client for this worker's DynamoDB Local and a fresh pair of tables for one test file. */
export async function freshTables(): Promise<{ client: DynamoDBClient; tables: TableNames; endpoint: string }> {
  const endpoint = dynamoEndpoint();
  const client = createDynamoClient(endpoint);
  const tables = tableNames(`test-${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, tables);
  return { client, tables, endpoint };
}
