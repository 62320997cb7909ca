import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ledger } from "./env.ts";
import { type FieldError, ProblemError, problemFor, sendProblem } from "./problem.ts";
import { booksRoutes } from "./routes/books.ts";

/**
 * The ledger's HTTP API. The same app serves Lambda (lambda.ts) and the local server
 * (server.ts); what it talks to comes in through `ledger`.
 */
export function createApp(ledger: Ledger) {
  const app = new OpenAPIHono<AppEnv>({
    // Every validation failure becomes one problem with field errors, whichever route it hit.
    defaultHook: (result) => {
      if (!result.success) {
        const errors: FieldError[] = result.error.issues.map((issue) => ({
          path: issue.path.join("."),
          message: issue.message,
        }));
        throw new ProblemError(problemFor("validation-failed", "the request has invalid fields", { errors }));
      }
    },
  });

  app.use("*", async function provideLedger(c, next) {
    c.set("ledger", ledger);
    await next();
  });

  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/v1", booksRoutes);

  app.doc31("/openapi.json", { openapi: "3.1.0", info: { title: "relief-ledger", version: "1" } });

  app.notFound((c) => sendProblem(c, problemFor("not-found", `no route ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return sendProblem(c, error.problem);
    console.error(error);
    return sendProblem(
      c,
      problemFor(
        "internal",
        "the ledger could not complete the request; retry it with the same Idempotency-Key to learn whether it was recorded",
      ),
    );
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
