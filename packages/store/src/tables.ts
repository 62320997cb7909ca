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
  /**
   * The attribute holding an item's expiry (epoch seconds), after which DynamoDB deletes it: only
   * the state table's short-lived items carry one (a handoff's outcomes). Never the journal's.
   */
  readonly ttlAttribute?: string;
};

/**
 * The journal's indexes serve the filters auditors use every day without reading the whole book.
 * Each is sparse (only events with the attribute are in it), keyed by book and the filtered value,
 * and sorted by seq, so that every index answers in journal order. The attributes are derived
 * from the event (keys.ts, journalIndexKeys) and checked by verify like the rest of the item.
 *   byBeneficiary   xBeneficiary = <book>#<beneficiaryId>          a beneficiary's history
 *   byProgram       xProgram = <book>#<programId>                  a programme's entries
 *   byProgramMonth  xProgramMonth = <book>#<programId>#<YYYY-MM>   a programme's month
 *   byUnit          xUnit = <book>#<unitId>                        a unit's dues, audits, findings
 *   byBatch         xBatch = <book>#<batchId>                      a payout batch's chunk summaries,
 *                                                                  proposals, files and bank results
 *                                                                  (not its payouts: keys.ts)
 * There is no index by type: every event would be in it, doubling the cost of every append for a
 * filter that reads a large share of the book anyway.
 */
const bySeq = (name: string, attribute: string) => ({
  name,
  partitionKey: { name: attribute, type: "S" as const },
  sortKey: { name: "seq", type: "N" as const },
});

export const JOURNAL_INDEXES = {
  byBeneficiary: bySeq("byBeneficiary", "xBeneficiary"),
  byProgram: bySeq("byProgram", "xProgram"),
  byProgramMonth: bySeq("byProgramMonth", "xProgramMonth"),
  byUnit: bySeq("byUnit", "xUnit"),
  byBatch: bySeq("byBatch", "xBatch"),
} as const;

export type JournalIndex = keyof typeof JOURNAL_INDEXES;

export const JOURNAL_TABLE: TableDefinition = {
  name: "journal",
  partitionKey: { name: "book", type: "S" },
  sortKey: { name: "seq", type: "N" },
  globalIndexes: Object.values(JOURNAL_INDEXES),
  stream: true,
};

/**
 * The state table's one index lists the entities of a kind that people browse (audits,
 * findings): `xKind = <book>#<kind>`, sorted by id. Beneficiary records stay out of it: thousands
 * of them are rewritten by one relief batch, and nobody lists them all.
 */
export const STATE_INDEXES = {
  byKind: {
    name: "byKind",
    partitionKey: { name: "xKind", type: "S" as const },
    sortKey: { name: "xId", type: "S" as const },
  },
} as const;

export const STATE_TABLE: TableDefinition = {
  name: "state",
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  globalIndexes: Object.values(STATE_INDEXES),
  stream: false,
  ttlAttribute: "expiresAt",
};

export const TABLE_DEFINITIONS = [JOURNAL_TABLE, STATE_TABLE] as const;

/** The physical names of the two tables in one deployment (or one test). */
export type TableNames = { readonly journal: string; readonly state: string };

export const tableNames = (prefix = "relief-ledger-"): TableNames => ({
  journal: `${prefix}journal`,
  state: `${prefix}state`,
});
