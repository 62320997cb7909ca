import { runCommand } from "@relief-ledger/store/cli";

/**
 * `npm start`: DynamoDB Local with its data under .data/ (or LEDGER_DYNAMODB_ENDPOINT), the tables,
 * the API and the dashboard on PORT as soon as the tables are there, the demo book loaded behind
 * them on first start, and then the monthly rollup every six hours (start.ts). Ctrl-C stops
 * everything it started, the Java process included.
 */
const START_COMMAND = {
  name: "start",
  usage: "npm start",
  about: [
    "Starts DynamoDB Local with its data in the data directory (unless LEDGER_DYNAMODB_ENDPOINT names",
    "a DynamoDB), creates the tables, and serves the API, its docs and the dashboard on PORT at once,",
    "printing their URLs and two demo tokens; on first start it loads the demo book bazhou-2010 behind",
    "them (GET /v1/books says how far). Closes months and takes checkpoints as the deployed jobs would.",
    "Ctrl-C stops everything it started.",
  ].join("\n"),
  options: {},
  optionHelp: [],
  env: [
    ["PORT", "the port to serve on (default 3000; 0 picks a free one)"],
    ["LEDGER_DATA_DIR", "the data directory (default .data/): DynamoDB Local's files, secrets, checkpoints"],
    ["LEDGER_JWT_SECRET", "the tokens' signing key, at least 32 characters (default: made once in the data dir)"],
    ["LEDGER_ID_HASH_KEY", "the key of ID-number hashes, at least 32 characters (default: made once in the data dir)"],
    ["LEDGER_DYNAMODB_ENDPOINT", "a DynamoDB to use instead of starting DynamoDB Local"],
    ["LEDGER_SKIP_DEMO", "1 starts without loading the demo book (default 0)"],
    ["LEDGER_TABLE_PREFIX", "the start of both tables' names (default relief-ledger-)"],
    ["LEDGER_JOURNAL_TABLE", "the journal table's whole name, instead"],
    ["LEDGER_STATE_TABLE", "the state table's whole name, instead"],
  ],
  failure: "it could not start: bad configuration, the port in use, one already running, no Java",
} as const;

runCommand(START_COMMAND, async () => {
  // The server's modules load only once the command line parsed: --help answers at once.
  const { startLocal } = await import("./start.ts");
  return startLocal();
});
