import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
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

  it("builds DynamoDB keys only in packages/store/src/keys.ts", () => {
    const files = ["packages/core/src", "packages/store/src", "packages/api/src", "packages/jobs/src"].flatMap((dir) =>
      sourceFiles(join(root, dir)).filter((file) => !file.endsWith(".test.ts") && !file.endsWith("keys.ts")),
    );
    const offending = files.filter((file) => /[`"'](BOOK|IDEM|CLAIM)#/.test(readFileSync(file, "utf8")));
    expect(offending.map((file) => relative(root, file))).toEqual([]);
  });
});

describe("module loading", () => {
  it("builds the app whichever package an entry point imports first", async () => {
    const { spawnSync } = await import("node:child_process");
    // dev-server.ts imports the store (and so core's zod schemas) before the app: the app must still load.
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
