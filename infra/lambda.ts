import type { Tables } from "./permissions.ts";

/** Every function: Node.js 24, the version the project runs on, on Graviton (arm64: cheaper per ms, nothing native to build). */
export const LAMBDA_RUNTIME = { runtime: "nodejs24.x", architecture: "arm64" } as const;

/**
 * The AWS SDK v3 is left out of the bundles: the nodejs24.x runtime ships it, and bundled it would
 * take the API bundle (DynamoDB, and S3, KMS and Lambda for checkpoints) from about 0.75 MB to
 * 1.36 MB minified, past its 1 MB budget. The price: the deployed SDK is the runtime's version, not
 * the one in package-lock.json (the store uses long-standing DynamoDB, S3 and KMS calls; S3's
 * If-None-Match on PutObject dates from 2024). tests/bundle.test.ts bundles with these options and
 * holds the budget.
 */
export const BUNDLE_EXTERNAL = ["@aws-sdk/*"] as const;
export const BUNDLE_TARGET = "node24";

/**
 * Packages SST npm-installs into the function's node_modules, beside the bundle, where run-time
 * resolution finds them:
 * - swagger-ui-dist: the API serves /docs from its files, which docs.ts resolves and reads at run
 *   time (no static import for esbuild to follow);
 * - exceljs: the XLSX exports (packages/api/src/exports/xlsx.ts import it on the first one asked
 *   for). Bundled, it and its zip and XML libraries would take the API bundle from about 0.76 MB
 *   to 1.9 MB minified, past its 1 MB budget;
 * - @aws-lambda-powertools/tracer: X-Ray tracing (lambda-app.ts). It brings aws-xray-sdk-core, and
 *   bundled would take the API bundle from about 0.96 MB to 1.10 MB. Unlike exceljs it loads with
 *   the function, so its cost is in the cold start either way (`npm run bench`, cold-start);
 * - @aws-lambda-powertools/logger and metrics: about 33 KB together with their commons, which kept
 *   the bundle past 1 MB once the bank loop and the reconciliation landed.
 * zod was the largest part of the bundle (about 470 KB), 267 KB of it the error-message locales that
 * `z` re-exports and esbuild cannot shake off; esbuild-plugins.mjs bundles English alone, which took
 * the API bundle from 1,014,271 to 750,104 bytes once statements as files and the batch index landed.
 */
export const API_INSTALL = [
  "swagger-ui-dist",
  "exceljs",
  "@aws-lambda-powertools/tracer",
  "@aws-lambda-powertools/logger",
  "@aws-lambda-powertools/metrics",
] as const;

/**
 * What the jobs' functions (rollup, expiry, checkpoints, verification) get installed beside their
 * bundles: the tracer, for the same reason as the API's, and because bundled it would bring parts of
 * the SDK's @smithy packages that the runtime already has.
 */
export const JOB_INSTALL = ["@aws-lambda-powertools/tracer"] as const;

/** esbuild plugins every function's bundle is built with (zod's locales cut to English: see the file). */
export const ESBUILD_PLUGINS = "infra/esbuild-plugins.mjs";

export function bundling(install: readonly string[] = []): NonNullable<SstFunctionArgs["nodejs"]> {
  return {
    format: "esm",
    minify: true,
    // Relative to the project's root, where sst.config.ts is: SST loads its default export.
    plugins: ESBUILD_PLUGINS,
    ...(install.length > 0 ? { install: [...install] } : {}),
    // The installed packages are external too, whichever way SST merges this with `install`.
    esbuild: { external: [...BUNDLE_EXTERNAL, ...install], target: BUNDLE_TARGET },
  };
}

/** Where the tables are, in the variables configFromEnv (packages/store/src/config.ts) reads. */
export const tableEnvironment = ({ journal, state }: Tables) => ({
  LEDGER_JOURNAL_TABLE: journal.name,
  LEDGER_STATE_TABLE: state.name,
});
