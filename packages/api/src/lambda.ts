import { handle } from "hono/aws-lambda";
import { lambdaApp } from "./lambda-app.ts";

/** Behind the HTTP API: a buffered response, at most 6 MB (large exports go to lambda-stream.ts). */
export const handler = handle(lambdaApp());
