import type { Context, Next } from "hono";
import type { AppEnv } from "./env.ts";
import { isExport } from "./exports/index.ts";
import { problemFor, sendProblem } from "./problem.ts";

/**
 * Middleware for the Lambda entries whose limits the app does not otherwise have: one that may
 * only read (lambda-stream.ts), one whose response is buffered (lambda.ts).
 */

/** The one GET that appends (routes/bank-files.ts): API Gateway sends it to the writer (infra/api.ts). */
export const BANK_FILE_PATH = /^\/v1\/books\/[^/]+\/payout-batches\/[^/]+\/bank-file\/?$/;

/** GET and HEAD only: anything else is a 405 problem before it reaches a route. */
export async function readOnly(c: Context<AppEnv>, next: Next) {
  // A disbursement file is a GET that writes (its download is journalled): the writer serves it.
  if (BANK_FILE_PATH.test(c.req.path)) {
    // Empty: this entry takes no method on it (RFC 9110's Allow).
    c.header("Allow", "");
    return sendProblem(c, problemFor("read-only", "this endpoint only reads; take the bank file from the API"));
  }
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  c.header("Allow", "GET, HEAD");
  return sendProblem(c, problemFor("read-only", `this endpoint only reads; send ${c.req.method} to the API`));
}

export type BufferedLimit = { readonly maxBytes: number; readonly exportsUrl?: string };

/**
 * Holds an export (CSV or XLSX) to `maxBytes`: a larger one becomes an export-too-large problem
 * naming the same path under `exportsUrl` (the streamed entry), instead of failing in Lambda as a
 * bare 500. Other responses pass untouched; an export within the limit is buffered here, as Lambda
 * would anyway.
 */
export const fitBufferedResponse = ({ maxBytes, exportsUrl }: BufferedLimit) =>
  async function fitBufferedResponse(c: Context<AppEnv>, next: Next) {
    await next();
    const body = c.res.body;
    if (!body || !isExport(c.res)) return;
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        await reader.cancel();
        const where = exportsUrl ? new URL(`${c.req.path}${new URL(c.req.url).search}`, exportsUrl).href : undefined;
        const why = `the export is larger than this endpoint can return (${maxBytes} bytes)`;
        // Dropped first, so that none of the export's headers (its Content-Disposition) carry over.
        c.res = undefined;
        c.res = sendProblem(
          c,
          problemFor(
            "export-too-large",
            where
              ? `${why}; fetch it, with the same token, from ${where}`
              : `${why}; narrow it with from/to or filters`,
            where ? { location: where } : {},
          ),
        );
        return;
      }
      chunks.push(value);
    }
    const whole = new Uint8Array(bytes);
    let at = 0;
    for (const chunk of chunks) {
      whole.set(chunk, at);
      at += chunk.byteLength;
    }
    c.res = new Response(whole, c.res);
  };
