import type { Role } from "@relief-ledger/core";
import { sign } from "hono/jwt";
import { Principal } from "./principal.ts";

// Local secrets are the store's (local-secrets.ts), so that the jobs' command lines (the demo's
// account hashes) read the same ones as the server.
export {
  MIN_SECRET_LENGTH,
  type ResolveJwtSecretOptions,
  resolveIdHashKey,
  resolveJwtSecret,
} from "@relief-ledger/store";

export type MintTokenOptions = {
  readonly secret: string;
  readonly sub: string;
  readonly role: Role;
  readonly books: readonly string[] | "*";
  readonly ttlSeconds: number;
  readonly now?: Date;
};

/** Signs an HS256 access token whose claims `authenticate` will accept (checked before signing). */
export async function mintToken({
  secret,
  sub,
  role,
  books,
  ttlSeconds,
  now = new Date(),
}: MintTokenOptions): Promise<string> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error("ttlSeconds must be a positive integer");
  const iat = Math.floor(now.getTime() / 1000);
  const claims = Principal.parse({ sub, role, books: books === "*" ? "*" : [...books], exp: iat + ttlSeconds });
  return sign({ ...claims, iat }, secret, "HS256");
}
