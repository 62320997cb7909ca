import { localDate, Role } from "@relief-ledger/core";
import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "../packages/api/src/auth/secret.ts";
import { type Api, JWT_SECRET, startApi } from "./support/api.ts";

/**
 * Who may do what, over HTTP against the real app and DynamoDB Local. The routes come from the
 * app's own /openapi.json, so a route added later is in the matrix without touching this file.
 */

/** The permissions each role holds, as DESIGN.md "Who uses it" promises them. */
const GRANTS: Record<Role, readonly string[]> = {
  admin: ["book:create", "policy", "read"],
  finance: ["read", "registry", "money", "rectify", "close"],
  approver: ["read", "approve"],
  "audit-committee": ["read", "audit"],
  auditor: ["read"],
  system: ["read", "rollup"],
};
const PERMISSIONS = new Set(Object.values(GRANTS).flat());
const ROLES = Role.options;

const BOOK = "matrix-book"; // A: the book the tokens name
const OTHER = "other-book"; // B: exists, but the scoped tokens do not name it
const GHOST = "ghost-book"; // C: never created

/** Plausible values for path parameters; `book` is filled per request. */
const SAMPLE_PARAMS: Record<string, string> = {
  seq: "1",
  id: "x",
  fund: "general",
  program: "p",
  period: "2010-01",
  year: "2010",
  proposalId: "1",
};
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Operation = { method: string; path: string; permission: string | undefined; label: string };
type Reply = Awaited<ReturnType<Api["send"]>>;

const fill = (path: string, book: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => (name === "book" ? book : (SAMPLE_PARAMS[name] ?? "x")));
const bodyFor = (op: Operation) => (op.method === "POST" || op.method === "PUT" ? {} : undefined);
const isProblem = (reply: Reply) => /^application\/problem\+json/.test(reply.headers.get("content-type") ?? "");
const isForbidden = (reply: Reply) =>
  reply.status === 403 && isProblem(reply) && reply.json?.type === "/problems/forbidden" && reply.json?.status === 403;
const describeReply = (reply: Reply) =>
  `${reply.status} ${reply.headers.get("content-type")} ${reply.text.slice(0, 160)}`;

const hour = 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
// Dated today: the books open today, and nothing may be dated before a book opens.
const collection = {
  fundId: "general",
  source: "dues",
  amount: "100.00",
  receivedOn: localDate("Asia/Shanghai", new Date()),
};

let api: Api;
let operations: Operation[];
const publicOperations: string[] = [];
/** One token per role, naming only BOOK. */
const scoped = {} as Record<Role, string>;
let admin: string;
let setupFinance: string;

const head = async (book: string) => {
  const { seq, hash } = await api.journal.head(book);
  return { seq, hash };
};

beforeAll(async () => {
  api = await startApi();
  admin = await api.token("admin", "*", "admin-setup-01");
  setupFinance = await api.token("finance", [BOOK], "finance-setup-01");
  for (const role of ROLES) scoped[role] = await api.token(role, [BOOK]);

  for (const id of [BOOK, OTHER]) {
    const opened = await api.send("POST", "/v1/books", {
      token: admin,
      body: { id, name: `${id} union`, currency: "CNY" },
    });
    expect(opened.status, opened.text).toBe(201);
  }
  const fund = await api.send("POST", `/v1/books/${BOOK}/funds`, {
    token: setupFinance,
    body: { id: "general", name: "经费", restricted: false },
  });
  expect(fund.status, fund.text).toBe(201);
  const otherFinance = await api.token("finance", [OTHER]);
  const otherFund = await api.send("POST", `/v1/books/${OTHER}/funds`, {
    token: otherFinance,
    body: { id: "general", name: "经费", restricted: false },
  });
  expect(otherFund.status, otherFund.text).toBe(201);
  const otherMoney = await api.send("POST", `/v1/books/${OTHER}/collections`, {
    token: otherFinance,
    body: collection,
  });
  expect(otherMoney.status, otherMoney.text).toBe(201);

  const document = await api.send("GET", "/openapi.json");
  expect(document.status).toBe(200);
  operations = [];
  for (const [path, item] of Object.entries(document.json.paths as Record<string, Record<string, unknown>>)) {
    if (!path.startsWith("/v1/") && path !== "/v1") continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const permission = (operation as { "x-permission"?: string })["x-permission"];
      const upper = method.toUpperCase();
      // An operation that declares no security at all (`security: []`) is public: listed apart.
      const security = (operation as { security?: unknown[] }).security;
      if (Array.isArray(security) && security.length === 0) publicOperations.push(`${upper} ${path}`);
      else operations.push({ method: upper, path, permission, label: `${upper} ${path}` });
    }
  }
});

