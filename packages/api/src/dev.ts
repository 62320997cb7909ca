import { join } from "node:path";
import { createDynamoClient, DynamoLocalError, ensureTables, startDynamoLocal } from "@relief-ledger/store";
import { resolveIdHashKey, resolveJwtSecret } from "./auth/secret.ts";
import { configFromEnv } from "./config.ts";
import { createLedger } from "./ledger.ts";
import { startServer } from "./server.ts";

/**
 * `npm start`: DynamoDB Local with its data under .data/ (or LEDGER_DYNAMODB_ENDPOINT), the
 * tables, and the API on PORT. Ctrl-C stops everything it started, the Java process included.
 */
async function main() {
  const root = join(import.meta.dirname, "../../..");
  const dataDir = process.env.LEDGER_DATA_DIR ?? join(root, ".data");
  const port = Number(process.env.PORT ?? 3000);
  const config = configFromEnv();
  const local = config.dynamoEndpoint ? undefined : await startDynamoLocal({ dataDir: join(dataDir, "dynamodb") });
  const endpoint = config.dynamoEndpoint ?? local?.endpoint;
  const client = createDynamoClient(endpoint);
  await ensureTables(client, config.tables);
  client.destroy();
  const secrets = { jwtSecret: resolveJwtSecret({ dataDir }), idHashKey: resolveIdHashKey({ dataDir }) };
  const ledger = createLedger({ ...config, ...(endpoint ? { dynamoEndpoint: endpoint } : {}) }, secrets);
  const { server, url } = await startServer(ledger, port);
  console.log(`relief-ledger is listening on ${url}  (DynamoDB: ${endpoint ?? "AWS"})`);
  console.log(`  health:  ${url}/health`);
  console.log(`  API docs: ${url}/docs`);
  console.log("  a token: npm run -s token -- --role finance --book <book>");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await local?.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof DynamoLocalError ? error.message : error);
  process.exit(1);
});
