import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  createLedger,
  type Ledger,
  type Loading,
  mintToken,
  resolveIdHashKey,
  resolveJwtSecret,
  startServer,
} from "@relief-ledger/api";
import { localDate } from "@relief-ledger/core";
import {
  ConfigError,
  checkpointAfterClose,
  configFromEnv,
  createDynamoClient,
  dynamoCursors,
  ensureTables,
  type LocalDynamo,
  localCheckpoints,
  localDataKey,
  logFromEnv,
  resolveLocalDynamo,
} from "@relief-ledger/store";
import { CommandError, reportFailure } from "@relief-ledger/store/cli";
import { DEMO_BOOK, ensureDemo } from "./demo.ts";
import { takeLock } from "./lock.ts";
import { scheduleLocalJobs } from "./schedule.ts";

/**
 * What `npm start` runs once its command line parsed (cli.ts): DynamoDB Local with its data under
 * .data/ (or LEDGER_DYNAMODB_ENDPOINT), the tables, the demo book on first start, the API and the
 * dashboard on PORT, and the monthly rollup every six hours. Ctrl-C stops everything it started,
 * the Java process included.
 */

/** The printed demo tokens: long enough to keep using for a month of local work. */
const DEMO_TOKEN_TTL = 30 * 24 * 3600;

/** How long Ctrl-C waits for DynamoDB Local to stop cleanly before the process exits regardless. */
const STOP_WITHIN_MS = 10_000;

