/**
 * esbuild plugins for the functions' bundles (`nodejs.plugins` in infra/lambda.ts; SST loads this
 * file's default export, and infra/bundle.ts passes the same plugins to the bundle test).
 *
 * zod's `z` re-exports every error-message locale (`export * as locales`), about 267 KB of the
 * API bundle that esbuild cannot shake off. The ledger never switches zod's locale (its messages
 * to people are its own, in two languages), so the namespace is bundled with English alone, the
 * locale zod registers by default; `z.locales.en` stays what it was.
 */
import { dirname } from "node:path";

/** @type {import("esbuild").Plugin} */
export const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: args.importer, namespace: "zod-locales" };
    });
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

export default [zodEnglishOnly];
