import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleLambda, type LambdaBundle } from "../infra/bundle.ts";
import { API_INSTALL, bundling, JOB_INSTALL } from "../infra/lambda.ts";

/**
 * Bundles the three Lambda entries as `sst deploy` would (infra/bundle.ts), then loads each bundle in
 * a fresh Node process whose node_modules hold only what the deployed function has besides its
 * bundle: the AWS SDK (the runtime's) and, for the API, what SST installs (swagger-ui-dist, exceljs).
 */
const MAX_API_BYTES = 1_000_000;

let dir: string;
let api: LambdaBundle;
let jobs: LambdaBundle;
let checkpoint: LambdaBundle;
let verify: LambdaBundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "relief-ledger-bundle-"));
  [api, jobs, checkpoint, verify] = await Promise.all([
    bundleLambda("packages/api/src/lambda.ts", join(dir, "api"), API_INSTALL),
    bundleLambda("packages/jobs/src/lambda.ts", join(dir, "jobs"), JOB_INSTALL),
    bundleLambda("packages/jobs/src/checkpoint-lambda.ts", join(dir, "checkpoint"), JOB_INSTALL),
    bundleLambda("packages/jobs/src/verify-lambda.ts", join(dir, "verify"), JOB_INSTALL),
  ]);
  // What the function finds beside its bundle in AWS: the runtime's SDK and SST's `install` list.
  mkdirSync(join(dir, "node_modules"));
  for (const name of ["@aws-sdk", ...API_INSTALL]) {
    // A scoped package (@aws-lambda-powertools/tracer) needs its scope's folder first.
    if (name.includes("/")) mkdirSync(join(dir, "node_modules", dirname(name)), { recursive: true });
    symlinkSync(resolve("node_modules", name), join(dir, "node_modules", name), "dir");
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a module script in a fresh Node process with the functions' environment (dummy values). */
function runNode(script: string, bundleFile: string, extraEnv: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script, pathToFileURL(bundleFile).href], {
    cwd: dir,
    encoding: "utf8",
    timeout: 20_000,
    // Not the test run's environment: no DynamoDB Local endpoint, no credentials.
    env: {
      PATH: process.env.PATH,
      AWS_REGION: "ap-east-1",
      LEDGER_JOURNAL_TABLE: "relief-ledger-journal",
      LEDGER_STATE_TABLE: "relief-ledger-state",
      LEDGER_JWT_SECRET: "j".repeat(48),
      LEDGER_ID_HASH_KEY: "k".repeat(48),
      ...extraEnv,
    },
  });
  expect(child.status).toBe(0);
  // The script's answer is its last line; the lines before it, and any on stderr (Powertools writes
  // warnings and errors there), are the function's own log: JSON, every one, nothing else.
  const lines = child.stdout.trim().split("\n");
  const answer = JSON.parse(lines.pop() ?? "") as Record<string, unknown>;
  const logged = [...lines, ...child.stderr.split("\n")]
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const result: Record<string, unknown> = { ...answer, logged };
  return result;
}

/** An API Gateway HTTP API (payload 2.0) request, as Lambda receives it. */
const httpEvent = (path: string) => ({
  version: "2.0",
  routeKey: "$default",
  rawPath: path,
  rawQueryString: "",
  headers: { host: "api.example", accept: "*/*" },
  requestContext: {
    domainName: "api.example",
    http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "test" },
    requestId: "test",
    routeKey: "$default",
    stage: "$default",
  },
  isBase64Encoded: false,
});

