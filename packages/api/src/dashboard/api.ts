import type { Context } from "hono";

/** What the dashboard needs of the app: to send it a request, as a client would. */
export type Requester = { request(path: string, init?: RequestInit): Response | Promise<Response> };

/** An answer of the JSON API that was not a success, with the problem it sent. */
export class ApiProblem extends Error {
  override name = "ApiProblem";
  readonly status: number;
  readonly problem: { title?: string; detail?: string; type?: string };
  constructor(status: number, problem: { title?: string; detail?: string; type?: string }) {
    super(problem.detail ?? problem.title ?? `the API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export type Api = {
  /** GET a JSON resource of the API as the signed-in user; throws ApiProblem on a 4xx or 5xx. */
  get<T>(path: string): Promise<T>;
};

type Query = Record<string, string | number | undefined>;

/** A path under /v1/books/{book}, its segments and query escaped. */
export function bookPath(book: string, rest = "", query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== "") search.set(key, `${value}`);
  const text = search.toString();
  return `/v1/books/${encodeURIComponent(book)}${rest}${text ? `?${text}` : ""}`;
}

/**
 * The dashboard reads the ledger only through the JSON API, with the user's own token: every
 * figure it shows is one the API would give that token, under the same authentication and book
 * checks, and the only method it can send is GET, so nothing it does can change the ledger.
 */
export function apiFor(app: Requester, c: Context): Api {
  const authorization = c.req.header("authorization") ?? "";
  return {
    async get<T>(path: string): Promise<T> {
      if (!path.startsWith("/v1/")) throw new Error(`the dashboard reads only /v1: ${path}`);
      const response = await app.request(path, {
        method: "GET",
        headers: { authorization, accept: "application/json" },
      });
      const body = (await response.json().catch(() => ({}))) as T & { title?: string; detail?: string };
      if (!response.ok) throw new ApiProblem(response.status, body);
      return body;
    },
  };
}
