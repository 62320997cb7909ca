import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verify } from "hono/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { resolveJwtSecret } from "../auth/secret.ts";

const CLI = join(import.meta.dirname, "token.ts");
const dataDir = mkdtempSync(join(tmpdir(), "relief-ledger-token-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(...args: string[]) {
  const { LEDGER_JWT_SECRET: _ignored, ...env } = process.env;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...env, LEDGER_DATA_DIR: dataDir },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const claimsOf = async (stdout: string) =>
  verify(stdout.trim(), resolveJwtSecret({ env: {}, dataDir }), "HS256") as Promise<Record<string, unknown>>;

describe("npm run token", () => {
  it("prints only a token that verifies with the data dir's secret", async () => {
    const result = run("--role", "finance", "--book", "bazhou", "--book", "enyang", "--sub", "li");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = await claimsOf(result.stdout);
    expect(claims).toMatchObject({ sub: "li", role: "finance", books: ["bazhou", "enyang"] });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(8 * 3600);
  });

  it("defaults sub to <role>-cli and reads --ttl in minutes, hours or seconds", async () => {
    const minutes = await claimsOf(run("--role", "auditor", "--book", "*", "--ttl", "30m").stdout);
    expect(minutes).toMatchObject({ sub: "auditor-cli", books: "*" });
    expect(Number(minutes.exp) - Number(minutes.iat)).toBe(1800);
    const seconds = await claimsOf(run("--role", "system", "--book", "bazhou", "--ttl", "3600").stdout);
    expect(Number(seconds.exp) - Number(seconds.iat)).toBe(3600);
  });

  it('gives an admin every book ("*") when no --book is named', async () => {
    expect(await claimsOf(run("--role", "admin").stdout)).toMatchObject({ role: "admin", books: "*" });
  });

  it("refuses an unknown role, a missing --book and a bad ttl with one line on stderr and exit 2", () => {
    for (const args of [
      ["--role", "root", "--book", "bazhou"],
      ["--role", "finance"],
      ["--role", "finance", "--book", "bazhou", "--ttl", "soon"],
      ["--role", "finance", "--book", "Bad Id"],
      ["--role", "finance", "--book", "bazhou", "--unknown"],
    ]) {
      const result = run(...args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^token: [^\n]+\n$/);
    }
  });
});
