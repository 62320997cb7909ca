/**
 * `npm run mutate:store`: Stryker over the store's append, idempotency and verification, with one
 * DynamoDB Local (in memory) shared by every Stryker worker. Stryker restarts a worker after a
 * mutant that timed out; without this each restart would start a JVM of its own.
 */
import { spawn } from "node:child_process";
import { startDynamoLocal } from "@relief-ledger/store";

const local = await startDynamoLocal();
const code = await new Promise<number>((resolve) => {
  const child = spawn("stryker", ["run", "stryker/store.config.mjs", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, LEDGER_DYNAMODB_ENDPOINT: local.endpoint },
  });
  child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
});
await local.stop();
process.exit(code);
