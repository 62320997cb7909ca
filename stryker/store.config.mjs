// @ts-check
/** Mutation testing of the store's append, idempotency and verification: `npm run mutate:store`. */
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "stryker/store.vitest.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "packages/store/src/book-writer.ts",
    "packages/store/src/plan-transaction.ts",
    "packages/store/src/idempotency.ts",
    "packages/store/src/journal-append.ts",
    "packages/store/src/journal-read.ts",
    "packages/store/src/journal-verify.ts",
    "packages/store/src/head.ts",
    "packages/store/src/verify-book.ts",
    "packages/store/src/local-commit.ts",
    "packages/store/src/checkpoints/take.ts",
  ],
  coverageAnalysis: "perTest",
  checkers: [],
  // Stryker would rewrite tsconfig.json's extends and references for its sandbox with the
  // TypeScript 5 API, which TypeScript 7 does not have; ours has neither, so it is left as is.
  tsconfigFile: "stryker/no-tsconfig-to-rewrite.json",
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  reporters: ["clear-text", "progress-append-only", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/store.json" },
  htmlReporter: { fileName: "reports/mutation/store.html" },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["reports", ".data", "bench/tmp", "tests/artifacts", ".scratch"],
};
