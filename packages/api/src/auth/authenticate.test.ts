import { Hono } from "hono";
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { ProblemError, sendProblem } from "../problem.ts";
import { authenticate } from "./authenticate.ts";
import type { AuthEnv } from "./env.ts";
import { mintToken } from "./secret.ts";

const SECRET = "test-secret-that-is-long-enough-for-hs256";
const hour = 3600;
const inAnHour = () => Math.floor(Date.now() / 1000) + hour;

const app = new Hono<AuthEnv>();
app.use("*", authenticate({ secret: SECRET }));
app.get("/whoami", (c) => c.json(c.var.principal));
app.onError((error, c) => {
  if (error instanceof ProblemError) return sendProblem(c, error.problem);
  throw error;
});

const call = (authorization?: string) =>
  app.request("/whoami", authorization === undefined ? {} : { headers: { Authorization: authorization } });

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function expectRefused(response: Response, detail: RegExp) {
  expect(response.status).toBe(401);
  expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
  expect(response.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { detail: string };
  expect(problem).toMatchObject({ type: "/problems/unauthorized", title: "Authentication required", status: 401 });
  expect(problem.detail).toMatch(detail);
  return problem;
}

describe("authenticate", () => {
  it("lets a valid HS256 token through and sets the principal", async () => {
    const token = await mintToken({ secret: SECRET, sub: "li", role: "finance", books: ["bazhou"], ttlSeconds: hour });
    const response = await call(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: "li", role: "finance", books: ["bazhou"], exp: expect.any(Number) });
  });

  it("accepts the scheme name in any case", async () => {
    const token = await mintToken({ secret: SECRET, sub: "li", role: "auditor", books: "*", ttlSeconds: hour });
    expect((await call(`bearer ${token}`)).status).toBe(200);
  });

  it("refuses a request without an Authorization header, with WWW-Authenticate: Bearer", async () => {
    await expectRefused(await call(), /Authorization: Bearer/);
  });

  it("refuses another scheme and an empty bearer", async () => {
    await expectRefused(await call("Basic YWRtaW46YWRtaW4="), /must be Bearer/);
    await expectRefused(await call("Bearer "), /must be Bearer/);
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const payload = { sub: "mallory", role: "admin", books: "*", exp: inAnHour() };
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(payload)}.`;
    await expectRefused(await call(`Bearer ${unsigned}`), /HS256/);
  });

  it("refuses a token signed with another algorithm, even with the right key", async () => {
    const token = await sign({ sub: "li", role: "finance", books: "*", exp: inAnHour() }, SECRET, "HS512");
    await expectRefused(await call(`Bearer ${token}`), /HS256/);
  });

  it("refuses a token signed with another key", async () => {
    const token = await mintToken({
      secret: "another-secret-that-is-also-long-enough",
      sub: "li",
      role: "finance",
      books: "*",
      ttlSeconds: hour,
    });
    await expectRefused(await call(`Bearer ${token}`), /signature/);
  });

  it("refuses a token whose payload was edited after signing", async () => {
    const token = await mintToken({ secret: SECRET, sub: "li", role: "auditor", books: ["a"], ttlSeconds: hour });
    const [header, , signature] = token.split(".");
    const forged = `${header}.${base64url({ sub: "li", role: "finance", books: "*", exp: inAnHour() })}.${signature}`;
    await expectRefused(await call(`Bearer ${forged}`), /signature/);
  });

  it("refuses an expired token", async () => {
    const token = await mintToken({
      secret: SECRET,
      sub: "li",
      role: "finance",
      books: "*",
      ttlSeconds: hour,
      now: new Date(Date.now() - 2 * hour * 1000),
    });
    await expectRefused(await call(`Bearer ${token}`), /expired/);
  });

  it("refuses a token without exp", async () => {
    const token = await sign({ sub: "li", role: "finance", books: "*" }, SECRET, "HS256");
    await expectRefused(await call(`Bearer ${token}`), /exp/);
  });

  it("refuses a token whose role is not one of ours", async () => {
    const token = await sign({ sub: "li", role: "root", books: "*", exp: inAnHour() }, SECRET, "HS256");
    await expectRefused(await call(`Bearer ${token}`), /role/);
  });

  it("refuses a token whose books are neither ids nor *", async () => {
    const token = await sign({ sub: "li", role: "finance", books: "all", exp: inAnHour() }, SECRET, "HS256");
    await expectRefused(await call(`Bearer ${token}`), /books/);
  });

  it("refuses malformed tokens without echoing them", async () => {
    for (const token of ["not-a-jwt", "a.b.c", `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(null)}.x`]) {
      const problem = await expectRefused(await call(`Bearer ${token}`), /./);
      expect(problem.detail).not.toContain(token);
    }
  });
});
