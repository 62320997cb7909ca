import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createApp } from "@relief-ledger/api";
import type { Actor, Command } from "@relief-ledger/core";
import {
  createDynamoClient,
  createLedgerJournal,
  type LedgerJournal,
  ledgerAppend,
  type TableNames,
} from "@relief-ledger/store";
import { mintToken } from "../../packages/api/src/auth/secret.ts";
import { type Tap, tappedClient } from "./dynamo.ts";

export const JWT_SECRET = "bench-jwt-secret-that-is-long-enough-0123456789";
export const ID_HASH_KEY = "bench-id-hash-key-that-is-long-enough-0123456789";

/** "Today" for every benchmark: early 2011, so that all of 2010 may be paid and closed. */
export const BENCH_CLOCK = (): Date => new Date("2011-01-10T09:00:00+08:00");

const ADMIN: Actor = { sub: "bench-admin", role: "admin" };
const FINANCE: Actor = { sub: "bench-finance", role: "finance" };

export type Reply = { status: number; json: Record<string, unknown> };

/**
 * One app instance over the tables, as one Lambda instance would have: its own DynamoDB client
 * (tapped), its own journal with its own per-book writer and cached head. Requests go through
 * `app.request`: the whole Hono stack (auth, validation, routes) without a socket.
 */
export type Rig = {
  readonly client: DynamoDBClient;
  readonly tap: Tap;
  readonly journal: LedgerJournal;
  send(method: string, path: string, options?: { body?: unknown; key?: string; as?: BenchRole }): Promise<Reply>;
};

/** Who the bench sends as: each role its own token subject, so an approver is never the proposer. */
type BenchRole = "finance" | "auditor" | "approver";

const tokens = new Map<string, Promise<string>>();
export const token = (role: BenchRole) => {
  let minted = tokens.get(role);
  if (!minted) {
    minted = mintToken({ secret: JWT_SECRET, sub: `bench-${role}`, role, books: "*", ttlSeconds: 24 * 3600 });
    tokens.set(role, minted);
  }
  return minted;
};

