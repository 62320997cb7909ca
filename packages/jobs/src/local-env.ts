import { join } from "node:path";
import {
  configFromEnv,
  createDynamoClient,
  createLedgerJournal,
  createLog,
  ensureTables,
  type LedgerJournal,
  logFromEnv,
  resolveLocalDynamo,
} from "@relief-ledger/store";

/** The environment the local commands (demo, rollup, expire) read, for their --help. */
export const LOCAL_ENV = [
  ["LEDGER_DATA_DIR", "the data directory (default .data/): DynamoDB Local's files, the checkpoint key"],
  [
    "LEDGER_DYNAMODB_ENDPOINT",
    "a DynamoDB to use (default: npm start's DynamoDB Local, else one started on the data directory)",
  ],
  ["LEDGER_TABLE_PREFIX", "the start of both tables' names (default relief-ledger-)"],
  ["LEDGER_JOURNAL_TABLE", "the journal table's whole name, instead"],
  ["LEDGER_STATE_TABLE", "the state table's whole name, instead"],
] as const;

/**
 * Runs a local command's work on the DynamoDB of a running `npm start` (or
 * LEDGER_DYNAMODB_ENDPOINT), else on DynamoDB Local started on the data directory, with the tables
 * there; stops what it started when the work is done.
 */
export async function withLocalJournal<T>(work: (journal: LedgerJournal, dataDir: string) => Promise<T>): Promise<T> {
  // Read before DynamoDB Local starts, so that a bad setting costs no JVM.
  const config = configFromEnv();
  const dataDir = process.env.LEDGER_DATA_DIR ?? join(import.meta.dirname, "../../../.data");
  const dynamo = await resolveLocalDynamo(dataDir);
  const client = createDynamoClient(dynamo.endpoint);
  try {
    await ensureTables(client, config.tables);
    return await work(createLedgerJournal({ client, tables: config.tables }), dataDir);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

/**
 * A command line's structured log: the Powertools lines the scheduled jobs write, readable on a
 * terminal and JSON otherwise, at LEDGER_LOG_LEVEL, every level on stdout: stderr stays the one line
 * that says why the command failed. Beside them, the command prints its lines for people.
 */
export const cliLog = (service: string) =>
  process.stdout.isTTY === true
    ? logFromEnv(service, { readable: true })
    : createLog({ service, level: process.env.LEDGER_LOG_LEVEL, sink: (line) => process.stdout.write(`${line}\n`) });

/** Milliseconds since `started` (a performance.now()), rounded. */
export const elapsed = (started: number) => Math.round(performance.now() - started);
