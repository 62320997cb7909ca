import { ConfigError } from "@relief-ledger/store";

export { configFromEnv, type LedgerConfig } from "@relief-ledger/store";

/** The two secrets, from the environment (in AWS, SST puts its Secret values there). */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): { jwtSecret: string; idHashKey: string } {
  const jwtSecret = env.LEDGER_JWT_SECRET;
  const idHashKey = env.LEDGER_ID_HASH_KEY;
  if (!jwtSecret || !idHashKey) throw new ConfigError("LEDGER_JWT_SECRET and LEDGER_ID_HASH_KEY must be set");
  return { jwtSecret, idHashKey };
}
