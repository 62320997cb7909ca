import { join } from "node:path";
import { parseArgs } from "node:util";
import { BookId, Role } from "@relief-ledger/core";
import { mintToken, resolveJwtSecret } from "../auth/secret.ts";

/**
 * `npm run -s token -- --role finance --book bazhou [--book other | --book '*'] [--sub name]
 * [--ttl 8h|30m|3600]` prints an access token, and only that, on stdout (`-s` keeps npm's own
 * banner off stdout). The key is the local server's: LEDGER_JWT_SECRET or <data dir>/jwt-secret.
 */
class UsageError extends Error {
  override name = "UsageError";
}

const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86_400 };

function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? ""] ?? 1) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new UsageError(`--ttl ${text} is not a duration such as 8h, 30m, 2d or 3600`);
  }
  return seconds;
}

function booksFrom(role: Role, given: readonly string[]): string[] | "*" {
  if (given.length === 0) {
    if (role === "admin") return "*";
    throw new UsageError(`--book is required for role ${role} (a book id, or '*' for every book)`);
  }
  if (given.includes("*")) {
    if (given.length > 1) throw new UsageError("--book '*' already reaches every book; give it alone");
    return "*";
  }
  for (const book of given) {
    if (!BookId.safeParse(book).success) throw new UsageError(`--book ${book} is not a book id`);
  }
  return [...new Set(given)];
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  let values: { role?: string; book?: string[]; sub?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        role: { type: "string" },
        book: { type: "string", multiple: true },
        sub: { type: "string" },
        ttl: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const role = Role.safeParse(values.role);
  if (!role.success) {
    throw new UsageError(
      values.role === undefined
        ? `--role is required (one of ${Role.options.join(", ")})`
        : `unknown role ${values.role} (one of ${Role.options.join(", ")})`,
    );
  }
  const books = booksFrom(role.data, values.book ?? []);
  const sub = values.sub ?? `${role.data}-cli`;
  if (sub.length === 0 || sub.length > 200) throw new UsageError("--sub must be 1 to 200 characters");
  const ttlSeconds = parseTtl(values.ttl ?? "8h");

  const root = join(import.meta.dirname, "../../../..");
  const secret = resolveJwtSecret({ env, dataDir: env.LEDGER_DATA_DIR ?? join(root, ".data") });
  return mintToken({ secret, sub, role: role.data, books, ttlSeconds });
}

main(process.argv.slice(2), process.env).then(
  (token) => {
    process.stdout.write(`${token}\n`);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`token: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
