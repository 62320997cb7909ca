import { createDynamoClient, createLedgerJournal } from "@relief-ledger/store";
import type { LedgerConfig } from "./config.ts";
import type { Ledger } from "./env.ts";

/** The ledger's moving parts for one process: one DynamoDB client, one journal. */
export function createLedger(config: LedgerConfig): Ledger {
  const client = createDynamoClient(config.dynamoEndpoint);
  return { journal: createLedgerJournal({ client, tables: config.tables }) };
}
