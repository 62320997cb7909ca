import { randomUUID } from "node:crypto";
import {
  CreateTableCommand,
  type DynamoDBClient,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  createDynamoClient,
  createTableInput,
  ensureTables,
  startDynamoLocal,
  TABLE_DEFINITIONS,
  type TableNames,
  tableNames,
} from "@relief-ledger/store";
import { timed } from "./stats.ts";

export type Dynamo = { readonly endpoint: string; readonly owned: boolean; stop(): Promise<void> };

/** LEDGER_DYNAMODB_ENDPOINT if set, else a DynamoDB Local of our own, in memory, stopped at the end. */
export async function startDynamo(): Promise<Dynamo> {
  const existing = process.env.LEDGER_DYNAMODB_ENDPOINT;
  if (existing) return { endpoint: existing, owned: false, stop: async () => {} };
  const local = await startDynamoLocal();
  return { endpoint: local.endpoint, owned: true, stop: () => local.stop() };
}

/** A fresh pair of tables for one benchmark (or its floor), named so that runs never share them. */
export async function freshTables(endpoint: string, name: string): Promise<TableNames> {
  const client = createDynamoClient(endpoint);
  const tables = tableNames(`bench-${randomUUID().slice(0, 8)}-${name}-`);
  await ensureTables(client, tables);
  client.destroy();
  return tables;
}

/**
 * Tables like the ledger's but without their global secondary indexes: what the same writes cost
 * when DynamoDB maintains no index beside them (an experiment, not a floor the ledger could reach).
 */
export async function tablesWithoutIndexes(endpoint: string, name: string): Promise<TableNames> {
  const client = createDynamoClient(endpoint);
  const tables = tableNames(`bench-${randomUUID().slice(0, 8)}-${name}-`);
  for (const definition of TABLE_DEFINITIONS) {
    const input = createTableInput({ ...definition, globalIndexes: [] }, tables[definition.name]);
    await client.send(new CreateTableCommand(input));
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tables[definition.name] });
  }
  client.destroy();
  return tables;
}

/**
 * What a client sent: every request counted by operation, and every TransactWriteItems kept as
 * sent, so that the floor can send the very same transactions from a bare client.
 */
export type Tap = {
  readonly counts: Map<string, number>;
  readonly transactions: TransactWriteItemsCommandInput[];
  /** Milliseconds spent in the SDK (serialising, sending, waiting, parsing), by operation. */
  readonly spent: Map<string, number>;
  /** Requests of any kind since the tap was made (or last reset). */
  total(): number;
  /** Milliseconds in the SDK, all operations together. */
  time(): number;
  /** Reads (GetItem, BatchGetItem, Query, Scan) since the tap was made. */
  reads(): number;
};

const READS = new Set(["GetItemCommand", "BatchGetItemCommand", "QueryCommand", "ScanCommand"]);

/**
 * A client for the endpoint with a tap on it: a middleware that sees every command before it is
 * sent. Like the client in Lambda it does not wait for DynamoDB Local's commit after each
 * transaction (packages/store/src/local-commit.ts) unless asked: what that wait costs on the local
 * default is the seventh benchmark's subject, and the other floors send the same requests as the app.
 */
export function tappedClient(
  endpoint: string,
  options: { awaitCommits?: boolean } = {},
): { client: DynamoDBClient; tap: Tap } {
  const client = createDynamoClient(endpoint, { awaitCommits: options.awaitCommits ?? false });
  const counts = new Map<string, number>();
  const transactions: TransactWriteItemsCommandInput[] = [];
  const spent = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) =>
      async function benchTap(args) {
        const name = context.commandName ?? "unknown";
        counts.set(name, (counts.get(name) ?? 0) + 1);
        // Kept as is, not copied (a copy would be timed as the app's): the writer builds each
        // transaction's items afresh and never touches them once sent; retarget copies them.
        if (name === "TransactWriteItemsCommand") transactions.push(args.input as TransactWriteItemsCommandInput);
        const start = performance.now();
        try {
          return await next(args);
        } finally {
          spent.set(name, (spent.get(name) ?? 0) + performance.now() - start);
        }
      },
    { step: "initialize", name: "benchTap" },
  );
  const total = () => [...counts.values()].reduce((a, b) => a + b, 0);
  const time = () => [...spent.values()].reduce((a, b) => a + b, 0);
  const reads = () => [...counts].filter(([name]) => READS.has(name)).reduce((a, [, n]) => a + n, 0);
  return { client, tap: { counts, transactions, spent, total, time, reads } };
}

/**
 * A transaction the app sent, aimed at other tables: the same items, keys, conditions and sizes.
 * Replayed in the order the app sent them on fresh tables, every condition holds again as it did.
 */
export function retarget(input: TransactWriteItemsCommandInput, from: TableNames, to: TableNames) {
  const table = (name: string | undefined) =>
    name === from.journal ? to.journal : name === from.state ? to.state : name;
  const items = (input.TransactItems ?? []).map((item) => {
    const copy = structuredClone(item);
    for (const action of [copy.Put, copy.Update, copy.Delete, copy.ConditionCheck]) {
      if (action) action.TableName = table(action.TableName);
    }
    return copy;
  });
  return new TransactWriteItemsCommand({ ...input, TransactItems: items });
}

/**
 * A floor: the transactions the app sent, replayed one after another from a bare client on other
 * tables, each retargeted before its clock starts (copying the input is the bench's work, not the
 * floor's). The milliseconds DynamoDB took for them.
 */
export async function replayBare(
  floor: DynamoDBClient,
  sent: readonly TransactWriteItemsCommandInput[],
  from: TableNames,
  to: TableNames,
): Promise<number> {
  let ms = 0;
  for (const input of sent) {
    const copy = retarget(input, from, to);
    ms += (await timed(() => floor.send(copy))).ms;
  }
  return ms;
}
