import { type TableNames, tableNames } from "@relief-ledger/store";

/**
 * Configuration, read in one place. Locally it comes from the environment; in AWS the SST
 * stack sets the same variables on the functions (infra/api.ts).
 */
export type LedgerConfig = {
  readonly tables: TableNames;
  /** DynamoDB Local or another endpoint; absent means AWS from the runtime's environment. */
  readonly dynamoEndpoint?: string;
};

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const defaults = tableNames(env.LEDGER_TABLE_PREFIX ?? "relief-ledger-");
  return {
    tables: {
      journal: env.LEDGER_JOURNAL_TABLE ?? defaults.journal,
      state: env.LEDGER_STATE_TABLE ?? defaults.state,
    },
    ...(env.LEDGER_DYNAMODB_ENDPOINT ? { dynamoEndpoint: env.LEDGER_DYNAMODB_ENDPOINT } : {}),
  };
}

/** The two secrets, from the environment (in AWS, SST puts its Secret values there). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): { jwtSecret: string; idHashKey: string } {
  const jwtSecret = env.LEDGER_JWT_SECRET;
  const idHashKey = env.LEDGER_ID_HASH_KEY;
  if (!jwtSecret || !idHashKey) throw new Error("LEDGER_JWT_SECRET and LEDGER_ID_HASH_KEY must be set");
  return { jwtSecret, idHashKey };
}
