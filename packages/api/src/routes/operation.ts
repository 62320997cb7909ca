import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { type CommandType, refusalsOf } from "@relief-ledger/core";
import { APPEND_REFUSALS } from "@relief-ledger/store";
import { otherProblems, problemResponses } from "../openapi/problem-responses.ts";
import type { Tag } from "../openapi/tags.ts";
import type { ProblemCode } from "../problem.ts";
import { IdempotencyHeaders } from "./common.ts";

/** What an operation may be refused with beyond what its shape says (see problemsOf). */
export type Refusals = {
  /** The commands the handler appends: core lists what decide may refuse each with (COMMAND_REFUSALS). */
  readonly commands?: readonly CommandType[];
  /** The problems the handler raises itself, such as a read's book-not-found. */
  readonly raises?: readonly ProblemCode[];
  /** False for a route that reads no table (the checkpoints' public key). */
  readonly database?: boolean;
};

type Operation = Omit<RouteConfig, "path"> & { readonly operationId: string; readonly tags: [Tag] };

const offersCsv = (route: RouteConfig) =>
  Object.values(route.responses).some((response) => "content" in response && response.content?.["text/csv"]);

/**
 * Every problem an operation may answer: what any route of its shape meets in the app's middleware
 * (app.ts: the deadline, authentication, validation, the body's limit and media type), what the
 * commands it appends may be refused with (by decide and by the journal), and what it raises itself.
 */
export function problemsOf(route: RouteConfig, refusals: Refusals = {}): ProblemCode[] {
  const { request } = route;
  const codes: ProblemCode[] = ["deadline-exceeded"];
  if (refusals.database !== false) codes.push("database-unavailable");
  if (route.security?.length) codes.push("unauthorized", "forbidden");
  if (request?.params || request?.query || request?.headers || request?.body) codes.push("validation-failed");
  // requireJson and the body limit hold every POST under /v1, with a body schema or not.
  if (route.method === "post") codes.push("payload-too-large", "unsupported-media-type");
  if (request?.body) codes.push("malformed-json");
  if (request?.headers === IdempotencyHeaders) codes.push("idempotency-key-required");
  // Behind a buffered Lambda (lambda.ts) a CSV past its limit is refused, naming the streamed URL.
  if (offersCsv(route)) codes.push("export-too-large");
  for (const type of refusals.commands ?? []) codes.push(...refusalsOf(type), ...APPEND_REFUSALS);
  codes.push(...(refusals.raises ?? []));
  return codes;
}

/**
 * A route with its problems documented: createRoute, with a response per status the operation
 * may answer with a problem (problem-responses.ts) and a default for anything else.
 */
export const operation = <P extends string, R extends Operation & { path: P }>(route: R, refusals: Refusals = {}) =>
  createRoute({
    ...route,
    responses: { ...route.responses, ...problemResponses(problemsOf(route, refusals)), ...otherProblems },
  } as R);
