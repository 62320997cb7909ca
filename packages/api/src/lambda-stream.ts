import { streamHandle } from "hono/aws-lambda";
import { lambdaApp } from "./lambda-app.ts";

/**
 * Behind a function URL in RESPONSE_STREAM mode: the response is written as the app produces it,
 * so an export (CSV or XLSX) of a whole book is not held in memory and is not cut at Lambda's 6 MB
 * buffered limit (a streamed response may reach 200 MB). `streamHandle` wraps the handler with the Lambda
 * runtime's `awslambda.streamifyResponse`. Reads only: the function's role cannot write.
 */
export const handler = streamHandle(lambdaApp({ readOnly: true }));
