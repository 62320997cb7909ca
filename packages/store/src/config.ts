import { CommandError } from "./cli.ts";
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

/**
 * A setting that cannot work (a secret too short, a table name DynamoDB refuses, an endpoint that
 * is no URL), said in one line that names the variable and never shows a secret's value.
 */
export class ConfigError extends CommandError {
  override name = "ConfigError";
}

/** DynamoDB's rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

function tableName(name: string, variable: string): string {
  if (!TABLE_NAME.test(name)) {
    throw new ConfigError(
      `${variable} gives the table name "${name}", which DynamoDB refuses: 3 to 255 letters, digits, "_", "." or "-"`,
    );
  }
  return name;
}

function endpoint(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    throw new ConfigError(`LEDGER_DYNAMODB_ENDPOINT=${value} is not an http(s) URL such as http://127.0.0.1:8000`);
  }
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const defaults = tableNames(env.LEDGER_TABLE_PREFIX ?? "relief-ledger-");
  const table = (variable: "LEDGER_JOURNAL_TABLE" | "LEDGER_STATE_TABLE", fallback: string) => {
    const given = env[variable];
    return given === undefined ? tableName(fallback, "LEDGER_TABLE_PREFIX") : tableName(given, variable);
  };
  return {
    tables: {
      journal: table("LEDGER_JOURNAL_TABLE", defaults.journal),
      state: table("LEDGER_STATE_TABLE", defaults.state),
    },
    ...(env.LEDGER_DYNAMODB_ENDPOINT ? { dynamoEndpoint: endpoint(env.LEDGER_DYNAMODB_ENDPOINT) } : {}),
  };
}
