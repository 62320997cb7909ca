import { z } from "@hono/zod-openapi";
import { PROBLEM_BASE, type ProblemCode, problemCatalogue } from "../problem.ts";

/** RFC 9457 problem details; a problem may carry more members (the fund, its balance, …). */
export const Problem = z
  .object({
    type: z
      .string()
      .openapi({ description: "A stable URI ending in the problem's code; /problems/{code} describes it" }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "Each field a validation failure names" }),
    requestId: z.string().optional().openapi({
      description: "The request's id, as in its X-Request-Id response header and on every entry it recorded",
    }),
  })
  .openapi("Problem", { description: "An RFC 9457 problem (application/problem+json)" });

const PROBLEM_REF = "#/components/schemas/Problem";

const REASONS: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  500: "Internal error",
  503: "Service unavailable",
};

/** Headers sendProblem adds to some statuses (problem.ts). */
const HEADERS: Record<number, Record<string, { description: string; schema: { type: "string" | "integer" } }>> = {
  401: { "WWW-Authenticate": { description: "Bearer: the scheme to authenticate with", schema: { type: "string" } } },
  503: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } } },
};

/**
 * The responses an operation's problems make: one per status, from the problem registry
 * (problem.ts), each naming the `type`s that status carries for this operation in its schema
 * (an enum) and its description (with each type's title). An example per type would double the
 * document for what the description already says. A code the registry does not know is an error.
 */
export function problemResponses(codes: Iterable<ProblemCode>) {
  const catalogue = new Map(problemCatalogue().map((entry) => [entry.code, entry]));
  const byStatus = new Map<number, { code: ProblemCode; title: string }[]>();
  for (const code of new Set(codes)) {
    const entry = catalogue.get(code);
    if (!entry) throw new Error(`no problem ${code} in the registry`);
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), entry]);
  }
  const responses: Record<string, object> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const entries = (byStatus.get(status) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    const types = entries.map((entry) => `${PROBLEM_BASE}${entry.code}`);
    responses[String(status)] = {
      description: [
        `${REASONS[status] ?? `Status ${status}`}, as a problem whose \`type\` is one of:`,
        ...entries.map((entry) => `- \`${PROBLEM_BASE}${entry.code}\`: ${entry.title}`),
      ].join("\n"),
      ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
      content: {
        "application/problem+json": {
          schema: { allOf: [{ $ref: PROBLEM_REF }, { type: "object", properties: { type: { enum: types } } }] },
        },
      },
    };
  }
  return responses;
}

/** Whatever else goes wrong: an unexpected failure is a 500 internal problem. */
export const otherProblems = {
  default: {
    description: "Any other problem, such as 500 internal (an unexpected failure)",
    content: { "application/problem+json": { schema: Problem } },
  },
};
