import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  createDynamoClient,
  createLedgerJournal,
  ensureTables,
  ledgerAppend,
  startDynamoLocal,
  tableNames,
} from "@relief-ledger/store";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("the DynamoDB Local launcher", () => {
  it("keeps a book across a stop and a start on the same data directory, and leaves no Java behind", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ledger-data-"));
    const tables = tableNames("persist-");
    try {
      const first = await startDynamoLocal({ dataDir });
      const client = createDynamoClient(first.endpoint);
      await ensureTables(client, tables);
      const journal = createLedgerJournal({ client, tables });
      const actor = { sub: "admin", role: "admin" as const };
      const opened = await journal.append(
        "kept",
        ledgerAppend(
          "kept",
          { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
          { idempotencyKey: "open", actor },
        ),
      );
      expect(opened.ok).toBe(true);
      client.destroy();
      await first.stop();
      expect(first.process.exitCode !== null || first.process.signalCode !== null).toBe(true);

      const second = await startDynamoLocal({ dataDir });
      const again = createDynamoClient(second.endpoint);
      try {
        await ensureTables(again, tables); // a no-op on tables that exist
        const { TableNames } = await again.send(new ListTablesCommand({}));
        expect(TableNames).toEqual(expect.arrayContaining([tables.journal, tables.state]));
        const reopened = createLedgerJournal({ client: again, tables });
        expect((await reopened.head("kept")).state.book?.name).toBe("巴州区总工会");
        expect(await reopened.verify("kept")).toMatchObject({ ok: true, checked: 1 });
      } finally {
        again.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("takes DynamoDB Local down with the process that started it, even one killed outright", async () => {
    // A process that starts DynamoDB Local, says the JVM's pid, and waits to be killed.
    const script = `
      import { startDynamoLocal } from "@relief-ledger/store";
      const local = await startDynamoLocal();
      console.log(local.process.pid);
      setInterval(() => {}, 60_000);`;
    const owner = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await new Promise<number>((resolvePid, reject) => {
      owner.stdout.once("data", (chunk: Buffer) => resolvePid(Number(chunk.toString().trim())));
      owner.once("exit", (code) => reject(new Error(`the owner exited (${code}) before DynamoDB Local started`)));
    });
    // A process ended but not yet reaped (its new parent may never wait for it) is a zombie: dead.
    const alive = (id: number) => {
      try {
        process.kill(id, 0);
      } catch {
        return false;
      }
      const stat = existsSync(`/proc/${id}/stat`) ? readFileSync(`/proc/${id}/stat`, "utf8") : "";
      return !/^\d+ \(.*\) Z/.test(stat);
    };
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    // SIGKILL: no handler runs, no stop() is called. Only the watchdog can end the JVM.
    owner.kill("SIGKILL");
    const deadline = Date.now() + 30_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    expect(alive(pid), `DynamoDB Local (pid ${pid}) outlived its owner`).toBe(false);
  });

  it("says in one line that Java is missing, instead of a stack trace", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ledger-nojava-"));
    try {
      // PATH without java; node itself is called by its absolute path.
      const run = spawnSync(process.execPath, [join(root, "packages/local/src/cli.ts")], {
        cwd: root,
        env: { PATH: "/nonexistent", LEDGER_DATA_DIR: dataDir, PORT: "0" },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      const lines = run.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/needs Java 17 or newer.*no 'java' is on the PATH/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
