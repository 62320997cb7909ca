import { statSync } from "node:fs";
import { join } from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";
import SST_PLUGINS from "./esbuild-plugins.mjs";
import { BUNDLE_EXTERNAL, BUNDLE_TARGET } from "./lambda.ts";

/**
 * The esbuild step `sst deploy` runs for one of our functions, reproduced offline for the bundle
 * test (and for measuring the bundles): SST's settings for an ESM Node function (its
 * platform/src/runtime/node.ts: bundle, platform node, module-first main fields, keepNames, minify,
 * and a banner that gives ESM code `require`, `__filename` and `__dirname`), with ours from
 * lambda.ts on top, the plugins of `nodejs.plugins` (esbuild-plugins.mjs) included. Not used by sst.config.ts: SST bundles by itself.
 */
const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  "const require = topLevelCreateRequire(import.meta.url);",
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  "const __filename = topLevelFileUrlToPath(import.meta.url)",
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

export type LambdaBundle = { readonly file: string; readonly bytes: number; readonly metafile: Metafile };

/** Bundles a handler's file (`packages/api/src/lambda.ts`) into `<outDir>/lambda.mjs`, as SST names it. */
export async function bundleLambda(
  entry: string,
  outDir: string,
  install: readonly string[] = [],
  plugins: Plugin[] = [],
): Promise<LambdaBundle> {
  const file = join(outDir, "lambda.mjs");
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: BUNDLE_TARGET,
    mainFields: ["module", "main"],
    banner: { js: SST_ESM_BANNER },
    keepNames: true,
    minify: true,
    external: [...BUNDLE_EXTERNAL, ...install],
    metafile: true,
    logLevel: "silent",
    plugins: [...SST_PLUGINS, ...plugins],
  });
  return { file, bytes: statSync(file).size, metafile: result.metafile };
}
