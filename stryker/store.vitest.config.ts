import { defineConfig } from "vitest/config";
import { workspaceAliases } from "./vitest.shared.ts";

/**
 * The tests that hold the store's append, idempotency and verification, on one DynamoDB Local
 * per Stryker worker. Left out: the crash tests (they kill processes and take minutes) and the
 * racing-instance handoff tests (seconds of leases and backoff each, re-run for every mutant);
 * `npm test` runs both.
 */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: [
      "packages/store/src/**/*.test.ts",
      "tests/journal.test.ts",
      "tests/journal-claims.test.ts",
      "tests/journal-cancellations.test.ts",
      "tests/checkpoints.test.ts",
      "tests/api-idempotency.test.ts",
      "tests/api-idempotency-scope.test.ts",
    ],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
