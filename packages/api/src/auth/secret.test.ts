import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode, verify } from "hono/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { mintToken, resolveJwtSecret } from "./secret.ts";

const temp = mkdtempSync(join(tmpdir(), "relief-ledger-secret-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("resolveJwtSecret", () => {
  it("creates <dataDir>/jwt-secret, owner-only, and returns the same secret next time", () => {
    const dataDir = join(temp, "nested", "data");
    const first = resolveJwtSecret({ env: {}, dataDir });
    const file = join(dataDir, "jwt-secret");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/); // 48 random bytes, base64url
    expect(readFileSync(file, "utf8")).toBe(first);
    expect(resolveJwtSecret({ env: {}, dataDir })).toBe(first);
    expect(resolveJwtSecret({ env: {}, dataDir: join(temp, "elsewhere") })).not.toBe(first);
  });

  it("prefers LEDGER_JWT_SECRET and writes no file", () => {
    const dataDir = join(temp, "env");
    const secret = "x".repeat(32);
    expect(resolveJwtSecret({ env: { LEDGER_JWT_SECRET: secret }, dataDir })).toBe(secret);
    expect(() => statSync(join(dataDir, "jwt-secret"))).toThrow();
  });

  it("refuses a LEDGER_JWT_SECRET shorter than 32 characters", () => {
    for (const short of ["", "x".repeat(31)]) {
      expect(() => resolveJwtSecret({ env: { LEDGER_JWT_SECRET: short }, dataDir: temp })).toThrow(/too short/);
    }
  });
});

describe("mintToken", () => {
  const secret = "y".repeat(40);

  it("signs HS256 claims with iat and exp that hono/jwt verifies", async () => {
    const now = new Date();
    const token = await mintToken({ secret, sub: "wang", role: "finance", books: ["bazhou"], ttlSeconds: 600, now });
    expect(decode(token).header).toEqual({ alg: "HS256", typ: "JWT" });
    const iat = Math.floor(now.getTime() / 1000);
    expect(await verify(token, secret, "HS256")).toEqual({
      sub: "wang",
      role: "finance",
      books: ["bazhou"],
      iat,
      exp: iat + 600,
    });
  });

  it("refuses claims that authenticate would refuse, and a non-positive ttl", async () => {
    await expect(mintToken({ secret, sub: "", role: "finance", books: "*", ttlSeconds: 60 })).rejects.toThrow();
    await expect(
      mintToken({ secret, sub: "a", role: "finance", books: ["Not A Slug"], ttlSeconds: 60 }),
    ).rejects.toThrow();
    await expect(mintToken({ secret, sub: "a", role: "finance", books: "*", ttlSeconds: 0 })).rejects.toThrow(/ttl/);
  });
});
