import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Plugin } from "esbuild";
import { bundleLambda } from "../infra/bundle.ts";
import { API_INSTALL, JOB_INSTALL } from "../infra/lambda.ts";
import { median, ratio, round } from "./lib/stats.ts";

const run = promisify(execFile);

export type ColdImport = {
  /** Wall time of a fresh `node -e "await import(bundle)"`, spawn to exit: Node's start-up included. */
  importMs: number;
  /** The import() alone, timed inside that process. */
  moduleMs: number;
  bytes: number;
  ratio: number;
};

export type ColdStartFigures = {
  api: ColdImport;
  /**
   * The same API bundle with Powertools (Logger, Metrics, Tracer) replaced by empty stand-ins: the
   * figure before issue 17, measured in the same run, so that what Powertools adds is seen beside it.
   */
  apiWithoutPowertools: ColdImport;
  rollup: ColdImport;
  /** The same for an empty module: what any Node function pays before its code. */
  floorMs: number;
  floorModuleMs: number;
  /** `import("@aws-sdk/client-dynamodb")` alone, timed the same way: the runtime's SDK, loaded from files. */
  sdkModuleMs: number;
  runs: number;
  /** api.importMs ÷ floorMs. */
  ratio: number;
};

/** Dummy values for what the handlers read when they load; nothing is sent anywhere. */
const LAMBDA_ENV = {
  PATH: process.env.PATH ?? "",
  AWS_REGION: "ap-east-1",
  LEDGER_JOURNAL_TABLE: "relief-ledger-journal",
  LEDGER_STATE_TABLE: "relief-ledger-state",
  LEDGER_JWT_SECRET: "j".repeat(48),
  LEDGER_ID_HASH_KEY: "k".repeat(48),
};

/** Powertools as no-ops, for the API bundle's figure without it: what the entry points call, doing nothing. */
const NO_POWERTOOLS: Plugin = {
  name: "no-powertools",
  setup(build) {
    build.onResolve({ filter: /^@aws-lambda-powertools\// }, (args) => ({
      path: args.path,
      namespace: "no-powertools",
    }));
    build.onLoad({ filter: /.*/, namespace: "no-powertools" }, () => ({
      contents: `
        export class Logger { info() {} warn() {} error() {} debug() {} }
        export class Metrics {
          addMetric() {} addDimensions() {} singleMetric() { return new Metrics(); }
          hasStoredMetrics() { return false; } publishStoredMetrics() {}
        }
        export const MetricUnit = { Count: "Count", Milliseconds: "Milliseconds" };
        export class Tracer { captureAWSv3Client(client) { return client; } }`,
      loader: "js",
    }));
  },
};

const SCRIPT =
  "const start = performance.now(); await import(process.argv[1]); console.log(performance.now() - start);";

async function coldImport(file: string, cwd: string): Promise<{ wall: number; module: number }> {
  const start = performance.now();
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", SCRIPT, pathToFileURL(file).href], {
    cwd,
    env: LAMBDA_ENV,
  });
  return { wall: performance.now() - start, module: Number(stdout.trim()) };
}

/**
 * 6. Cold start: each Lambda bundle, built as `sst deploy` builds it (infra/bundle.ts: esbuild,
 * ESM, minified, the AWS SDK left to the runtime), imported in a fresh Node process, against an
 * empty module imported the same way. The bundles sit under bench/tmp/, inside the repository, so
 * that `@aws-sdk/*` and swagger-ui-dist resolve from its node_modules as they would from the
 * runtime's. Runs go round robin, so that the three share whatever else the machine is doing.
 */
export async function coldStartBench(root: string, options: { runs: number }): Promise<ColdStartFigures> {
  const dir = join(root, "bench/tmp/cold-start");
  mkdirSync(dir, { recursive: true });
  const withoutTracer = API_INSTALL.filter((name) => !name.startsWith("@aws-lambda-powertools/"));
  const [api, jobs, bare] = await Promise.all([
    bundleLambda(join(root, "packages/api/src/lambda.ts"), join(dir, "api"), API_INSTALL),
    bundleLambda(join(root, "packages/jobs/src/lambda.ts"), join(dir, "jobs"), JOB_INSTALL),
    bundleLambda(join(root, "packages/api/src/lambda.ts"), join(dir, "api-bare"), withoutTracer, [NO_POWERTOOLS]),
  ]);
  const empty = join(dir, "empty.mjs");
  writeFileSync(empty, "");
  const sdk = join(dir, "sdk.mjs");
  writeFileSync(sdk, 'import "@aws-sdk/client-dynamodb";\n');
  const files = { api: api.file, bare: bare.file, rollup: jobs.file, floor: empty, sdk };
  const samples = {
    api: [] as number[][],
    bare: [] as number[][],
    rollup: [] as number[][],
    floor: [] as number[][],
    sdk: [] as number[][],
  };
  // One untimed round first: the bundles come off the disk cache in every timed run after it.
  for (const file of Object.values(files)) await coldImport(file, dir);
  for (let n = 0; n < options.runs; n++) {
    for (const name of ["floor", "api", "bare", "rollup", "sdk"] as const) {
      const { wall, module } = await coldImport(files[name], dir);
      samples[name].push([wall, module]);
    }
  }
  const wall = (name: keyof typeof samples) => median(samples[name].map(([ms]) => ms as number));
  const module = (name: keyof typeof samples) => median(samples[name].map(([, ms]) => ms as number));
  const floorMs = wall("floor");
  const figures = (name: "api" | "bare" | "rollup", bytes: number): ColdImport => ({
    importMs: round(wall(name)),
    moduleMs: round(module(name)),
    bytes,
    ratio: ratio(wall(name), floorMs),
  });
  return {
    api: figures("api", api.bytes),
    apiWithoutPowertools: figures("bare", bare.bytes),
    rollup: figures("rollup", jobs.bytes),
    floorMs: round(floorMs),
    floorModuleMs: round(module("floor")),
    sdkModuleMs: round(module("sdk")),
    runs: options.runs,
    ratio: ratio(wall("api"), floorMs),
  };
}
