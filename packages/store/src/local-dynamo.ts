import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoClient } from "./client.ts";
import { ConfigError } from "./config.ts";
import { superviseDynamoLocal } from "./local-supervisor.ts";

export type LocalDynamo = {
  readonly endpoint: string;
  /** Whether this process started it (and so stops it). */
  readonly owned: boolean;
  stop(): Promise<void>;
};

const ENDPOINT_FILE = "dynamodb.endpoint";

async function answers(endpoint: string): Promise<boolean> {
  const client = createDynamoClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/**
 * Why a given endpoint does not answer, or undefined when it does: any answer from DynamoDB counts
 * (an access denied too, which is the AWS account's business); only no answer at all does not.
 */
async function unreachable(endpoint: string): Promise<string | undefined> {
  const client = createDynamoClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return undefined;
  } catch (error) {
    const { $metadata, code, message } = error as {
      $metadata?: { httpStatusCode?: number };
      code?: string;
      message?: string;
    };
    if ($metadata?.httpStatusCode !== undefined) return undefined;
    return code ?? message ?? String(error);
  } finally {
    client.destroy();
  }
}

/**
 * The DynamoDB a local command should use: LEDGER_DYNAMODB_ENDPOINT if set (and answering); else the DynamoDB
 * Local that another local command (npm start) is running on this data directory, found through
 * the endpoint file it writes; else a new one on `<dataDir>/dynamodb`, whose endpoint this process
 * publishes until it stops, and restarts should it die (local-supervisor.ts). DynamoDB Local keeps one SQLite file per data directory, which two
 * JVMs must not open at once: this is how `npm run rollup` and `npm start` share it.
 */
export async function resolveLocalDynamo(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  /** Where a DynamoDB Local this process starts says that it died and is being restarted. */
  log?: (line: string) => void,
): Promise<LocalDynamo> {
  const given = env.LEDGER_DYNAMODB_ENDPOINT;
  if (given) {
    // Said in one line here, rather than as a connection error's stack at the first request.
    const why = await unreachable(given);
    if (why) throw new ConfigError(`nothing answers at LEDGER_DYNAMODB_ENDPOINT=${given} (${why})`);
    return { endpoint: given, owned: false, stop: async () => {} };
  }
  const file = join(dataDir, ENDPOINT_FILE);
  if (existsSync(file)) {
    const endpoint = readFileSync(file, "utf8").trim();
    if (endpoint && (await answers(endpoint))) return { endpoint, owned: false, stop: async () => {} };
  }
  const local = await superviseDynamoLocal({ dataDir: join(dataDir, "dynamodb"), ...(log ? { log } : {}) });
  writeFileSync(file, local.endpoint);
  return {
    endpoint: local.endpoint,
    owned: true,
    stop: async () => {
      rmSync(file, { force: true });
      await local.stop();
    },
  };
}
