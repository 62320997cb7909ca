import { join } from "node:path";
import { BookId, Role } from "@relief-ledger/core";
import { UsageError } from "@relief-ledger/store/cli";
import { mintToken, resolveJwtSecret } from "../auth/secret.ts";

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

export type TokenOptions = {
  readonly role?: string | undefined;
  readonly book?: readonly string[] | undefined;
  readonly sub?: string | undefined;
  readonly ttl?: string | undefined;
};

/** Checks the options, mints the token and prints it on stdout; the exit status. */
export async function tokenCommand(values: TokenOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
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
  process.stdout.write(`${await mintToken({ secret, sub, role: role.data, books, ttlSeconds })}\n`);
  return 0;
}
