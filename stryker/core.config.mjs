// @ts-check
/** Mutation testing of the core: `npm run mutate` (or `npm run mutate:core`). */
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "stryker/core.vitest.config.ts", related: false },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: ["packages/core/src/**/*.ts", "!packages/core/src/**/*.test.ts", "!packages/core/src/**/*.test-support.ts"],
  coverageAnalysis: "perTest",
  checkers: [],
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress-append-only", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/core.json" },
  htmlReporter: { fileName: "reports/mutation/core.html" },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["reports", ".data", "bench/tmp", "tests/artifacts", ".scratch"],
};
