import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoClient, createLedgerJournal, type DataKey } from "@relief-ledger/store";
import type { LedgerConfig } from "./config.ts";
import type { Ledger } from "./env.ts";

/**
 * The ledger's moving parts for one process: one DynamoDB client, one journal, its secrets, and
 * the data key that seals personal data (the writer's alone). `instrument` sees the client first
 * (in Lambda, the tracer captures its calls as X-Ray subsegments).
 */
export function createLedger(
  config: LedgerConfig,
  secrets: { jwtSecret: string; idHashKey: string },
  dataKey?: DataKey,
  instrument: (client: DynamoDBClient) => DynamoDBClient = (client) => client,
): Ledger {
  const client = instrument(createDynamoClient(config.dynamoEndpoint));
  return {
    journal: createLedgerJournal({ client, tables: config.tables }),
    ...secrets,
    ...(dataKey ? { dataKey } : {}),
  };
}
