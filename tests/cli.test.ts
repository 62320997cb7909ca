import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { localDate, Role } from "@relief-ledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { dynamoEndpoint } from "./support/dynamo.ts";

/**
 * Every command the package.json scripts expose, run as `npm run` runs it (the pinned Node on the
 * entry file): `--help` says how to call it and exits 0; a mistake is one line on stderr, with no
 * stack trace, and a non-zero exit (2 for the command line, 1 for the rest). Nothing here starts
 * a server or a JVM, and nothing touches .data/: every run gets a data directory of its own.
 */

const root = join(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "relief-ledger-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const COMMANDS = {
  start: "packages/local/src/cli.ts",
  token: "packages/api/src/cli/token.ts",
  demo: "packages/jobs/src/demo/cli.ts",
  rollup: "packages/jobs/src/cli.ts",
  bench: "bench/run.ts",
} as const;
type Name = keyof typeof COMMANDS;

type Ran = { status: number | null; stdout: string; stderr: string };

/** The command with only the environment given (no LEDGER_* or PORT of the test run's own). */
function run(name: Name, args: readonly string[] = [], env: Record<string, string> = {}): Promise<Ran> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("LEDGER_") && key !== "PORT"),
  );
  const child = spawn(process.execPath, [join(root, COMMANDS[name]), ...args], {
    cwd: root,
    env: { ...base, LEDGER_DATA_DIR: dataDir, ...env },
    // Should a command start serving after all, Ctrl-C stops it and whatever it started.
    timeout: 45_000,
    killSignal: "SIGINT",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

/** A refusal: the exit status, nothing on stdout, and exactly one line on stderr naming the command. */
function expectOneLine(ran: Ran, name: Name, status: 1 | 2, message: RegExp) {
  expect(ran.status, ran.stderr).toBe(status);
  expect(ran.stderr).toMatch(new RegExp(`^${name}: [^\\n]+\\n$`));
  expect(ran.stderr).toMatch(message);
  expect(ran.stderr).not.toMatch(/\n\s+at /);
  expect(ran.stdout).toBe("");
}

/** What each --help must name: how it is called and every variable it reads. */
const HELP: Record<Name, { usage: string; env: string[]; options: string[] }> = {
  start: {
    usage: "npm start",
    env: [
      "PORT",
      "LEDGER_DATA_DIR",
      "LEDGER_JWT_SECRET",
      "LEDGER_ID_HASH_KEY",
      "LEDGER_DYNAMODB_ENDPOINT",
      "LEDGER_SKIP_DEMO",
    ],
    options: [],
  },
  token: {
    usage: "npm run -s token --",
    env: ["LEDGER_JWT_SECRET", "LEDGER_DATA_DIR"],
    options: ["--role", "--book", "--sub", "--ttl"],
  },
  demo: {
    usage: "npm run demo",
    env: ["LEDGER_DATA_DIR", "LEDGER_DYNAMODB_ENDPOINT", "LEDGER_TABLE_PREFIX"],
    options: [],
  },
  rollup: {
    usage: "npm run rollup --",
    env: ["LEDGER_DATA_DIR", "LEDGER_DYNAMODB_ENDPOINT", "LEDGER_TABLE_PREFIX"],
    options: ["--book", "--month"],
  },
  bench: { usage: "npm run bench --", env: ["LEDGER_DYNAMODB_ENDPOINT"], options: ["--quick", "--out"] },
};

// Each case is a process of its own that mostly loads modules: they run side by side.
describe.concurrent.each(Object.keys(COMMANDS) as Name[])("npm run %s", (name) => {
  it("prints its usage, options, environment and exit statuses on --help, and exits 0", async () => {
    const ran = await run(name, ["--help"]);
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    const { usage, env, options } = HELP[name];
    expect(ran.stdout.startsWith(`Usage: ${usage}`), ran.stdout).toBe(true);
    for (const word of [...options, "-h, --help", ...env]) expect(ran.stdout).toContain(`  ${word}`);
    expect(ran.stdout).toMatch(/Exit status:\n {2}0 {2}done\n {2}1 {2}\S.*\n {2}2 {2}usage error/);
  });

  it("refuses an unknown option in one line, with exit 2", async () => {
    expectOneLine(await run(name, ["--frobnicate"]), name, 2, /unknown option '--frobnicate' \(--help for usage\)$/m);
  });
});

describe.concurrent("mistakes on the command line", () => {
  it("lists every role in the token command's help", async () => {
    const help = (await run("token", ["--help"])).stdout;
    expect(/--role <role> +required: (.*)\n/.exec(help)?.[1]).toBe(Role.options.join(", "));
  });

  it("prints the help for -h wherever it stands, even after a mistake", async () => {
    const [help, late] = await Promise.all([run("rollup", ["--help"]), run("rollup", ["--frobnicate", "-h"])]);
    expect(late.status).toBe(0);
    expect(late.stdout).toBe(help.stdout);
  });

  it.each([
    ["demo", ["stray"], /unexpected argument 'stray'/],
    ["token", ["--role", "finance", "--book"], /option '--book <value>' argument missing/],
    ["rollup", ["--book", "bazhou"], /give both --book and --month, or neither/],
    ["rollup", ["--book", "bazhou", "--month", "2010-13"], /--month 2010-13 is not a month/],
    ["rollup", ["--book", "Not A Book", "--month", "2010-12"], /--book Not A Book is not a book id/],
    ["bench", ["--quick=yes"], /option '--quick' does not take an argument/],
  ] as const)("%s %j: one line, exit 2", async (name, args, message) => {
    expectOneLine(await run(name, args), name, 2, message);
  });
});

describe.concurrent("bad configuration in the environment", () => {
  const secret = "short-secret";

  it("refuses a LEDGER_JWT_SECRET under 32 characters without showing it, before anything starts", async () => {
    const [token, start] = await Promise.all([
      run("token", ["--role", "admin"], { LEDGER_JWT_SECRET: secret }),
      run("start", [], { LEDGER_JWT_SECRET: secret, PORT: "0" }),
    ]);
    for (const [name, ran] of [
      ["token", token],
      ["start", start],
    ] as const) {
      expectOneLine(ran, name, 1, /LEDGER_JWT_SECRET is too short: use at least 32 characters/);
      expect(ran.stderr).not.toContain(secret);
    }
    expect(existsSync(join(dataDir, "server.lock"))).toBe(false);
  });

  it.each([
    ["start", { PORT: "70000" }, /PORT=70000 is not a port number/],
    ["start", { LEDGER_SKIP_DEMO: "yes" }, /LEDGER_SKIP_DEMO=yes is neither 1/],
    [
      "demo",
      { LEDGER_DYNAMODB_ENDPOINT: "dynamodb.local:8000" },
      /LEDGER_DYNAMODB_ENDPOINT=dynamodb.local:8000 is not an http\(s\) URL/,
    ],
    [
      "rollup",
      { LEDGER_TABLE_PREFIX: "my ledger " },
      /LEDGER_TABLE_PREFIX gives the table name "my ledger journal", which DynamoDB refuses/,
    ],
  ] as const)("%s with %j: one line, exit 1", async (name, env, message) => {
    expectOneLine(await run(name, [], { ...env }), name, 1, message);
  });

  it("says in one line that nothing answers at LEDGER_DYNAMODB_ENDPOINT, and leaves no lock behind", async () => {
    // A port that was free a moment ago: the connection is refused at once.
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const endpoint = `http://127.0.0.1:${port}`;
    const ran = await run("start", [], { LEDGER_DYNAMODB_ENDPOINT: endpoint, PORT: "0", LEDGER_SKIP_DEMO: "1" });
    expectOneLine(
      ran,
      "start",
      1,
      new RegExp(`nothing answers at LEDGER_DYNAMODB_ENDPOINT=${endpoint} \\(ECONNREFUSED\\)`),
    );
    expect(existsSync(join(dataDir, "server.lock"))).toBe(false);
  });
});

describe("npm run rollup on the run's DynamoDB Local", () => {
  let api: Api;
  let env: Record<string, string>;
  beforeAll(async () => {
    api = await startApi();
    env = {
      LEDGER_DYNAMODB_ENDPOINT: dynamoEndpoint(),
      LEDGER_JOURNAL_TABLE: api.tables.journal,
      LEDGER_STATE_TABLE: api.tables.state,
    };
  });

  it("refuses a book that does not exist in one line, exit 1, and writes nothing", async () => {
    const ran = await run("rollup", ["--book", "nosuch", "--month", "2010-12"], env);
    expectOneLine(ran, "rollup", 1, /^rollup: there is no book nosuch\n$/);
    expect((await api.journal.head("nosuch")).seq).toBe(0);
  });

  it("says a refused month in one line on stderr, exit 1", async () => {
    const admin = await api.token("admin");
    const book = `cli-${randomUUID().slice(0, 8)}`;
    const created = await api.send("POST", "/v1/books", {
      token: admin,
      body: { id: book, name: "命令行测试", currency: "CNY" },
    });
    expect(created.status, created.text).toBe(201);
    // The book opened today: its first month is not over, so it cannot be closed yet.
    const month = localDate("Asia/Shanghai", new Date()).slice(0, 7);
    const ran = await run("rollup", ["--book", book, "--month", month], env);
    expect(ran.status, ran.stderr).toBe(1);
    expect(ran.stderr).toMatch(new RegExp(`^rollup: ${book} ${month}: refused: [^\\n]+\\n$`));
    expect((await api.journal.head(book)).seq).toBe(created.json.seq);
  });
});
