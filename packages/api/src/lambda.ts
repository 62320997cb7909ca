import { handle } from "hono/aws-lambda";
import { createApp } from "./app.ts";
import { configFromEnv, secretsFromEnv } from "./config.ts";
import { createLedger } from "./ledger.ts";

// Built once per Lambda instance: the journal's per-book queues and cached heads live as long as it does.
const app = createApp(createLedger(configFromEnv(), secretsFromEnv()));

export const handler = handle(app);
