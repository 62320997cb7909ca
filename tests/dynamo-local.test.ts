import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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

  it("says in one line that Java is missing, instead of a stack trace", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "ledger-nojava-"));
    try {
      // PATH without java; node itself is called by its absolute path.
      const run = spawnSync(process.execPath, [join(root, "packages/api/src/dev.ts")], {
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
