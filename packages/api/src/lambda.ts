import { handle } from "hono/aws-lambda";
import { lambdaApp } from "./lambda-app.ts";

/**
 * Lambda holds a buffered response to 6 MB, counted after base64 (binary) and with its headers:
 * 4 MB of body leaves room for both (an XLSX, binary, goes out as 5.3 MB of base64). A larger
 * export, CSV or XLSX, is answered with a problem that names the streamed export URL
 * (LEDGER_EXPORTS_URL, lambda-stream.ts), instead of failing as a 500.
 */
export const MAX_BUFFERED_BYTES = 4_000_000;

/** Behind the HTTP API: a buffered response (large exports go to lambda-stream.ts). */
export const handler = handle(
  lambdaApp({
    buffered: {
      maxBytes: MAX_BUFFERED_BYTES,
      ...(process.env.LEDGER_EXPORTS_URL ? { exportsUrl: process.env.LEDGER_EXPORTS_URL } : {}),
    },
  }),
);
