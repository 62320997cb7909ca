import { createDynamoClient, createLedgerJournal, type DataKey } from "@relief-ledger/store";
import type { LedgerConfig } from "./config.ts";
import type { Ledger } from "./env.ts";

/** The ledger's moving parts for one process: one DynamoDB client, one journal, its secrets. */
export function createLedger(
  config: LedgerConfig,
  secrets: { jwtSecret: string; idHashKey: string },
  dataKey?: DataKey,
): Ledger {
  const client = createDynamoClient(config.dynamoEndpoint);
  return {
    journal: createLedgerJournal({ client, tables: config.tables }),
    ...secrets,
    ...(dataKey ? { dataKey } : {}),
  };
}
