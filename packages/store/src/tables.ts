/**
 * The two tables, described once. The local launcher creates them from this, the tests do,
 * and infra/storage.ts turns the same description into SST components.
 *
 * Journal: events only, one item per event, never updated or deleted, so the deployed role can
 * be denied UpdateItem and DeleteItem on it outright. Partition key `book`, sort key `seq`
 * (a number, so a Query returns events in journal order).
 *
 * State: everything that changes — book heads, idempotency records, uniqueness claims, later
 * counters and rollups — under a generic `pk`/`sk` pair named in keys.ts.
 */
export type AttributeType = "S" | "N";

export type TableDefinition = {
  /** The logical name: infra names the SST component after it, locally it is the table name's stem. */
  readonly name: "journal" | "state";
  readonly partitionKey: { readonly name: string; readonly type: AttributeType };
  readonly sortKey: { readonly name: string; readonly type: AttributeType };
  readonly globalIndexes: readonly {
    readonly name: string;
    readonly partitionKey: { readonly name: string; readonly type: AttributeType };
    readonly sortKey: { readonly name: string; readonly type: AttributeType };
  }[];
  /** Whether the table publishes a change stream in production (the journal does, for replicas and alerts). */
  readonly stream: boolean;
};

export const JOURNAL_TABLE: TableDefinition = {
  name: "journal",
  partitionKey: { name: "book", type: "S" },
  sortKey: { name: "seq", type: "N" },
  globalIndexes: [],
  stream: true,
};

export const STATE_TABLE: TableDefinition = {
  name: "state",
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalIndexes: [],
  stream: false,
};

export const TABLE_DEFINITIONS = [JOURNAL_TABLE, STATE_TABLE] as const;

/** The physical names of the two tables in one deployment (or one test). */
export type TableNames = { readonly journal: string; readonly state: string };

export const tableNames = (prefix = "relief-ledger-"): TableNames => ({
  journal: `${prefix}journal`,
  state: `${prefix}state`,
});
