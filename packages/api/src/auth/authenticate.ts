import { createMiddleware } from "hono/factory";
import { verify } from "hono/jwt";
import {
  JwtAlgorithmMismatch,
  JwtHeaderInvalid,
  JwtTokenExpired,
  JwtTokenInvalid,
  JwtTokenIssuedAt,
  JwtTokenNotBefore,
  JwtTokenSignatureMismatched,
} from "hono/utils/jwt/types";
import { ProblemError, problemFor } from "../problem.ts";
import type { AuthEnv } from "./env.ts";
import { Principal } from "./principal.ts";

export type AuthenticateOptions = { readonly secret: string };

const unauthorized = (reason: string) => new ProblemError(problemFor("unauthorized", reason));

/**
 * Why hono/jwt refused a token, in words a client can act on. Its own messages quote the whole
 * token, so they must never reach a response or a log line.
 */
function reasonFor(error: unknown): string {
  if (error instanceof JwtTokenExpired) return "the token has expired; mint a new one";
  if (error instanceof JwtTokenNotBefore) return "the token is not valid yet (nbf is in the future)";
  if (error instanceof JwtTokenIssuedAt)
    return "the token was issued in the future (iat); check the clock of the machine that minted it";
  // An unknown or absent alg ("none" included) and an unexpected typ or crit all fail the header check.
  if (error instanceof JwtHeaderInvalid) return "the token header is not acceptable: it must be signed with HS256";
  if (error instanceof JwtAlgorithmMismatch) return "the token must be signed with HS256";
  if (error instanceof JwtTokenSignatureMismatched) return "the token's signature does not match";
  if (error instanceof JwtTokenInvalid) return "the token is not a well-formed JWT";
  return "the token could not be verified";
}

/**
 * Verifies `Authorization: Bearer <jwt>` (HS256 only) and puts its claims on `c.var.principal`.
 * Every failure is one 401 problem with `WWW-Authenticate: Bearer` (set by sendProblem).
 */
export function authenticate({ secret }: AuthenticateOptions) {
  if (!secret) throw new Error("authenticate needs a secret");
  // hono/jwt imports a string secret with WebCrypto on every call; import it once per app instead.
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  const verificationKey = () => {
    key ??= crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    return key;
  };
  return createMiddleware<AuthEnv>(async function authenticate(c, next) {
    const header = c.req.header("Authorization");
    if (!header) throw unauthorized("send an access token as Authorization: Bearer <token>");
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match?.[1]) throw unauthorized("the Authorization header must be Bearer <token>");

    let claims: unknown;
    try {
      // The algorithm is pinned here, never taken from the token's header.
      claims = await verify(match[1], await verificationKey(), "HS256");
    } catch (error) {
      throw unauthorized(reasonFor(error));
    }
    const principal = Principal.safeParse(claims);
    if (!principal.success) {
      const problems = principal.error.issues.map((issue) => `${issue.path.join(".") || "claims"}: ${issue.message}`);
      throw unauthorized(`the token's claims are not valid (${problems.join("; ")})`);
    }
    c.set("principal", principal.data);
    await next();
  });
}
