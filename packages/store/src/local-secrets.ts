import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config.ts";

/** HS256 keys shorter than this are guessable offline from any one token. */
export const MIN_SECRET_LENGTH = 32;

export type ResolveJwtSecretOptions = { readonly env?: NodeJS.ProcessEnv; readonly dataDir: string };

/**
 * A local secret: the environment variable when set, else a file under the data directory,
 * created on first use (owner-only) so that the local server and the CLIs agree on it.
 */
function resolveSecret(
  variable: string,
  fileName: string,
  { env = process.env, dataDir }: ResolveJwtSecretOptions,
): string {
  const fromEnv = env[variable];
  if (fromEnv !== undefined) {
    if (fromEnv.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(`${variable} is too short: use at least ${MIN_SECRET_LENGTH} characters`);
    }
    return fromEnv;
  }
  const file = join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true });
  try {
    // "wx": if two processes start at once, only one creates the file and both then read it.
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `${file} holds a secret shorter than ${MIN_SECRET_LENGTH} characters; delete it to make a new one`,
    );
  }
  return secret;
}

/** The HMAC key for access tokens: LEDGER_JWT_SECRET, else `<dataDir>/jwt-secret`. */
export const resolveJwtSecret = (options: ResolveJwtSecretOptions): string =>
  resolveSecret("LEDGER_JWT_SECRET", "jwt-secret", options);

/** The key of beneficiaries' ID-number hashes: LEDGER_ID_HASH_KEY, else `<dataDir>/id-hash-key`. */
export const resolveIdHashKey = (options: ResolveJwtSecretOptions): string =>
  resolveSecret("LEDGER_ID_HASH_KEY", "id-hash-key", options);
