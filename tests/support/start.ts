import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

export type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** `npm start`, as `node packages/local/src/cli.ts`, on a data directory of its own. */
export function start(dataDir: string, { demo = false, secret }: { demo?: boolean; secret: string }): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEDGER_DATA_DIR: dataDir,
    PORT: "0",
    LEDGER_JWT_SECRET: secret,
    // Most tests are about what survives a restart; one loads the demo, as a first `npm start` does.
    ...(demo ? {} : { LEDGER_SKIP_DEMO: "1" }),
  };
  // Its own DynamoDB Local on the data directory, not the test run's in-memory one.
  delete env.LEDGER_DYNAMODB_ENDPOINT;
  const child = spawn(process.execPath, ["packages/local/src/cli.ts"], { cwd: root, env, stdio: "pipe" });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Waits for the "listening" line; returns the server's URL and DynamoDB Local's. */
export async function listening(run: Run, timeoutMs = 60_000): Promise<{ url: string; dynamo: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /listening on (http:\/\/\S+) {2}\(DynamoDB Local on (http:\/\/\S+),/.exec(run.output());
    if (match?.[1] && match[2] && run.output().includes("Ctrl-C")) return { url: match[1], dynamo: match[2] };
    if (run.child.exitCode !== null) throw new Error(`npm start exited ${run.child.exitCode}:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`npm start did not listen in time:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The pids of DynamoDB Local processes serving a port (Linux: from /proc). */
export function dynamoPids(port: string): number[] {
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      const at = args.indexOf("-port");
      return args.some((arg) => arg.includes("DynamoDBLocal.jar")) && args[at + 1] === port ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** Stops what a failed test left running: its own children only, by pid. */
export async function stopAll(runs: readonly Run[]): Promise<void> {
  for (const { child, exited } of runs) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
  }
}
