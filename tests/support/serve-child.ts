import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { TableNames } from "@relief-ledger/store";
import { ID_HASH_KEY, JWT_SECRET } from "./api.ts";

const root = join(import.meta.dirname, "../..");

/**
 * The app served by a process of its own (support/serve.ts) over a test's tables, to be hung,
 * killed or restarted without taking the test's process with it. Resolves with the child and its
 * URL once it listens; rejects with what it printed if it exits first or takes 30 s.
 */
export function serveInChild(
  endpoint: string,
  tables: TableNames,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(root, "tests/support/serve.ts")], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      LEDGER_DYNAMODB_ENDPOINT: endpoint,
      LEDGER_JOURNAL_TABLE: tables.journal,
      LEDGER_STATE_TABLE: tables.state,
      LEDGER_JWT_SECRET: JWT_SECRET,
      LEDGER_ID_HASH_KEY: ID_HASH_KEY,
    },
    stdio: "pipe",
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited ${code}:\n${output}`));
    });
  });
}
