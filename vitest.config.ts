import { defineConfig } from "vitest/config";
import SlowFilesFirst from "./tests/support/sequencer.ts";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    // One DynamoDB Local (in memory) per worker for the whole run; each test file makes its own tables.
    globalSetup: ["tests/support/global-setup.ts"],
    // Two test files at a time on the project's 2-core machines (vitest would take one fewer than the
    // cores): most of a file's time is DynamoDB Local's, in its own process, so two overlap well.
    maxWorkers: 2,
    // The slowest files first, so that the two workers finish together (tests/support/sequencer.ts).
    sequence: { sequencer: SlowFilesFirst },
    testTimeout: 60_000,
    // Apps a test builds without a log of its own log at this level: their unexpected errors
    // still print, their request lines do not (tests/observe-*.test.ts capture those).
    env: { LEDGER_LOG_LEVEL: "error" },
    hookTimeout: 120_000,
  },
});
