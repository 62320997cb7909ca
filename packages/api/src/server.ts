import { type ServerType, serve } from "@hono/node-server";
import { type AppOptions, createApp } from "./app.ts";
import { closeIfAnsweredEarly } from "./early-answer.ts";
import type { Ledger } from "./env.ts";

/** Serves the app on a port with Node's HTTP server; resolves once it listens. */
export function startServer(
  ledger: Ledger,
  port: number,
  hostname = "127.0.0.1",
  options: AppOptions = {},
): Promise<{ server: ServerType; url: string }> {
  const app = createApp(ledger, options);
  const fetch: Parameters<typeof serve>[0]["fetch"] = async (request, bindings) =>
    closeIfAnsweredEarly(await app.fetch(request, bindings), bindings);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info) =>
      resolve({ server, url: `http://${hostname}:${info.port}` }),
    );
    server.once("error", reject);
  });
}
