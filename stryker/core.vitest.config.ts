import { defineConfig } from "vitest/config";
import { workspaceAliases } from "./vitest.shared.ts";

/** The core's own tests: pure, no database. */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["packages/core/src/**/*.test.ts"],
  },
});
