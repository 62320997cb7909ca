import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoClient, ensureTables, type TableNames, tableNames } from "@relief-ledger/store";
import { inject } from "vitest";

/** A client for the run's DynamoDB Local and a fresh pair of tables for one test file. */
export async function freshTables(): Promise<{ client: DynamoDBClient; tables: TableNames; endpoint: string }> {
  const endpoint = inject("dynamoEndpoint");
  const client = createDynamoClient(endpoint);
  const tables = tableNames(`test-${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, tables);
  return { client, tables, endpoint };
}
