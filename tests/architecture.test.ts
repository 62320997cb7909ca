import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );

/** Every module specifier a file imports or re-exports, static or dynamic. */
const importsOf = (file: string): string[] => {
  const text = readFileSync(file, "utf8");
  const found = [
    ...text.matchAll(
      /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm,
    ),
  ];
  return found.map((match) => match[1] ?? match[2] ?? match[3] ?? "");
};

/** What the pure domain may use: itself, zod, and hashing. No I/O, no AWS, no HTTP. */
const CORE_MAY_IMPORT = (specifier: string) =>
  specifier.startsWith("./") || specifier.startsWith("../") || specifier === "zod" || specifier === "node:crypto";

/**
 * The layers run one way: core ← store ← jobs, api ← local. What each package may import of the
 * others; the API reads through the store, never through the jobs, and only the local runtime
 * (`npm start`) composes the API with the jobs.
 */
const LAYERS: Record<string, readonly string[]> = {
  core: [],
  store: ["core"],
  jobs: ["core", "store"],
  api: ["core", "store"],
  local: ["core", "store", "jobs", "api"],
};

/** The package a specifier reaches, by name (`@relief-ledger/jobs/demo`) or by relative path. */
const packageOf = (file: string, specifier: string): string | undefined => {
  const named = /^@relief-ledger\/([^/]+)/.exec(specifier);
  if (named) return named[1];
  if (!specifier.startsWith(".")) return undefined;
  const path = relative(join(root, "packages"), resolve(dirname(file), specifier));
  return path.startsWith("..") ? undefined : path.split(sep)[0];
};

describe("architecture", () => {
  it("keeps packages/core free of store, api, AWS and I/O imports", () => {
    const files = sourceFiles(join(root, "packages/core/src")).filter((file) => !/\.test(-support)?\.ts$/.test(file));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !CORE_MAY_IMPORT(specifier))
        .map((specifier) => `${relative(root, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it("sees the imports it is checking (the check can fail)", () => {
    const probe = join(root, "packages/store/src/journal-read.ts");
    expect(importsOf(probe)).toContain("@aws-sdk/client-dynamodb");
    expect(importsOf(probe).some((specifier) => !CORE_MAY_IMPORT(specifier))).toBe(true);
  });

  it("keeps the layers one way: core ← store ← jobs, api ← local", () => {
    // A new package takes its place in the layers before it is checked.
    expect(Object.keys(LAYERS).sort()).toEqual(readdirSync(join(root, "packages")).sort());
    const offending = Object.entries(LAYERS).flatMap(([layer, allowed]) => {
      const files = sourceFiles(join(root, "packages", layer, "src"));
      expect(files.length, layer).toBeGreaterThan(2);
      return files.flatMap((file) =>
        importsOf(file)
          .filter((specifier) => {
            const target = packageOf(file, specifier);
            return target !== undefined && target !== layer && !allowed.includes(target);
          })
          .map((specifier) => `${relative(root, file)} imports ${specifier}`),
      );
    });
    expect(offending).toEqual([]);
  });

  it("sees a package reached by name or by relative path (the layer check can fail)", () => {
    const api = join(root, "packages/api/src/routes/reports.ts");
    expect(packageOf(api, "@relief-ledger/jobs")).toBe("jobs");
    expect(packageOf(api, "@relief-ledger/local/src/start.ts")).toBe("local");
    expect(packageOf(api, "../../../jobs/src/lambda.ts")).toBe("jobs");
    expect(packageOf(join(root, "packages/api/src/app.ts"), "../../local/src/start.ts")).toBe("local");
    expect(packageOf(api, "./operation.ts")).toBe("api");
    expect(packageOf(api, "hono")).toBeUndefined();
    // The local runtime really does import the jobs and the API: the check reads real imports.
    const local = sourceFiles(join(root, "packages/local/src")).flatMap((file) =>
      importsOf(file).map((specifier) => packageOf(file, specifier)),
    );
    expect(local).toEqual(expect.arrayContaining(["jobs", "api"]));
    expect(LAYERS.local).toEqual(expect.arrayContaining(["jobs", "api"]));
    expect(LAYERS.api).not.toContain("jobs");
  });

  it("builds DynamoDB keys only in packages/store/src/keys.ts", () => {
    const files = Object.keys(LAYERS).flatMap((dir) =>
      sourceFiles(join(root, "packages", dir, "src")).filter(
        (file) => !file.endsWith(".test.ts") && !file.endsWith("keys.ts"),
      ),
    );
    const offending = files.filter((file) => /[`"'](BOOK|IDEM|CLAIM)#/.test(readFileSync(file, "utf8")));
    expect(offending.map((file) => relative(root, file))).toEqual([]);
  });
});

describe("module loading", () => {
  it("builds the app whichever package an entry point imports first", async () => {
    const { spawnSync } = await import("node:child_process");
    // An entry point may load the store (and so core's zod schemas) before the app: the app must still load.
    const script = `import "@relief-ledger/store";
const { createApp } = await import("@relief-ledger/api");
const app = createApp({ journal: {}, jwtSecret: "x".repeat(40), idHashKey: "y".repeat(40) });
const doc = await (await app.request("/openapi.json")).json();
console.log(Object.keys(doc.paths).length);`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(Number(run.stdout.trim())).toBeGreaterThan(10);
  });
});
