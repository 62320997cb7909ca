import { configFromEnv, createLedger, startServer } from "@relief-ledger/api";
import { secretsFromEnv } from "../../packages/api/src/config.ts";

/**
 * The app on Node's HTTP server in a process of its own, over the tables the environment names
 * (LEDGER_DYNAMODB_ENDPOINT, LEDGER_JOURNAL_TABLE, LEDGER_STATE_TABLE, the two secrets). A test
 * that could hang the server talks to it here, so that a hang fails the test by a timeout in the
 * test's own process instead of freezing the run. Prints "listening on <url>" once it listens.
 */
const { url } = await startServer(createLedger(configFromEnv(), secretsFromEnv()), 0);
console.log(`listening on ${url}`);
