import { type ServerType, serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { LedgerConfig } from "./config.ts";
import { createLedger } from "./ledger.ts";

/** Serves the app on a port with Node's HTTP server; resolves once it listens. */
export function startServer(
  config: LedgerConfig,
  port: number,
  hostname = "127.0.0.1",
): Promise<{ server: ServerType; url: string }> {
  const app = createApp(createLedger(config));
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) =>
      resolve({ server, url: `http://${hostname}:${info.port}` }),
    );
    server.once("error", reject);
  });
}
