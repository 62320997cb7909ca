import { defineConfig } from "vitest/config";
import { workspaceAliases } from "./vitest.shared.ts";

/**
 * The tests that hold the store's append, idempotency and verification, on one DynamoDB Local
 * per Stryker worker. The crash tests are left out: they kill processes and take minutes.
 */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: [
      "packages/store/src/**/*.test.ts",
      "tests/journal.test.ts",
      "tests/journal-claims.test.ts",
      "tests/journal-handoff.test.ts",
      "tests/checkpoints.test.ts",
      "tests/api-idempotency.test.ts",
      "tests/api-idempotency-scope.test.ts",
      "tests/api-money-rules.test.ts",
      "tests/api-batches.test.ts",
    ],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
