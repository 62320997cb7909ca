import { BookId, IdempotencyKey } from "@relief-ledger/core";
import { type LedgerMetrics, type Logger, METRIC } from "@relief-ledger/store";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv, Ledger } from "./env.ts";
import { chooseRequestId, REQUEST_ID_HEADER } from "./request-id.ts";
import { type Recorded, requestJournal } from "./request-journal.ts";

/** What a request's handling leaves for its log line: set by sendProblem (problem.ts) and onError (app.ts). */
export type ObserveVariables = {
  requestId: string;
  /** The problem code it was answered with, if any. */
  problemCode?: string;
  /** An error nobody expected, answered 500: logged once, with its stack, in the request's line. */
  failure?: unknown;
  /** A payout batch's lines recorded or proposed (routes/batches.ts). */
  batchLines?: number;
};

export type ObserveOptions = { readonly log: Logger; readonly metrics: LedgerMetrics; readonly ledger: Ledger };

/** The first request a process answers is its cold start (a Lambda instance's, or `npm start`'s). */
let coldStart = true;

/**
 * First in the chain, so that every answer, a problem of any middleware included, is counted:
 * picks the request id (the caller's X-Request-Id if sane, else a fresh one) and returns it on the
 * response, hands the routes a journal that seals it into every event the request records
 * (request-journal.ts), and afterwards writes the request's one log line and its metrics.
 *
 * The line holds ids, codes, seqs and timings only: never the path's raw text past the book, a
 * query, a body, a header but the idempotency key, or anything a beneficiary is known by.
 */
export function observe(options: ObserveOptions): MiddlewareHandler<AppEnv> {
  const { log, metrics, ledger } = options;
  return async function observeRequest(c, next) {
    const started = performance.now();
    const requestId = chooseRequestId(c.req.header(REQUEST_ID_HEADER));
    const recorded: Recorded = { appends: 0, seqs: [] };
    const before = contention(ledger);
    c.set("requestId", requestId);
    c.set("ledger", { ...ledger, journal: requestJournal(ledger.journal, requestId, recorded) });
    const cold = coldStart;
    coldStart = false;
    await next();
    c.res.headers.set(REQUEST_ID_HEADER, requestId);

    const status = c.res.status;
    const route = routeOf(c, status);
    const principal = c.get("principal");
    const problem = c.get("problemCode");
    // The process's counters, read around the request: exact in Lambda (one request at a time), an
    // approximation on the local server, where requests overlap.
    const after = contention(ledger);
    const lostRaces = after.lostRaces - before.lostRaces;
    const handovers = after.handedOff - before.handedOff;
    const fields = {
      requestId,
      method: c.req.method,
      route,
      status,
      durationMs: Math.round(performance.now() - started),
      book: bookOf(c.req.path),
      ...(principal ? { sub: principal.sub, role: principal.role } : {}),
      idempotencyKey: keyOf(c.req.header("idempotency-key")),
      ...(problem ? { problem } : {}),
      ...(recorded.seqs.length > 0 ? { seqs: seqRanges(recorded.seqs) } : {}),
      ...(lostRaces > 0 ? { lostRaces } : {}),
      ...(handovers > 0 ? { handovers } : {}),
      ...(c.get("batchLines") ? { batchLines: c.get("batchLines") } : {}),
      coldStart: cold,
    };
    const failure = c.get("failure");
    if (failure !== undefined) log.error({ message: "request failed", ...fields }, asError(failure));
    else if (status >= 500) log.warn({ message: "request", ...fields });
    else log.info({ message: "request", ...fields });

    metrics.count(METRIC.requests, 1, { route, statusClass: `${Math.floor(status / 100)}xx` });
    if (problem) metrics.count(METRIC.refusals, 1, { code: problem });
    // Zeros are left out: most requests append nothing and race nobody.
    const counts = [
      [METRIC.appends, recorded.appends],
      [METRIC.events, recorded.seqs.length],
      [METRIC.lostRaces, lostRaces],
      [METRIC.handovers, handovers],
      [METRIC.batchLines, c.get("batchLines") ?? 0],
    ] as const;
    for (const [name, value] of counts) if (value > 0) metrics.count(name, value);
    metrics.flush();
  };
}

/** The route's template as the docs write it (`/v1/books/{book}/payouts`); `(none)` when no route matched. */
function routeOf(c: Context, status: number): string {
  const path = routePath(c, -1);
  if (status === 404 && path.endsWith("*")) return "(none)";
  return path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");
}

/** The book a path names, if it is a book id at all (a path may hold anything a caller typed). */
function bookOf(path: string): string | undefined {
  const match = /^\/v1\/books\/([^/]+)/.exec(path);
  return match && BookId.safeParse(match[1]).success ? match[1] : undefined;
}

const keyOf = (key: string | undefined) =>
  key !== undefined && IdempotencyKey.safeParse(key).success ? key : undefined;

/** Seqs as runs, `"12-4811"` for a batch of 4,800 rather than 4,800 numbers; a single seq stays a number. */
export function seqRanges(seqs: readonly number[]): (number | string)[] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const runs: (number | string)[] = [];
  let start = sorted[0];
  for (let index = 0; index < sorted.length; index++) {
    const seq = sorted[index] as number;
    const next = sorted[index + 1];
    if (next === seq + 1) continue;
    runs.push(start === seq ? seq : `${start}-${seq}`);
    start = next;
  }
  return runs;
}

/** A journal's lost races and handovers so far (none for a stand-in journal without counters). */
const contention = (ledger: Ledger) => {
  const stats = ledger.journal.stats as Ledger["journal"]["stats"] | undefined;
  return { lostRaces: stats?.lostRaces ?? 0, handedOff: stats?.handedOff ?? 0 };
};

const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
