import { createMiddleware } from "hono/factory";
import { ProblemError, problemFor } from "../problem.ts";
import type { AuthEnv } from "./env.ts";
import { can, type Permission, reachesBook } from "./permissions.ts";

/**
 * Lets the request through only if `authenticate` ran, the token's role has `permission`, and,
 * on a route with a `{book}` parameter, the token names that book. The refusal says which book
 * but never whether it exists, so a token cannot probe for other organisations' books.
 */
export function requirePermission(permission: Permission) {
  return createMiddleware<AuthEnv>(async function requirePermission(c, next) {
    const principal = c.get("principal") as AuthEnv["Variables"]["principal"] | undefined;
    if (!principal) throw new ProblemError(problemFor("unauthorized", "this route needs an access token"));
    if (!can(principal.role, permission)) {
      throw new ProblemError(
        problemFor("forbidden", `the ${principal.role} role may not do this (needs "${permission}")`, { permission }),
      );
    }
    const book = c.req.param("book");
    if (book !== undefined && !reachesBook(principal, book)) {
      throw new ProblemError(problemFor("forbidden", `this token does not reach book ${book}`, { book }));
    }
    await next();
  });
}
