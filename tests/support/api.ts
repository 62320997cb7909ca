import { randomUUID } from "node:crypto";
import { createApp, type Ledger } from "@relief-ledger/api";
import type { Role } from "@relief-ledger/core";
import { type CheckpointReader, createDynamoClient, createLedgerJournal, memoryDataKey } from "@relief-ledger/store";
import { mintToken } from "../../packages/api/src/auth/secret.ts";
import { freshTables } from "./dynamo.ts";

export const JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
export const ID_HASH_KEY = "test-id-hash-key-that-is-long-enough-0123456789";

export type Api = Awaited<ReturnType<typeof startApi>>;

/**
 * The real app over the real journal on DynamoDB Local (fresh tables), driven through
 * `app.request`, with helpers to mint tokens and send JSON.
 */
export async function startApi(
  options: {
    clock?: () => Date;
    checkpoints?: CheckpointReader;
    loading?: Ledger["loading"];
    app?: Parameters<typeof createApp>[1];
  } = {},
) {
  const { client, tables, endpoint } = await freshTables();
  const journal = createLedgerJournal({ client, tables });
  const ledger: Ledger = {
    journal,
    jwtSecret: JWT_SECRET,
    idHashKey: ID_HASH_KEY,
    dataKey: memoryDataKey(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.checkpoints ? { checkpoints: options.checkpoints } : {}),
    ...(options.loading ? { loading: options.loading } : {}),
  };
  const app = createApp(ledger, options.app);

  const token = (role: Role, books: readonly string[] | "*" = "*", sub = `${role}-user`) =>
    mintToken({ secret: JWT_SECRET, sub, role, books, ttlSeconds: 3600 });

  type Send = {
    token?: string;
    body?: unknown;
    key?: string | null;
    headers?: Record<string, string>;
    raw?: string;
    /** Another app instance to send through (see sibling). */
    via?: { request: typeof app.request };
  };
  const send = async (
    method: string,
    path: string,
    { token: bearer, body, key, headers = {}, raw, via }: Send = {},
  ) => {
    const response = await (via ?? app).request(path, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined || raw !== undefined ? { "content-type": "application/json" } : {}),
        ...(key === undefined && method === "POST" ? { "idempotency-key": randomUUID() } : {}),
        ...(typeof key === "string" ? { "idempotency-key": key } : {}),
        ...headers,
      },
      ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    // Decoded keeping a byte-order mark, so that tests can see the one CSV exports start with.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies of many shapes
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  /** A second app over the same tables: another Lambda instance, racing this one (its journal as `options` say). */
  const sibling = (options: Partial<Parameters<typeof createLedgerJournal>[0]> = {}) => {
    const other = createLedgerJournal({ client: createDynamoClient(endpoint), tables, ...options });
    return createApp({ ...ledger, journal: other });
  };
  return { app, journal, client, tables, endpoint, token, send, sibling };
}

/** A valid 18-digit resident ID number (GB 11643 check digit) built from a serial number. */
export function residentId(serial: number, birth = "19700101"): string {
  const body = `511902${birth}${String(serial % 1000).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(body[index]), 0);
  return body + "10X98765432"[sum % 11];
}
