import type { Context } from "hono";
import type { AppEnv } from "./env.ts";

/** An uptime check waits this long for the tables; past it the answer is 503, not a hung probe. */
export const HEALTH_TIMEOUT_MS = 3_000;

/** No book can have this id (a book id starts with a letter or a digit): the probe reads nothing real. */
const PROBE_BOOK = "~health";

/**
 * `GET /health`, without a token, for uptime checks: 200 when both tables answer a read (the
 * state table a BatchGetItem, the journal a Query: what every function's role may do), 503
 * otherwise. It says which table failed, never why (an SDK error may name the account or role).
 */
export async function health(c: Context<AppEnv>) {
  const { journal } = c.var.ledger;
  const probe = async (read: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([read(), late]);
      return "ok" as const;
    } catch {
      return "unavailable" as const;
    } finally {
      clearTimeout(timer);
    }
  };
  const [state, journalTable] = await Promise.all([
    probe(() => journal.entity(PROBE_BOOK, "beneficiary/probe")),
    probe(() => journal.entry(PROBE_BOOK, 1)),
  ]);
  const ok = state === "ok" && journalTable === "ok";
  c.header("Cache-Control", "no-store");
  // For the request's log line and the Refusals metric: the uptime check's failure has a code too.
  if (!ok) c.set("problemCode", "database-unavailable");
  return c.json({ ok, tables: { journal: journalTable, state } }, ok ? 200 : 503);
}
