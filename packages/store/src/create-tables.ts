import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { TABLE_DEFINITIONS, type TableDefinition, type TableNames } from "./tables.ts";

export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, string>();
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  for (const key of keys) attributes.set(key.name, key.type);
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as "S" | "N",
    })),
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: "HASH" },
      { AttributeName: definition.sortKey.name, KeyType: "RANGE" },
    ],
    ...(definition.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: "HASH" as const },
              { AttributeName: index.sortKey.name, KeyType: "RANGE" as const },
            ],
            Projection: { ProjectionType: "ALL" as const },
          })),
        }
      : {}),
  };
}

/**
 * Creates both tables if they are absent and waits until they are active. A table made before an
 * index was added to its definition (a local data dir of an earlier version) gets the index, as
 * `sst deploy` adds it in AWS; its older items, never rewritten, stay out of it.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of TABLE_DEFINITIONS) {
    const tableName = names[definition.name];
    try {
      await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
    await addMissingIndexes(client, definition, tableName);
  }
}

/** DynamoDB adds one global index per UpdateTable, and each must be active before the next. */
async function addMissingIndexes(client: DynamoDBClient, definition: TableDefinition, tableName: string) {
  const described = async () => (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const has = new Set((await described())?.GlobalSecondaryIndexes?.map((index) => index.IndexName) ?? []);
  const input = createTableInput(definition, tableName);
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (has.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    for (let waited = 0; ; waited += 200) {
      const status = (await described())?.GlobalSecondaryIndexes?.find((made) => made.IndexName === index.IndexName);
      if (status?.IndexStatus === "ACTIVE") break;
      if (waited > 120_000) throw new Error(`index ${index.IndexName} of ${tableName} did not become active`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