/** The settings read from the environment, refused in one line before anything starts. */
function settings(env: NodeJS.ProcessEnv) {
  const port = Number(env.PORT ?? 3000);
  if (env.PORT?.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT=${env.PORT} is not a port number (0 to 65535; 0 picks a free one)`);
  }
  const skipDemo = env.LEDGER_SKIP_DEMO ?? "0";
  if (skipDemo !== "0" && skipDemo !== "1" && skipDemo !== "") {
    throw new ConfigError(`LEDGER_SKIP_DEMO=${skipDemo} is neither 1 (skip the demo book) nor 0`);
  }
  return { port, skipDemo: skipDemo === "1", config: configFromEnv(env) };
}

async function printWelcome(url: string, endpoint: string, owned: boolean, dataDir: string, jwtSecret: string) {
  const token = (role: "finance" | "auditor") =>
    mintToken({ secret: jwtSecret, sub: `demo-${role}`, role, books: [DEMO_BOOK], ttlSeconds: DEMO_TOKEN_TTL });
  const [finance, auditor] = await Promise.all([token("finance"), token("auditor")]);
  const today = localDate("Asia/Shanghai", new Date());
  const body = JSON.stringify({
    fundId: "general",
    source: "dues",
    unitId: "district-finance-bureau",
    amount: "1200.00",
    receivedOn: today,
    reference: "curl example",
  });
  const dynamo = owned ? `DynamoDB Local on ${endpoint}, data in ${dataDir}` : `DynamoDB on ${endpoint}`;
  console.log(
    [
      `relief-ledger is listening on ${url}  (${dynamo})`,
      `  dashboard  ${url}/dashboard`,
      `  API docs   ${url}/docs`,
      `  finance token (${DEMO_BOOK}, 30 days):  ${finance}`,
      `  auditor token (${DEMO_BOOK}, 30 days):  ${auditor}`,
      "  record a collection (the same Idempotency-Key again records nothing twice):",
      `    curl -sS -X POST ${url}/v1/books/${DEMO_BOOK}/collections -H 'Authorization: Bearer ${finance}' -H 'Idempotency-Key: ${randomUUID()}' -H 'Content-Type: application/json' -d '${body}'`,
      owned ? "Ctrl-C stops it, and DynamoDB Local." : "Ctrl-C stops it.",
    ].join("\n"),
  );
}

/** The exit code, or nothing while it serves (until a signal stops it). */
export async function startLocal(): Promise<number | undefined> {
  const root = join(import.meta.dirname, "../../..");
  const dataDir = resolve(process.env.LEDGER_DATA_DIR ?? join(root, ".data"));
  const { port, skipDemo, config } = settings(process.env);
  mkdirSync(dataDir, { recursive: true });
  // The secrets are checked before anything starts: a short one is refused in one line, no JVM.
  const secrets = { jwtSecret: resolveJwtSecret({ dataDir }), idHashKey: resolveIdHashKey({ dataDir }) };
  const lockFile = join(dataDir, "server.lock");
  const lock = takeLock(lockFile);
  if (!lock.ok) {
    const { pid, url } = lock.holder;
    throw new CommandError(
      url
        ? `relief-ledger is already running on ${url} (pid ${pid}, data in ${dataDir}); stop it first, or set LEDGER_DATA_DIR for another one.`
        : `relief-ledger is already starting (pid ${pid}, data in ${dataDir}); wait for it, or stop it first.`,
    );
  }

  // Held as a promise so that a Ctrl-C while Java is starting still waits for it, then stops it.
  let dynamoStart: Promise<LocalDynamo> | undefined;
  let server: Awaited<ReturnType<typeof startServer>>["server"] | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) {
      // A second Ctrl-C: the person wants out now. DynamoDB Local's watchdog still ends the JVM.
      rmSync(lockFile, { force: true });
      process.exit(code || 130);
    }
    stopping = true;
    // Whatever is still in flight (a long export, a load) does not hold the exit up for long.
    setTimeout(() => {
      console.error(`relief-ledger did not stop within ${STOP_WITHIN_MS / 1000} s; exiting anyway`);
      rmSync(lockFile, { force: true });
      process.exit(code || 1);
    }, STOP_WITHIN_MS).unref();
    server?.close();
    try {
      const dynamo = await dynamoStart?.catch(() => undefined);
      await dynamo?.stop();
    } finally {
      rmSync(lockFile, { force: true });
      process.exit(code);
    }
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  try {
    if (!process.env.LEDGER_DYNAMODB_ENDPOINT) console.log(`starting DynamoDB Local (data in ${dataDir})…`);
    dynamoStart = resolveLocalDynamo(dataDir, process.env, (line) => console.error(line));
    const dynamo = await dynamoStart;
    const client = createDynamoClient(dynamo.endpoint);
    await ensureTables(client, config.tables);
    client.destroy();
    // The checkpoint key and files live under the data dir, beside DynamoDB Local's, not in it.
    const checkpoints = localCheckpoints(dataDir);
    await checkpoints.signer();
    // Bank accounts are sealed with a key file under the data dir, generated on first use (data-key.ts).
    const base = createLedger({ ...config, dynamoEndpoint: dynamo.endpoint }, secrets, localDataKey(dataDir));
    // Set while the demo loads behind the server: GET /v1/books and the dashboard say how far. Set
    // before the port answers, so that no request sees the book as done before the load has looked.
    let loading: Loading | undefined = skipDemo ? undefined : { book: DEMO_BOOK, done: 0, total: 0 };
    const ledger: Ledger = {
      ...base,
      checkpoints,
      afterClose: checkpointAfterClose(base.journal, checkpoints),
      loading: () => loading,
    };

    // Readable lines on a terminal, JSON lines otherwise (piped to a file or a log collector).
    const readable = process.stdout.isTTY === true;
    const log = logFromEnv("relief-ledger-api", { readable });
    const verification = { cursors: dynamoCursors(createDynamoClient(dynamo.endpoint), config.tables) };
    const jobLogs = {
      rollup: logFromEnv("relief-ledger-rollup", { readable }),
      verify: logFromEnv("relief-ledger-verify", { readable }),
    };
    const started = await startServer(ledger, port, "127.0.0.1", { log }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        throw new CommandError(`port ${port} is in use by another program: set PORT to a free one`);
      }
      throw error;
    });
    server = started.server;
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, url: started.url }));
    await printWelcome(started.url, dynamo.endpoint, dynamo.owned, dataDir, secrets.jwtSecret);
    // The port answers at once; the demo loads behind it, and the monthly jobs start once it is in
    // (a rollup must not close a month of the demo halfway through loading it).
    const demo = skipDemo
      ? Promise.resolve()
      : ensureDemo(ledger, (progress) => {
          loading = progress;
        }).finally(() => {
          loading = undefined;
        });
    demo.then(
      () => scheduleLocalJobs(ledger, checkpoints, verification, jobLogs),
      (error: unknown) => {
        if (stopping) return;
        // Every step has its key: the next start resumes where this one stopped.
        console.error(
          `loading the demo book ${DEMO_BOOK} failed (the next start resumes it): ${error instanceof Error ? error.message : String(error)}`,
        );
        scheduleLocalJobs(ledger, checkpoints, verification, jobLogs);
      },
    );
    return undefined;
  } catch (error) {
    // A Ctrl-C during the demo load stops DynamoDB Local under it: that failure is no news.
    if (stopping) return undefined;
    const code = reportFailure("start", error);
    await stop(code);
    return code;
  }
}
