import type { Role } from "@relief-ledger/core";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ProblemError, sendProblem } from "../problem.ts";
import { authenticate } from "./authenticate.ts";
import { requirePermission } from "./authorize.ts";
import type { AuthEnv } from "./env.ts";
import { mintToken } from "./secret.ts";

const SECRET = "test-secret-that-is-long-enough-for-hs256";

const app = new Hono<AuthEnv>();
app.use("/v1/*", authenticate({ secret: SECRET }));
app.get("/v1/books/:book/balances", requirePermission("read"), (c) => c.json({ book: c.req.param("book") }));
app.post("/v1/books/:book/payouts", requirePermission("money"), (c) => c.json({ ok: true }, 201));
app.post("/v1/books", requirePermission("book:create"), (c) => c.json({ ok: true }, 201));
// The book check also works from a path-level middleware, not only beside the handler.
app.use("/v1/books/:book/audits/*", requirePermission("audit"));
app.post("/v1/books/:book/audits/plans", (c) => c.json({ ok: true }, 201));
// Without authenticate in front.
app.get("/open/books/:book", requirePermission("read"), (c) => c.json({ ok: true }));
app.onError((error, c) => {
  if (error instanceof ProblemError) return sendProblem(c, error.problem);
  throw error;
});

const tokenFor = (role: Role, books: string[] | "*") =>
  mintToken({ secret: SECRET, sub: `${role}-test`, role, books, ttlSeconds: 600 });

async function send(method: string, path: string, role: Role, books: string[] | "*") {
  return app.request(path, { method, headers: { Authorization: `Bearer ${await tokenFor(role, books)}` } });
}

describe("requirePermission", () => {
  it("lets a finance token record a payout in a book it names", async () => {
    expect((await send("POST", "/v1/books/bazhou/payouts", "finance", ["bazhou"])).status).toBe(201);
  });

  it("refuses a finance token on a book it does not name, and says which book", async () => {
    const response = await send("POST", "/v1/books/enyang/payouts", "finance", ["bazhou"]);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      type: "/problems/forbidden",
      title: "Not allowed",
      status: 403,
      detail: "this token does not reach book enyang",
      book: "enyang",
    });
  });

  it("refuses an auditor moving money, even in its own book", async () => {
    const response = await send("POST", "/v1/books/bazhou/payouts", "auditor", ["bazhou"]);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ type: "/problems/forbidden", permission: "money" });
  });

  it("keeps the audit committee from moving money and finance from auditing", async () => {
    expect((await send("POST", "/v1/books/bazhou/payouts", "audit-committee", "*")).status).toBe(403);
    expect((await send("POST", "/v1/books/bazhou/audits/plans", "finance", "*")).status).toBe(403);
    expect((await send("POST", "/v1/books/bazhou/audits/plans", "audit-committee", ["bazhou"])).status).toBe(201);
  });

  it("checks the book from a path-level middleware too", async () => {
    expect((await send("POST", "/v1/books/enyang/audits/plans", "audit-committee", ["bazhou"])).status).toBe(403);
  });

  it('lets a "*" token reach any book', async () => {
    for (const book of ["bazhou", "enyang", "nowhere"]) {
      const response = await send("GET", `/v1/books/${book}/balances`, "auditor", "*");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ book });
    }
  });

  it("lets only the admin create books", async () => {
    expect((await send("POST", "/v1/books", "admin", "*")).status).toBe(201);
    expect((await send("POST", "/v1/books", "finance", "*")).status).toBe(403);
  });

  it("answers 401, not 403, when no principal was set", async () => {
    const response = await app.request("/open/books/bazhou");
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
  });
});
