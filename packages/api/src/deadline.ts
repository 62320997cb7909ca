import type { Context, Next } from "hono";
import type { AppEnv } from "./env.ts";
import { isExport } from "./exports/index.ts";
import { ProblemError, problemFor } from "./problem.ts";

/** What `deadline` puts on `c.var`: aborted when the request is out of time. */
export type DeadlineVariables = { deadline: AbortSignal };

export type DeadlineOptions = {
  /**
   * How long a read (GET, HEAD) may take to answer (status and headers). 25 s: behind the HTTP API
   * the buffered function stops at 29 s and the gateway gives up at 30 s, so the caller gets this
   * problem, not the gateway's bare 503, and the instance is free again; a local server gets the
   * same bound. A report of the longest range a request may name (core's PERIOD_BOUNDS) folds
   * well within it.
   */
  readonly ms?: number;
  /**
   * How long a write may take to answer. Longer than a read's: a write's work is bounded by its
   * body (1 MB, 5,000 batch lines) rather than by what it asks for, but it may queue behind the
   * book's other appends (group commit), and cutting it short does not recall an append already
   * sent, it only leaves the caller unsure (the problem says to retry with the same
   * Idempotency-Key). 60 s bounds a local server, where nothing else would; in AWS the writer
   * function's own 29 s timeout comes first.
   */
  readonly writeMs?: number;
  /**
   * How long a streamed export may take from the request's arrival to its last byte. Its headers
   * still come within `ms`; after them the stream is paced by the client (a page is read only
   * when the last one was taken) and cannot keep the server busy, but it is not left open for
   * ever either. 280 s: just under the streamed function's 5 minutes (infra/api.ts), so the app,
   * not Lambda's timeout, ends an export that would not finish. Past it the connection is cut
   * mid-body, so that the client sees a failed download, not a short file that looks whole.
   */
  readonly streamMs?: number;
};

export const DEADLINE_MS = 25_000;
export const WRITE_DEADLINE_MS = 60_000;
export const STREAM_DEADLINE_MS = 280_000;

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Responses written after the handler returns: exports, streamed page by page (exports/). */
const isStreamed = isExport;

/**
 * Gives every request a deadline. Past it the answer is a 503 `deadline-exceeded` problem (with
 * Retry-After), whatever the handler is still doing, and `c.var.deadline` is aborted so that long
 * loops (report folds, journal scans) stop at their next step instead of running on unseen. It
 * cannot interrupt synchronous work: loops are bounded by validated input (period.ts) instead.
 */
export const deadline = ({
  ms = DEADLINE_MS,
  writeMs = WRITE_DEADLINE_MS,
  streamMs = STREAM_DEADLINE_MS,
}: DeadlineOptions = {}) =>
  async function deadline(c: Context<AppEnv>, next: Next) {
    const started = Date.now();
    const read = READS.has(c.req.method);
    const controller = new AbortController();
    const expire = (limit: number) => () => {
      const why = `the request did not complete within ${limit / 1000} s and was stopped`;
      const detail = read ? why : `${why}; it may have been recorded: retry with the same Idempotency-Key to learn`;
      controller.abort(new ProblemError(problemFor("deadline-exceeded", detail, { deadlineMs: limit })));
    };
    c.set("deadline", controller.signal);
    const limit = read ? ms : writeMs;
    // Unreferenced: a deadline is never what keeps a process alive.
    let timer = setTimeout(expire(limit), limit).unref();
    try {
      await Promise.race([next(), aborted(controller.signal)]);
    } finally {
      clearTimeout(timer);
    }
    const body = c.res.body;
    if (!body || !isStreamed(c.res)) return;
    const left = Math.max(streamMs - (Date.now() - started), 0);
    timer = setTimeout(expire(streamMs), left).unref();
    c.res = new Response(
      bounded(body, controller.signal, () => clearTimeout(timer)),
      c.res,
    );
  };

/** A promise that rejects with the signal's reason once it aborts, and otherwise never settles. */
const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

/** A body that errors (and cancels its source) when the signal aborts; `done` runs once it ends. */
function bounded(body: ReadableStream<Uint8Array>, signal: AbortSignal, done: () => void) {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal.addEventListener(
        "abort",
        () => {
          controller.error(signal.reason);
          reader.cancel(signal.reason).catch(() => {});
        },
        { once: true },
      );
    },
    async pull(controller) {
      const next = await reader.read().catch((error: unknown) => {
        done();
        throw error;
      });
      if (!next.done) return controller.enqueue(next.value);
      done();
      controller.close();
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}
