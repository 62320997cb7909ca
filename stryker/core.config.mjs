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
  // Stryker would rewrite tsconfig.json's extends and references for its sandbox with the
  // TypeScript 5 API, which TypeScript 7 does not have; ours has neither, so it is left as is.
  tsconfigFile: "stryker/no-tsconfig-to-rewrite.json",
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ["clear-text", "progress-append-only", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/core.json" },
  htmlReporter: { fileName: "reports/mutation/core.html" },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["reports", ".data", "bench/tmp", "tests/artifacts", ".scratch"],
};