export function createRig(endpoint: string, tables: TableNames, shared?: { client: DynamoDBClient; tap: Tap }): Rig {
  const { client, tap } = shared ?? tappedClient(endpoint);
  const journal = createLedgerJournal({ client, tables, clock: BENCH_CLOCK });
  const app = createApp({ journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY, clock: BENCH_CLOCK });
  return {
    client,
    tap,
    journal,
    async send(method, path, { body, key, as = "finance" } = {}) {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const response = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${await token(as)}`,
          // As every HTTP client and hono's Lambda adapter do: without it the body limit has to count the stream.
          ...(text === undefined
            ? {}
            : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }),
          ...(key ? { "idempotency-key": key } : {}),
        },
        ...(text === undefined ? {} : { body: text }),
      });
      const answer = await response.text();
      return { status: response.status, json: answer ? (JSON.parse(answer) as Record<string, unknown>) : {} };
    },
  };
}

/**
 * A plain client, no tap, and no wait for DynamoDB Local's commit after a transaction
 * (store/src/local-commit.ts): what the floors send from, the bare requests.
 */
export const bareClient = (endpoint: string): DynamoDBClient => createDynamoClient(endpoint, { awaitCommits: false });

const beneficiaryId = (n: number) => `hh-${String(n).padStart(5, "0")}`;

/** A pool of beneficiary ids, the same in every book. */
export const beneficiaries = (count: number): string[] => Array.from({ length: count }, (_, n) => beneficiaryId(n));

async function append(journal: LedgerJournal, book: string, key: string, actor: Actor, command: Command) {
  const result = await journal.append(
    book,
    ledgerAppend(book, command, { idempotencyKey: key, actor, clock: BENCH_CLOCK }),
  );
  if (!result.ok)
    throw new Error(`setup of ${book} (${key}) was refused: ${result.error.code}: ${result.error.message}`);
}

/**
 * A book to pay from, set up through the journal (setup is not measured): one relief fund with
 * `balance` yuan in it, a winter relief programme without caps, and `households` registered
 * households. Registrations go many at a time, so group commit packs them. With `approvals`, the
 * programme is opened under that approval policy, and its payouts are proposals.
 */
export async function setUpBook(
  journal: LedgerJournal,
  book: string,
  options: { balance: string; households: number; approvals?: { over: string; levels: number }[] },
): Promise<string[]> {
  const on = "2010-01-01";
  await append(journal, book, "open-book", ADMIN, {
    type: "open-book",
    name: "巴州区总工会",
    currency: "CNY",
    timeZone: "Asia/Shanghai",
    on,
  });
  await append(journal, book, "fund", FINANCE, {
    type: "open-fund",
    fundId: "relief",
    name: "帮扶资金",
    restricted: true,
    on,
  });
  await append(journal, book, "collection", FINANCE, {
    type: "record-collection",
    fundId: "relief",
    source: "upper-subsidy",
    amount: options.balance,
    receivedOn: on,
  });
  await append(journal, book, "program", FINANCE, {
    type: "open-program",
    programId: "winter",
    name: "2010年送温暖",
    fundId: "relief",
    requiresHardshipFile: false,
    ...(options.approvals ? { approvals: options.approvals } : {}),
    on,
  });
  const ids = beneficiaries(options.households);
  const inFlight = new Set<Promise<void>>();
  for (const [n, id] of ids.entries()) {
    const done: Promise<void> = append(journal, book, `register-${id}`, FINANCE, {
      type: "register-beneficiary",
      beneficiaryId: id,
      kind: "household",
      name: `困难户${n}`,
      on,
    }).finally(() => inFlight.delete(done));
    inFlight.add(done);
    if (inFlight.size >= 256) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return ids;
}

/** The lines of a relief batch: households in turn, 700 to 900 yuan each. */
export const batchLines = (ids: readonly string[], count: number, offset = 0) =>
  Array.from({ length: count }, (_, n) => ({
    beneficiaryId: ids[(offset + n) % ids.length] as string,
    amount: ["700.00", "800.00", "900.00"][n % 3] as string,
  }));

/** Posts one payout batch through the app and insists every line was recorded. */
export async function postBatch(rig: Rig, book: string, body: { paidOn: string; lines: unknown[]; key: string }) {
  const reply = await rig.send("POST", `/v1/books/${book}/payout-batches`, {
    key: body.key,
    body: { programId: "winter", paidOn: body.paidOn, method: "cash", lines: body.lines },
  });
  if (reply.status !== 201 || reply.json.refused !== 0) {
    throw new Error(`batch ${body.key} of ${book}: ${reply.status} ${JSON.stringify(reply.json).slice(0, 300)}`);
  }
  return reply.json;
}

/** Lines whose batch (each chunk of 48 adds a summary event) makes at least `events` events. */
const linesFor = (events: number) => {
  let lines = Math.max(1, Math.floor((events * 48) / 49));
  while (lines + Math.ceil(lines / 48) < events) lines += 1;
  return lines;
};

/**
 * Fills a month with at least `events` events through the real path: payout batches of up to
 * 5,000 lines POSTed to the app, one after another. Returns the month's seq range and count.
 */
export async function fillMonth(rig: Rig, book: string, ids: readonly string[], period: string, events: number) {
  const count = async () => (await rig.journal.head(book)).state.openMonths?.[period]?.count ?? 0;
  for (let n = 0, have = await count(); have < events; n++, have = await count()) {
    const lines = Math.min(5000, linesFor(events - have));
    await postBatch(rig, book, {
      paidOn: `${period}-20`,
      lines: batchLines(ids, lines, n * 5000),
      key: `${period}-${n}`,
    });
  }
  const month = (await rig.journal.head(book)).state.openMonths?.[period];
  if (!month) throw new Error(`${book} has no events in ${period}`);
  return month;
}
