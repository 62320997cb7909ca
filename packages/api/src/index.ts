export { type App, createApp } from "./app.ts";
export { mintToken, resolveIdHashKey, resolveJwtSecret } from "./auth/secret.ts";
export { configFromEnv, type LedgerConfig } from "./config.ts";
export type { Ledger, Loading } from "./env.ts";
export { createLedger } from "./ledger.ts";
export { startServer } from "./server.ts";
