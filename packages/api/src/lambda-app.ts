import { type AppOptions, createApp } from "./app.ts";
import { configFromEnv, secretsFromEnv } from "./config.ts";
import { createLedger } from "./ledger.ts";

/**
 * The app a Lambda entry serves, built once per instance from the function's environment: the
 * journal's per-book queues and cached heads live as long as the instance does.
 */
export const lambdaApp = (options: AppOptions = {}) =>
  createApp(createLedger(configFromEnv(), secretsFromEnv()), options);
