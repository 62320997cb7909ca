import { fileURLToPath } from "node:url";

/**
 * Stryker runs the tests in a copy of the repository. The workspace packages are linked from
 * `node_modules` to the original `packages/`, so an import of `@relief-ledger/store` would reach
 * the unmutated code; these aliases send it to the copy's own sources.
 */
export const workspaceAliases = Object.fromEntries(
  ["core", "store", "jobs", "api"].map((name) => [
    `@relief-ledger/${name}`,
    fileURLToPath(new URL(`../packages/${name}/src/index.ts`, import.meta.url)),
  ]),
);