const withBook = () => operations.filter((op) => op.path.includes("{book}"));

describe("the role × route matrix, enumerated from /openapi.json", () => {
  it("finds a known permission on every /v1 operation, the routes we know among them", () => {
    expect(operations.length).toBeGreaterThan(0);
    const labels = operations.map((op) => op.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        "POST /v1/books",
        "GET /v1/books/{book}",
        "POST /v1/books/{book}/payouts",
        "POST /v1/books/{book}/collections",
        "GET /v1/books/{book}/entries/{seq}",
        "GET /v1/books/{book}/approvals",
        "POST /v1/books/{book}/approvals/{proposalId}/approve",
        "PUT /v1/books/{book}/approval-policy",
        "POST /v1/books/{book}/periods/{period}/close",
        "PUT /v1/books/{book}/close-policy",
        "POST /v1/books/{book}/opening-balances",
      ]),
    );
    const permissionOf = (label: string) => operations.find((op) => op.label === label)?.permission;
    expect(permissionOf("POST /v1/books/{book}/approvals/{proposalId}/approve")).toBe("approve");
    expect(permissionOf("POST /v1/books/{book}/approvals/{proposalId}/reject")).toBe("approve");
    expect(permissionOf("POST /v1/books/{book}/approvals/{proposalId}/withdraw")).toBe("money");
    expect(permissionOf("PUT /v1/books/{book}/programs/{program}/approval-policy")).toBe("policy");
    expect(permissionOf("POST /v1/books/{book}/periods/{period}/close")).toBe("close");
    expect(permissionOf("PUT /v1/books/{book}/close-policy")).toBe("policy");
    expect(permissionOf("POST /v1/books/{book}/opening-balances")).toBe("money");
    expect(operations.filter((op) => op.permission === undefined).map((op) => op.label)).toEqual([]);
    // The one route any caller may read: the checkpoints' public key, and it needs no token.
    expect(publicOperations).toEqual(["GET /v1/checkpoint-key"]);
    expect(operations.filter((op) => !PERMISSIONS.has(op.permission ?? "")).map((op) => op.label)).toEqual([]);
  });

  it("refuses every role that lacks a route's permission with a 403 problem, and writes nothing", async () => {
    const before = await head(BOOK);
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      for (const role of ROLES) {
        if (op.permission !== undefined && GRANTS[role].includes(op.permission)) continue;
        checked++;
        const reply = await api.send(op.method, fill(op.path, BOOK), { token: scoped[role], body: bodyFor(op) });
        if (!isForbidden(reply) || reply.json.permission !== op.permission) {
          failures.push(`${role} ${op.label}: ${describeReply(reply)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    expect(await head(BOOK)).toEqual(before);
    expect((await head(GHOST)).seq).toBe(0);
  });

  it("lets every role that holds a route's permission past the guard (never 401, 403 or 5xx)", async () => {
    const before = await head(BOOK);
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      for (const role of ROLES) {
        if (op.permission === undefined || !GRANTS[role].includes(op.permission)) continue;
        checked++;
        const reply = await api.send(op.method, fill(op.path, BOOK), { token: scoped[role], body: bodyFor(op) });
        if ([401, 403].includes(reply.status) || reply.status >= 500) {
          failures.push(`${role} ${op.label}: ${describeReply(reply)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    // Every POST carried `{}`, which no write accepts: bad input writes nothing either.
    expect(await head(BOOK)).toEqual(before);
  });
});

describe("auditors only read", () => {
  it("refuses an auditor every write route, even with a valid body", async () => {
    const before = await head(BOOK);
    const writes = operations.filter((op) => op.method !== "GET" && op.method !== "HEAD");
    expect(writes.map((op) => op.label)).toContain("POST /v1/books/{book}/payouts");
    for (const op of writes) {
      const reply = await api.send(op.method, fill(op.path, BOOK), { token: scoped.auditor, body: {} });
      expect(isForbidden(reply), `${op.label}: ${describeReply(reply)}`).toBe(true);
    }
    const valid = await api.send("POST", `/v1/books/${BOOK}/collections`, { token: scoped.auditor, body: collection });
    expect(isForbidden(valid), describeReply(valid)).toBe(true);
    expect(await head(BOOK)).toEqual(before);
  });

  it("answers an auditor's every read of its book with 200 or a 404 problem", async () => {
    // A GET that needs more than reading (the disbursement file, which carries account numbers
    // and journals its download) is held to its permission by the role × route matrix above.
    const reads = operations.filter((op) => op.method === "GET" && op.permission === "read");
    expect(reads.length).toBeGreaterThan(0);
    const ok: string[] = [];
    for (const op of reads) {
      const reply = await api.send("GET", fill(op.path, BOOK), { token: scoped.auditor });
      const acceptable = reply.status === 200 || (reply.status === 404 && isProblem(reply));
      expect(acceptable, `${op.label}: ${describeReply(reply)}`).toBe(true);
      if (reply.status === 200) ok.push(op.label);
    }
    expect(ok).toEqual(expect.arrayContaining(["GET /v1/books/{book}", "GET /v1/books/{book}/funds/{fund}"]));
  });
});

describe("a token never reaches a book it does not name", () => {
  /** The reply with the book's id masked, so that replies about two books can be compared. */
  // Each answer has its own request id: everything else must be the same.
  const masked = (reply: Reply, book: string) => ({
    status: reply.status,
    contentType: reply.headers.get("content-type"),
    body: { ...JSON.parse(reply.text.replaceAll(book, "{book}")), requestId: "{requestId}" },
  });

  it("refuses a finance token for book A on every route of book B, without saying whether B exists", async () => {
    const before = await head(OTHER);
    const ops = withBook();
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      const existing = await api.send(op.method, fill(op.path, OTHER), { token: scoped.finance, body: bodyFor(op) });
      const missing = await api.send(op.method, fill(op.path, GHOST), { token: scoped.finance, body: bodyFor(op) });
      expect(isForbidden(existing), `${op.label} on ${OTHER}: ${describeReply(existing)}`).toBe(true);
      expect(isForbidden(missing), `${op.label} on ${GHOST}: ${describeReply(missing)}`).toBe(true);
      expect(masked(existing, OTHER), op.label).toEqual(masked(missing, GHOST));
    }
    expect(await head(OTHER)).toEqual(before);
    expect((await head(GHOST)).seq).toBe(0);
  });

  it("refuses a valid write to another book and leaves that book untouched", async () => {
    const before = await head(OTHER);
    const reply = await api.send("POST", `/v1/books/${OTHER}/collections`, { token: scoped.finance, body: collection });
    expect(isForbidden(reply), describeReply(reply)).toBe(true);
    expect(reply.json.book).toBe(OTHER);
    expect(await head(OTHER)).toEqual(before);
  });

  it("holds for every role, whatever its permissions", async () => {
    for (const role of ROLES) {
      for (const op of withBook()) {
        const existing = await api.send(op.method, fill(op.path, OTHER), { token: scoped[role], body: bodyFor(op) });
        const missing = await api.send(op.method, fill(op.path, GHOST), { token: scoped[role], body: bodyFor(op) });
        expect(isForbidden(existing), `${role} ${op.label}: ${describeReply(existing)}`).toBe(true);
        expect(masked(existing, OTHER), `${role} ${op.label}`).toEqual(masked(missing, GHOST));
      }
    }
  });

  it("lets an admin create only a book its token names, without saying whether it exists", async () => {
    const newBook = (id: string) => ({ id, name: `${id} union`, currency: "CNY" });
    const existing = await api.send("POST", "/v1/books", { token: scoped.admin, body: newBook(OTHER) });
    const missing = await api.send("POST", "/v1/books", { token: scoped.admin, body: newBook(GHOST) });
    expect(isForbidden(existing), describeReply(existing)).toBe(true);
    expect(masked(existing, OTHER)).toEqual(masked(missing, GHOST));
    expect((await head(GHOST)).seq).toBe(0);
  });
});

describe("access tokens over HTTP", () => {
  const read = `/v1/books/${BOOK}`;
  const write = `/v1/books/${BOOK}/collections`;
  const claims = () => ({ sub: "mallory", role: "finance", books: "*", iat: nowSeconds(), exp: nowSeconds() + hour });
  const refused = {} as Record<string, string>;

  beforeAll(async () => {
    refused['alg "none"'] = `${base64url({ alg: "none", typ: "JWT" })}.${base64url(claims())}.`;
    refused["signed with another secret"] = await mintToken({
      secret: "another-secret-that-is-also-long-enough-0123456789",
      sub: "mallory",
      role: "finance",
      books: "*",
      ttlSeconds: hour,
    });
    refused.expired = await mintToken({
      secret: JWT_SECRET,
      sub: "late",
      role: "finance",
      books: "*",
      ttlSeconds: hour,
      now: new Date(Date.now() - 2 * hour * 1000),
    });
    refused["HS512 with the right secret"] = await sign(claims(), JWT_SECRET, "HS512");
  });

  const expectUnauthorized = (reply: Reply, what: string) => {
    expect(reply.status, `${what}: ${describeReply(reply)}`).toBe(401);
    expect(reply.headers.get("www-authenticate"), what).toBe("Bearer");
    expect(isProblem(reply), what).toBe(true);
    expect(reply.json.type, what).toBe("/problems/unauthorized");
  };

  it("answers a request without a token with 401 and WWW-Authenticate: Bearer", async () => {
    const before = await head(BOOK);
    expectUnauthorized(await api.send("GET", read), "read");
    expectUnauthorized(await api.send("POST", write, { body: collection }), "write");
    expect(await head(BOOK)).toEqual(before);
  });

  it.each(['alg "none"', "signed with another secret", "expired", "HS512 with the right secret"])(
    "refuses a token %s with 401, and writes nothing",
    async (name) => {
      const token = refused[name];
      expect(token).toBeDefined();
      const before = await head(BOOK);
      expectUnauthorized(await api.send("GET", read, { token }), `${name} read`);
      expectUnauthorized(await api.send("POST", write, { token, body: collection }), `${name} write`);
      expect(await head(BOOK)).toEqual(before);
    },
  );

  it("refuses a valid token whose books omit the book with 403", async () => {
    const elsewhere = await api.token("finance", [OTHER]);
    const before = await head(BOOK);
    const reply = await api.send("GET", read, { token: elsewhere });
    expect(isForbidden(reply), describeReply(reply)).toBe(true);
    const writeReply = await api.send("POST", write, { token: elsewhere, body: collection });
    expect(isForbidden(writeReply), describeReply(writeReply)).toBe(true);
    expect(await head(BOOK)).toEqual(before);
  });

  it('lets a "*" token reach any book', async () => {
    const everywhere = await api.token("auditor", "*");
    for (const book of [BOOK, OTHER]) {
      const reply = await api.send("GET", `/v1/books/${book}`, { token: everywhere });
      expect(reply.status, describeReply(reply)).toBe(200);
      expect(reply.json.id).toBe(book);
    }
    const missing = await api.send("GET", `/v1/books/${GHOST}`, { token: everywhere });
    expect(missing.status, describeReply(missing)).toBe(404);
    expect(missing.json.type).toBe("/problems/book-not-found");
  });

  it("serves /health, /openapi.json and /docs without a token", async () => {
    for (const path of ["/health", "/openapi.json", "/docs"]) {
      const reply = await api.send("GET", path);
      expect(reply.status, `${path}: ${describeReply(reply)}`).toBe(200);
    }
  });
});

describe("every write names its actor", () => {
  it("records the token's sub and role as the actor of a finance write", async () => {
    const sub = "cashier-wang-0042";
    const token = await api.token("finance", [BOOK], sub);
    const reply = await api.send("POST", `/v1/books/${BOOK}/collections`, { token, body: collection });
    expect(reply.status, describeReply(reply)).toBe(201);
    expect(reply.json.actor).toEqual({ sub, role: "finance" });
    const stored = await api.journal.entry(BOOK, reply.json.seq);
    expect(stored?.actor).toEqual({ sub, role: "finance" });
    const served = await api.send("GET", `/v1/books/${BOOK}/entries/${reply.json.seq}`, { token: scoped.auditor });
    expect(served.json.actor).toEqual({ sub, role: "finance" });
  });

  it("records the setup's writes under the tokens that made them", async () => {
    expect((await api.journal.entry(BOOK, 1))?.actor).toEqual({ sub: "admin-setup-01", role: "admin" });
    expect((await api.journal.entry(BOOK, 2))?.actor).toEqual({ sub: "finance-setup-01", role: "finance" });
  });

  it("refuses a body that tries to name its own actor, and writes nothing", async () => {
    const before = await head(BOOK);
    const reply = await api.send("POST", `/v1/books/${BOOK}/collections`, {
      token: scoped.finance,
      body: { ...collection, actor: { sub: "someone-else", role: "admin" } },
    });
    expect(reply.status, describeReply(reply)).toBe(400);
    expect(await head(BOOK)).toEqual(before);
  });
});

describe("duties are segregated", () => {
  const routesNeeding = (permission: string) => operations.filter((op) => op.permission === permission);

  const expectRefusedEverywhere = async (role: Role, ops: Operation[]) => {
    expect(ops.length, `routes for ${role}`).toBeGreaterThan(0);
    for (const op of ops) {
      const reply = await api.send(op.method, fill(op.path, BOOK), { token: scoped[role], body: bodyFor(op) });
      expect(isForbidden(reply), `${role} ${op.label}: ${describeReply(reply)}`).toBe(true);
      expect(reply.json.permission).toBe(op.permission);
    }
  };

  it("does not let finance create a book", async () => {
    const financeEverywhere = await api.token("finance", "*");
    const body = { id: "finance-made-book", name: "财务自建", currency: "CNY" };
    const reply = await api.send("POST", "/v1/books", { token: financeEverywhere, body });
    expect(isForbidden(reply), describeReply(reply)).toBe(true);
    expect(reply.json.permission).toBe("book:create");
    expect((await head("finance-made-book")).seq).toBe(0);
  });

  it("does not let the admin move money", async () => {
    const before = await head(BOOK);
    await expectRefusedEverywhere("admin", routesNeeding("money"));
    const valid = await api.send("POST", `/v1/books/${BOOK}/collections`, { token: scoped.admin, body: collection });
    expect(isForbidden(valid), describeReply(valid)).toBe(true);
    expect(await head(BOOK)).toEqual(before);
  });

  it("does not let the system job move money or keep the registry", async () => {
    const before = await head(BOOK);
    await expectRefusedEverywhere("system", [...routesNeeding("money"), ...routesNeeding("registry")]);
    expect(await head(BOOK)).toEqual(before);
  });

  it("does not let the audit committee, who judges the money, move it", async () => {
    const before = await head(BOOK);
    await expectRefusedEverywhere("audit-committee", routesNeeding("money"));
    expect(await head(BOOK)).toEqual(before);
  });
});
