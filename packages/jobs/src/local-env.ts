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
