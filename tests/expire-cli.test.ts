import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type Actor, type Command, type JournalEvent, localDate } from "@relief-ledger/core";
import { createLedgerJournal, type LedgerJournal, ledgerAppend } from "@relief-ledger/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

/**
 * `npm run expire` as npm runs it (the pinned Node on the entry file), on the run's DynamoDB Local:
 * its --help, a mistake in one line, and a real expiry of proposals made ten days before today
 * in a book whose approvalTtlDays is 7.
 */
const root = join(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "relief-ledger-expire-"));
const FINANCE: Actor = { sub: "cashier-wang", role: "finance" };
const POLICY = [{ over: "0.00", levels: 1 }];

type Ran = { status: number | null; stdout: string; stderr: string };

function run(args: readonly string[], env: Record<string, string> = {}): Promise<Ran> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("LEDGER_")));
  const child = spawn(process.execPath, [join(root, "packages/jobs/src/expire-cli.ts"), ...args], {
    cwd: root,
    env: { ...base, LEDGER_DATA_DIR: dataDir, ...env },
    timeout: 45_000,
    killSignal: "SIGINT",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

let client: DynamoDBClient;
let journal: LedgerJournal;
let env: Record<string, string>;
const book = "cli-expiry";
const ids: number[] = [];

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

beforeAll(async () => {
  const fresh = await freshTables();
  client = fresh.client;
  journal = createLedgerJournal({ client, tables: fresh.tables });
  env = {
    LEDGER_DYNAMODB_ENDPOINT: fresh.endpoint,
    LEDGER_JOURNAL_TABLE: fresh.tables.journal,
    LEDGER_STATE_TABLE: fresh.tables.state,
  };
  const then = () => daysAgo(10);
  const on = localDate("Asia/Shanghai", then());
  let key = 0;
  const append = async (actor: Actor, command: Command) => {
    const result = await journal.append(
      book,
      ledgerAppend(book, command, { idempotencyKey: `setup-${++key}`, actor, clock: then }),
    );
    if (!result.ok) throw new Error(`${command.type}: ${result.error.code} ${result.error.message}`);
    return result.value.events;
  };
  const open: Command = {
    type: "open-book",
    name: "命令行测试",
    currency: "CNY",
    timeZone: "Asia/Shanghai",
    approvalTtlDays: 7,
  };
  await append({ sub: "admin-li", role: "admin" }, open);
  await append(FINANCE, { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true });
  await append(FINANCE, {
    type: "record-collection",
    fundId: "relief",
    source: "upper-subsidy",
    amount: "1000.00",
    receivedOn: on,
  });
  await append(FINANCE, {
    type: "open-program",
    programId: "winter",
    name: "送温暖",
    fundId: "relief",
    requiresHardshipFile: false,
    approvals: POLICY,
  });
  await append(FINANCE, { type: "register-beneficiary", beneficiaryId: "hh-1", kind: "household", name: "困难户" });
  for (const amount of ["100.00", "200.00"]) {
    const [made] = await append(FINANCE, {
      type: "record-payout",
      programId: "winter",
      beneficiaryId: "hh-1",
      amount,
      paidOn: on,
    });
    expect(made?.type).toBe("ProposalMade");
    ids.push(made?.seq ?? 0);
  }
});

afterAll(() => {
  client?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

async function eventsOf(): Promise<JournalEvent[]> {
  const all: JournalEvent[] = [];
  for await (const page of journal.read(book, { pageSize: 1000 })) all.push(...page);
  return all;
}

describe("npm run expire", () => {
  it("prints its usage and environment on --help, and refuses an unknown option in one line, exit 2", async () => {
    const help = await run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout.startsWith("Usage: npm run expire")).toBe(true);
    for (const word of ["-h, --help", "LEDGER_DATA_DIR", "LEDGER_DYNAMODB_ENDPOINT", "LEDGER_TABLE_PREFIX"]) {
      expect(help.stdout).toContain(`  ${word}`);
    }
    const wrong = await run(["--frobnicate"]);
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toBe("");
    expect(wrong.stderr).toBe("expire: unknown option '--frobnicate' (--help for usage)\n");
  });

  it("voids the book's expired proposals, says which, and records nothing more when run again", async () => {
    const first = await run([], env);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^proposal expiry: ${book}: 2 proposal\\(s\\) expired on \\d{4}-\\d{2}-\\d{2}, ids ${ids.join(", ")}$`,
        "m",
      ),
    );
    const events = await eventsOf();
    const voids = events.filter((event) => event.type === "ProposalVoided");
    expect(voids.map((event) => [event.payload.proposalId, event.payload.reason])).toEqual(
      ids.map((id) => [id, "expired"]),
    );
    expect((await journal.head(book)).state.pending ?? {}).toEqual({});

    const again = await run([], env);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`proposal expiry: ${book}: nothing expired on`);
    expect(await eventsOf()).toEqual(events);
  });
});
