/**
 * `npm run bench` runs the benchmarks on DynamoDB Local, each figure beside its
 * floor measured in the same run, prints them as a table and writes bench/results.json.
 * `-- --quick` shrinks every size (under a minute); `-- --out <file>` writes elsewhere;
 * `-- --only batch,batch-approval,bank-results` runs those benchmarks alone and writes only to an --out given.
 * See bench/README.md for what each measures and what was learned.
 */
import { runCommand } from "@relief-ledger/store/cli";

const BENCH_COMMAND = {
  name: "bench",
  usage: "npm run bench -- [--quick] [--out <file>] [--only batch,batch-approval,bank-results]",
  about: [
    "Runs the benchmarks on DynamoDB Local, each figure beside its floor measured in the same run,",
    "prints them as a table and writes them as JSON. See bench/README.md for what each measures.",
  ].join("\n"),
  options: { quick: { type: "boolean", default: false }, out: { type: "string" }, only: { type: "string" } },
  optionHelp: [
    ["--quick", "shrink every size (under a minute)"],
    ["--out <file>", "where the JSON goes (default bench/results.json)"],
    [
      "--only <names>",
      "run only these (batch, batch-approval, bank-results; comma-separated): printed, JSON only to an --out given",
    ],
  ],
  env: [
    ["LEDGER_DYNAMODB_ENDPOINT", "a DynamoDB to use (default: a DynamoDB Local of its own, in memory)"],
    ["LEDGER_LOG_LEVEL", "the apps' log level (default warn: a request line each would bury the table)"],
  ],
  failure: "a benchmark failed, or DynamoDB Local could not start",
} as const;

runCommand(BENCH_COMMAND, async (options) => {
  // The apps the benchmarks build log as the API does; their request lines are not the run's output.
  process.env.LEDGER_LOG_LEVEL ??= "warn";
  // The benchmarks load only once the command line parsed: --help answers at once.
  const { runBenchmarks } = await import("./suite.ts");
  await runBenchmarks(options);
  return 0;
});
