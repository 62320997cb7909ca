import { Writable } from "node:stream";
import { createApp } from "@relief-ledger/api";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";

/**
 * The streamed Lambda entry (packages/api/src/lambda-stream.ts), as a function URL in
 * RESPONSE_STREAM mode runs it. What the Lambda runtime provides is played by a stand-in of its
 * documented protocol: `awslambda.streamifyResponse` hands the handler a writable stream, and
 * `HttpResponseStream.from` writes the response's metadata (JSON), eight NUL bytes, then the body.
 * Everything else is real: the entry reads its configuration from the environment and its
 * tables on DynamoDB Local.
 */

type Handler = (event: unknown, stream: Writable, context: unknown) => Promise<void>;

/** What reached the client: the metadata, and the body as the writes that carried it. */
type Streamed = { status: number; headers: Record<string, string>; writes: Buffer[]; bytes: Buffer; body: string };

const DELIMITER = Buffer.alloc(8);

function installRuntimeStandIn() {
  Object.assign(globalThis, {
    awslambda: {
      streamifyResponse: (handler: Handler) => handler,
      HttpResponseStream: {
        from(stream: Writable, metadata: unknown) {
          stream.write(JSON.stringify(metadata));
          stream.write(DELIMITER);
          return stream;
        },
      },
    },
  });
}

async function invoke(handler: Handler, event: unknown): Promise<Streamed> {
  const writes: Buffer[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      writes.push(Buffer.from(chunk));
      done();
    },
  });
  // hono's streamHandle ends the stream after its pipeline has: a second end is not a failure here.
  sink.on("error", () => {});
  await handler(event, sink, {});
  const all = Buffer.concat(writes);
  const split = all.indexOf(DELIMITER);
  const metadata = JSON.parse(all.subarray(0, split).toString("utf8")) as {
    statusCode: number;
    headers: Record<string, string>;
  };
  // The body's writes: everything after the metadata and its delimiter.
  const bodyWrites = writes.slice(writes.findIndex((write) => write.equals(DELIMITER)) + 1);
  const bytes = Buffer.concat(bodyWrites);
  return {
    status: metadata.statusCode,
    headers: metadata.headers,
    writes: bodyWrites,
    bytes,
    body: bytes.toString("utf8"),
  };
}

/** A function URL request (payload format 2.0). */
function urlEvent(method: string, path: string, query: string, headers: Record<string, string>, body?: string) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    headers: { host: "export.lambda-url.ap-east-1.on.aws", ...headers },
    requestContext: {
      domainName: "export.lambda-url.ap-east-1.on.aws",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "203.0.113.9", userAgent: "test" },
      requestId: "test",
      routeKey: "$default",
      stage: "$default",
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

let api: Api;
let handler: Handler;
let auditor: string;
let finance: string;
const HOUSEHOLDS = 1_200;

beforeAll(async () => {
  api = await startApi();
  Object.assign(process.env, {
    LEDGER_JOURNAL_TABLE: api.tables.journal,
    LEDGER_STATE_TABLE: api.tables.state,
    LEDGER_DYNAMODB_ENDPOINT: api.endpoint,
    LEDGER_JWT_SECRET: JWT_SECRET,
    LEDGER_ID_HASH_KEY: ID_HASH_KEY,
  });
  installRuntimeStandIn();
  ({ handler } = (await import("../packages/api/src/lambda-stream.ts")) as unknown as { handler: Handler });
  auditor = await api.token("auditor");
  finance = await api.token("finance");
  const admin = await api.token("admin");
  // 1,200 registrations and their setup: more than two of the export's 500-entry pages.
  await reliefBook(api, { admin, finance }, "streamed", {
    balance: "1000.00",
    households: HOUSEHOLDS,
    program: { id: "winter", name: "2010年送温暖" },
  });
});