describe("the Lambda bundles", () => {
  it("keeps the API bundle under 1 MB minified", () => {
    expect(api.bytes).toBeGreaterThan(0);
    expect(api.bytes).toBeLessThan(MAX_API_BYTES);
  });

  it("bundles zod with its English messages alone (infra/esbuild-plugins.mjs), as SST is told to", () => {
    expect(bundling().plugins).toBe("infra/esbuild-plugins.mjs");
    for (const bundle of [api, jobs, checkpoint, verify]) {
      const locales = Object.keys(bundle.metafile.inputs).filter((input) => /zod\/v4\/locales\/[^/]+\.js$/.test(input));
      expect(locales.map((input) => input.replace(/.*\/locales\//, ""))).toEqual(["en.js"]);
    }
  });

  it("leave out nothing but the runtime's AWS SDK, Node's own modules and, for the API, what SST installs", () => {
    const externalsOf = ({ metafile }: LambdaBundle) =>
      Object.values(metafile.outputs).flatMap((output) =>
        output.imports.filter((item) => item.external).map((item) => item.path),
      );
    const installed = (path: string) => (API_INSTALL as readonly string[]).includes(path);
    for (const bundle of [api, jobs, checkpoint]) {
      const externals = externalsOf(bundle);
      const allowed = (path: string) =>
        isBuiltin(path) ||
        path.startsWith("@aws-sdk/") ||
        (bundle === api ? installed(path) : (JOB_INSTALL as readonly string[]).includes(path));
      expect(externals.filter((path) => !allowed(path))).toEqual([]);
      expect(externals).toContain("@aws-sdk/client-dynamodb");
    }
    // The checkpoints' clients come from the runtime too: S3 and KMS to read (and, for the job,
    // sign and store) them, Lambda to start the job after a close. None of them is in a bundle.
    expect(externalsOf(api)).toEqual(
      expect.arrayContaining(["@aws-sdk/client-s3", "@aws-sdk/client-kms", "@aws-sdk/client-lambda"]),
    );
    expect(externalsOf(jobs)).toContain("@aws-sdk/client-lambda");
    expect(externalsOf(checkpoint)).toEqual(expect.arrayContaining(["@aws-sdk/client-s3", "@aws-sdk/client-kms"]));
    for (const bundle of [api, jobs, checkpoint]) {
      const inputs = Object.keys(bundle.metafile.inputs);
      expect(inputs.filter((input) => input.includes("@aws-sdk/") || input.includes("@smithy/"))).toEqual([]);
    }
  });

  it("loads the API bundle in a fresh Node process, which answers, docs included", () => {
    // A request travels to the child as EVENT, whose path each call sets.
    const script = `
      const { handler } = await import(process.argv[1]);
      const get = async (path) => {
        const event = JSON.parse(process.env.EVENT);
        event.rawPath = event.requestContext.http.path = path;
        const response = await handler(event, {});
        return { status: response.statusCode, type: response.headers["content-type"], length: response.body.length };
      };
      console.log(JSON.stringify({
        handler: typeof handler,
        health: await get("/health"),
        css: await get("/docs/assets/swagger-ui.css"),
        unauthenticated: await get("/v1/books"),
        // What the XLSX exports load on first use, from beside the bundle as SST installs it.
        excel: typeof (await import("exceljs")).default.stream.xlsx.WorkbookWriter,
      }));`;
    const answer = runNode(script, api.file, { EVENT: JSON.stringify(httpEvent("/")) });
    expect(answer.handler).toBe("function");
    // No DynamoDB here (no endpoint, no credentials): the uptime check says the tables do not answer.
    expect(answer.health).toMatchObject({ status: 503, type: expect.stringMatching(/^application\/json/) });
    // One JSON line per request, as Powertools Logger writes it for CloudWatch.
    const logged = answer.logged as Record<string, unknown>[];
    expect(logged.map((line) => [line.message, line.service, line.status])).toEqual(
      expect.arrayContaining([
        ["request", "relief-ledger-api", 503],
        ["request", "relief-ledger-api", 200],
        ["request", "relief-ledger-api", 401],
      ]),
    );
    expect(logged).toHaveLength(3);
    // Served from swagger-ui-dist, which only SST's `install` puts beside the bundle.
    expect(answer.css).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/css/) });
    expect((answer.css as { length: number }).length).toBeGreaterThan(10_000);
    expect(answer.unauthenticated).toMatchObject({ status: 401, type: expect.stringMatching(/problem\+json/) });
    expect(answer.excel).toBe("function");
  });

  it("loads the nightly verification's bundle in a fresh Node process, the tracer from beside it", () => {
    const answer = runNode(
      "const m = await import(process.argv[1]); console.log(JSON.stringify({ handler: typeof m.handler }));",
      verify.file,
    );
    expect(answer).toMatchObject({ handler: "function", logged: [] });
    const inputs = Object.keys(verify.metafile.inputs);
    expect(inputs.filter((input) => input.includes("aws-xray-sdk") || input.includes("@smithy/"))).toEqual([]);
  });

  it("loads the rollup bundle in a fresh Node process", () => {
    const answer = runNode(
      "const m = await import(process.argv[1]); console.log(JSON.stringify({ handler: typeof m.handler }));",
      jobs.file,
    );
    expect(answer).toMatchObject({ handler: "function" });
  });

  it("loads the checkpoint bundle in a fresh Node process, which refuses to run without its bucket and key", () => {
    const script = `
      const { handler } = await import(process.argv[1]);
      const refusal = await handler({}).then(() => "ran", (error) => error.message);
      console.log(JSON.stringify({ handler: typeof handler, refusal }));`;
    expect(runNode(script, checkpoint.file)).toMatchObject({
      handler: "function",
      refusal: "LEDGER_CHECKPOINT_BUCKET and LEDGER_CHECKPOINT_KEY_ID must be set",
    });
    // With them, it builds the S3 archive and the KMS signer as it loads, and calls nothing yet.
    const loaded = runNode(
      "const m = await import(process.argv[1]); console.log(JSON.stringify({ handler: typeof m.handler }));",
      checkpoint.file,
      { LEDGER_CHECKPOINT_BUCKET: "relief-ledger-checkpoints", LEDGER_CHECKPOINT_KEY_ID: "alias/checkpoints" },
    );
    expect(loaded).toMatchObject({ handler: "function" });
  });
});
