/**
 * The benchmarks that `npm run bench` (run.ts) runs on DynamoDB Local, each figure beside its
 * floor measured in the same run; they print a table and write bench/results.json.
 * See bench/README.md for what each measures and what was learned.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { UsageError } from "@relief-ledger/store/cli";
import { appendBench } from "./append.ts";
import { BANK_RESULTS_SIZES, type BankResultsFigures, bankResultsBench, bankResultsRows } from "./bank-results.ts";
import { batchBench } from "./batch.ts";
import { batchApprovalBench } from "./batch-approval.ts";
import { coldStartBench } from "./cold-start.ts";
import { contendedBench } from "./contended.ts";
import { durabilityBench } from "./durability.ts";
import { importBench } from "./import.ts";
import { startDynamo } from "./lib/dynamo.ts";
import { buildReportBook, reportsBench } from "./reports.ts";
import { FULL, QUICK, type Results } from "./results.ts";
import { buildRollupBook, rollupBench } from "./rollup.ts";
import { batchApprovalRows, batchRows, formatTable } from "./table.ts";

/**
 * The benchmarks that may run alone (`--only`): those that need neither the big books nor another's
 * floor. The bank loop (bank-results) runs only so, not in the whole run.
 */
export const SINGLE = ["batch", "batch-approval", "bank-results"] as const;

const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const at = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  const value = await run();
  process.stderr.write(`bench: ${name} done in ${((performance.now() - at) / 1000).toFixed(1)} s\n`);
  return value;
};

/** Runs every benchmark and writes the results to `out` (default bench/results.json). */
export async function runBenchmarks(options: {
  quick?: boolean | undefined;
  out?: string | undefined;
  only?: string | undefined;
}) {
  if (options.only !== undefined) return runSome(options.only, options);
  const root = join(import.meta.dirname, "..");
  const quick = options.quick ?? false;
  const out = resolve(options.out ?? join(root, "bench/results.json"));
  const sizes = quick ? QUICK : FULL;
  const started = Date.now();
  const loadAtStart = loadavg()[0] ?? 0;

  const dynamo = await startDynamo();
  try {
    const { endpoint } = dynamo;
    // The two big books first, side by side (not measured: only their build time is kept). Besides,
    // a quarter of a million writes warm DynamoDB Local's JVM up, so that the latencies below are of
    // a JIT-compiled emulator, not of one still interpreting (the first thousands of requests are slower).
    const largest = Math.max(...sizes.rollupSizes);
    const [rollupBook, reportBook] = await step("writing the rollup and report books", () =>
      Promise.all([
        buildRollupBook(endpoint, { events: largest, households: sizes.households }),
        buildReportBook(endpoint, { eventsPerMonth: sizes.reportEventsPerMonth, households: sizes.households }),
      ]),
    );
    const append = await step("append latency", () =>
      appendBench(endpoint, { samples: sizes.appendSamples, households: sizes.appendHouseholds }),
    );
    const contended = await step("contended throughput", () =>
      contendedBench(endpoint, {
        requests: sizes.contendedRequests,
        floorPayoutsPerSecond: append.floorSequentialPerSecond,
      }),
    );
    const batch = await step("batch disbursement", () => batchBench(endpoint, { lines: sizes.batchLines }));
    const rosterImport = await step("roster import", () => importBench(endpoint, { rows: sizes.importRows }));
    const rollup = await step("rollup", () =>
      rollupBench(rollupBook, { sizes: sizes.rollupSizes, concurrent: sizes.rollupConcurrent }),
    );
    const reports = await step("reports", () => reportsBench(reportBook, { requests: sizes.reportRequests }));
    const coldStart = await step("cold start", () => coldStartBench(root, { runs: sizes.coldStartRuns }));
    const durability = await step("durability and checkpoints", () =>
      durabilityBench(endpoint, {
        samples: sizes.durabilitySamples,
        households: sizes.appendHouseholds,
        checkpointEvery: 20,
      }),
    );
    const batchApproval = await step("batch under approval", () =>
      batchApprovalBench(endpoint, { lines: sizes.approvalLines }),
    );

    const results: Results = {
      meta: {
        quick,
        node: process.version,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        dynamodb: dynamo.owned
          ? "DynamoDB Local, in memory, started by the run"
          : `LEDGER_DYNAMODB_ENDPOINT ${endpoint}`,
        cpus: cpus().length,
        loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
        ratios:
          "figure ÷ floor: for latencies and times lower is better (1 = the floor); for rates (per second) higher is better",
      },
      append,
      contended,
      batch,
      rollup,
      reports,
      coldStart,
      durability,
      batchApproval,
      import: rosterImport,
    };
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(formatTable(results));
    console.log(
      `\n${quick ? "quick run" : "full run"} in ${(results.meta.durationMs / 1000).toFixed(0)} s; written to ${out}`,
    );
  } finally {
    await dynamo.stop();
  }
}

/**
 * Some benchmarks alone (`--only batch,batch-approval`, run in that order), on a DynamoDB Local
 * that no big book has warmed up, so their absolute figures run higher than in the suite (compare
 * ratios). Prints their rows, and writes JSON only to an `out` given: bench/results.json holds a
 * whole run.
 */
async function runSome(only: string, options: { quick?: boolean | undefined; out?: string | undefined }) {
  const names = only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(SINGLE as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--only takes ${SINGLE.join(", ")} (comma-separated), not ${JSON.stringify(only)}`);
  }
  const sizes = options.quick ? QUICK : FULL;
  const dynamo = await startDynamo();
  try {
    const started = Date.now();
    const loadAtStart = loadavg()[0] ?? 0;
    const figures: Partial<Pick<Results, "batch" | "batchApproval"> & { bankResults: BankResultsFigures }> = {};
    const table: ReturnType<typeof batchRows> = [];
    for (const name of names) {
      if (name === "batch") {
        figures.batch = await step("batch disbursement", () =>
          batchBench(dynamo.endpoint, { lines: sizes.batchLines }),
        );
        table.push(...batchRows(figures.batch));
      } else if (name === "bank-results") {
        const size = options.quick ? BANK_RESULTS_SIZES.quick : BANK_RESULTS_SIZES.full;
        figures.bankResults = await step("bank file and results", () => bankResultsBench(dynamo.endpoint, size));
        table.push(...bankResultsRows(figures.bankResults));
      } else {
        figures.batchApproval = await step("batch under approval", () =>
          batchApprovalBench(dynamo.endpoint, { lines: sizes.approvalLines }),
        );
        table.push(...batchApprovalRows(figures.batchApproval));
      }
    }
    const meta = {
      quick: options.quick ?? false,
      only: names,
      node: process.version,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      cpus: cpus().length,
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    };
    if (options.out) writeFileSync(resolve(options.out), `${JSON.stringify({ meta, ...figures }, null, 2)}\n`);
    console.log(formatTable(table));
  } finally {
    await dynamo.stop();
  }
}