describe("the streamed export entry", () => {
  it("streams a whole book's CSV page by page, not as one buffered body", async () => {
    const answer = await invoke(
      handler,
      urlEvent("GET", "/v1/books/streamed/entries", "format=csv", { authorization: `Bearer ${auditor}` }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = answer.body
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    const head = await api.journal.head("streamed");
    // A header line, then one line per entry of the book.
    expect(lines).toHaveLength(1 + head.seq);
    expect(lines.filter((line) => line.includes("BeneficiaryRegistered"))).toHaveLength(HOUSEHOLDS);
    // The header, then one write per page of 500 entries: it left as it was read.
    expect(answer.writes.length).toBeGreaterThanOrEqual(1 + Math.ceil(head.seq / 500));
    expect(Math.max(...answer.writes.map((write) => write.length))).toBeLessThan(Buffer.byteLength(answer.body) / 2);
  });

  it("streams a whole book's XLSX as it is written: a sheet with a row per entry", async () => {
    const answer = await invoke(
      handler,
      urlEvent("GET", "/v1/books/streamed/entries", "format=xlsx&lang=zh", { authorization: `Bearer ${auditor}` }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const head = await api.journal.head("streamed");
    expect(sheet.name).toBe("日记账");
    expect(sheet.rowCount).toBe(1 + head.seq);
    expect(sheet.getCell(`A${1 + head.seq}`).value).toBe(head.seq);
    // Many writes, none near the whole: the zip left as it was written.
    expect(answer.writes.length).toBeGreaterThan(3);
    expect(Math.max(...answer.writes.map((write) => write.length))).toBeLessThan(answer.bytes.length / 2);
  });

  it("refuses anything but a read with a 405 problem, and writes nothing", async () => {
    const before = (await api.journal.head("streamed")).seq;
    const body = JSON.stringify({ id: "late", kind: "household", name: "困难户" });
    const answer = await invoke(
      handler,
      urlEvent(
        "POST",
        "/v1/books/streamed/beneficiaries",
        "",
        {
          authorization: `Bearer ${finance}`,
          "content-type": "application/json",
          "idempotency-key": "streamed-write",
        },
        body,
      ),
    );
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD");
    expect(JSON.parse(answer.body)).toMatchObject({ type: "/problems/read-only", status: 405 });
    expect((await api.journal.head("streamed")).seq).toBe(before);
  });

  it("checks the token as the buffered API does", async () => {
    const answer = await invoke(handler, urlEvent("GET", "/v1/books/streamed/entries", "format=csv", {}));
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toMatch(/^Bearer/);
  });
});

describe("a buffered endpoint's export limit", () => {
  const exportsUrl = "https://exports.example/";
  const get = (maxBytes: number, path: string) =>
    createApp(
      { journal: api.journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY },
      { buffered: { maxBytes, exportsUrl } },
    ).request(path, { headers: { authorization: `Bearer ${auditor}` } });

  it("answers an export past the limit with a problem naming the streamed URL, not a cut or failed body", async () => {
    const response = await get(50_000, "/v1/books/streamed/entries?format=csv");
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(response.headers.get("content-disposition")).toBeNull();
    expect(await response.json()).toMatchObject({
      type: "/problems/export-too-large",
      location: "https://exports.example/v1/books/streamed/entries?format=csv",
    });
  });

  it("answers an XLSX past the limit with the same problem", async () => {
    const response = await get(20_000, "/v1/books/streamed/entries?format=xlsx");
    expect(response.status).toBe(422);
    expect(response.headers.get("content-disposition")).toBeNull();
    expect(await response.json()).toMatchObject({
      type: "/problems/export-too-large",
      location: "https://exports.example/v1/books/streamed/entries?format=xlsx",
    });
  });

  it("passes an export within the limit through whole, and leaves JSON alone", async () => {
    const plain = await api.send("GET", "/v1/books/streamed/entries?format=csv", { token: auditor });
    const within = await get(10_000_000, "/v1/books/streamed/entries?format=csv");
    expect(within.status).toBe(200);
    expect(within.headers.get("content-disposition")).toMatch(/attachment/);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await within.arrayBuffer())).toBe(plain.text);
    const json = await get(100, "/v1/books/streamed/entries?limit=5");
    expect(json.status).toBe(200);
    expect(((await json.json()) as { entries: unknown[] }).entries).toHaveLength(5);
  });
});
