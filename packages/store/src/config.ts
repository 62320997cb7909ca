import { type TableNames, tableNames } from "./tables.ts";

/**
 * Where the tables are, read in one place for every entry point (API, jobs, CLIs). Locally it
 * comes from the environment; in AWS the SST stack sets the same variables on the functions.
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
