import { TABLE_DEFINITIONS, type TableDefinition } from "../packages/store/src/tables.ts";

/** Production stages keep their data when the stack is removed and cannot drop a table by accident. */
export const isProduction = (stage: string) => stage === "prod" || stage === "production";

const fieldType = { S: "string", N: "number" } as const;

/**
 * The SST arguments for one table, from the definition the local launcher and the tests use too.
 * An index added to a definition (byBatch, say) is created on a deployed table by the next deploy,
 * as ensureTables creates it on a local one; the journal's items written before it never carry its
 * attribute (they are never rewritten), which its readers and verify allow for (store's keys.ts).
 */
export function dynamoArgs(definition: TableDefinition, stage: string) {
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    fields: Object.fromEntries(keys.map((key) => [key.name, fieldType[key.type]])),
    primaryIndex: { hashKey: definition.partitionKey.name, rangeKey: definition.sortKey.name },
    ...(definition.globalIndexes.length > 0
      ? {
          globalIndexes: Object.fromEntries(
            definition.globalIndexes.map((index) => [
              index.name,
              { hashKey: index.partitionKey.name, rangeKey: index.sortKey.name },
            ]),
          ),
        }
      : {}),
    ...(definition.stream ? { stream: "new-image" } : {}),
    ...(definition.ttlAttribute ? { ttl: definition.ttlAttribute } : {}),
    transform: {
      table: {
        billingMode: "PAY_PER_REQUEST",
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: isProduction(stage),
      },
    },
  };
}

const componentName = { journal: "Journal", state: "State" } as const;

export function createStorage(stage: string) {
  const [journal, state] = TABLE_DEFINITIONS.map(
    (definition) =>
      new sst.aws.Dynamo(
        componentName[definition.name],
        dynamoArgs(definition, stage),
        isProduction(stage) ? { retainOnDelete: true } : {},
      ),
  );
  return { journal: journal as SstResource, state: state as SstResource };
}
