import http from "node:http";
import type { AddressInfo } from "node:net";
import { startServer } from "@relief-ledger/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";

/**
 * The local server over a real socket, with a keep-alive client: a body refused before it was read
 * (413) closes the connection, so that the client's next request goes out on a fresh one instead
 * of failing on a socket the server drops ("other side closed", seen by the attack run).
 */

let api: Api;
let finance: string;
let server: Awaited<ReturnType<typeof startServer>>["server"];
let port: number;
let base: string;
let book: string;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  const admin = await api.token("admin");
  ({ base, book } = await reliefBook(api, { admin, finance }, "keep-alive", {
    balance: "1000.00",
    program: { id: "winter", name: "送温暖" },
  }));
  ({ server } = await startServer({ journal: api.journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY }, 0));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.close();
  (server as http.Server).closeAllConnections();
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; json: unknown; localPort: number | undefined };
type Upload = { bytes: number; chunk: number; everyMs: number; announceLength: boolean };

/**
 * One request through `agent`. An upload is written `chunk` bytes every `everyMs`, like a client
 * on a slow line; it stops once the answer has come. Any socket error fails the request.
 */
function request(agent: http.Agent, method: string, path: string, upload?: Upload): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${finance}`,
          "content-type": "application/json",
          "idempotency-key": `key-${Math.random()}`,
          ...(upload?.announceLength ? { "content-length": String(upload.bytes) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const localPort = res.socket.localPort;
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: text ? JSON.parse(text) : undefined,
            localPort,
          });
        });
      },
    );
    req.on("error", reject);
    if (!upload) {
      req.end();
      return;
    }
    let sent = 0;
    const write = () => {
      if (req.destroyed || req.writableEnded) return;
      if (sent >= upload.bytes) {
        req.end();
        return;
      }
      const size = Math.min(upload.chunk, upload.bytes - sent);
      sent += size;
      req.write(Buffer.alloc(size, 0x20));
      setTimeout(write, upload.everyMs);
    };
    write();
  });
}

const TWO_MB = 2 * 1024 * 1024;

describe("a 413 on a keep-alive connection", () => {
  it.each([
    ["announced with Content-Length, sent at once", { bytes: TWO_MB, chunk: TWO_MB, everyMs: 0, announceLength: true }],
    [
      "announced with Content-Length, sent slowly",
      { bytes: TWO_MB, chunk: 64 * 1024, everyMs: 5, announceLength: true },
    ],
    ["chunked, sent slowly", { bytes: TWO_MB, chunk: 64 * 1024, everyMs: 5, announceLength: false }],
  ])("closes the connection after refusing a 2 MB body %s, and the next request succeeds", async (_, upload) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await api.journal.head(book);
      const refused = await request(agent, "POST", `${base}/collections`, upload);
      expect(refused.status).toBe(413);
      expect(refused.headers.connection).toBe("close");
      expect(refused.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(refused.json).toMatchObject({ type: "/problems/payload-too-large" });

      const next = await request(agent, "GET", `/v1/books/${book}`);
      expect(next.status).toBe(200);
      expect(next.json).toMatchObject({ id: book, headSeq: before.seq });
      // A fresh connection: the refused one was not reused.
      expect(next.localPort).not.toBe(refused.localPort);
      expect(await api.journal.head(book)).toMatchObject({ seq: before.seq, hash: before.hash });
    } finally {
      agent.destroy();
    }
  });

  it("keeps the connection of an answer that read its whole body", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await request(agent, "GET", `/v1/books/${book}`);
      const refused = await request(agent, "POST", `${base}/collections`, {
        bytes: 2,
        chunk: 2,
        everyMs: 0,
        announceLength: true,
      });
      // Two blanks, read and refused as malformed JSON: the body is all in, the connection stays.
      expect(refused.status).toBe(400);
      expect(refused.headers.connection).toBe("keep-alive");
      const second = await request(agent, "GET", `/v1/books/${book}`);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(new Set([first.localPort, refused.localPort, second.localPort]).size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
