import { createApp } from "@relief-ledger/api";
import {
  accountContext,
  type BankAccountRecord,
  BankResultsRecorded,
  BeneficiaryImportChunkRecorded,
  bankAccountRef,
  CURRENCIES,
  fileSha256,
  formatAmount,
  IMPORT_CHUNK_ROWS,
  type JournalEvent,
} from "@relief-ledger/core";
import { closeThrough, createLedgerJournal, ledgerAppend, memoryDataKey } from "@relief-ledger/store";
import { afterAll, describe, expect, it } from "vitest";
import { mintToken } from "../packages/api/src/auth/secret.ts";
import { parseCsv } from "../packages/api/src/imports/parse.ts";
import { validateRoster } from "../packages/api/src/imports/validate.ts";
import { DEMO_FIGURES, generateDemo } from "../packages/jobs/src/demo/generate.ts";
import { loadDemo } from "../packages/jobs/src/demo/load.ts";
import { runInMemory } from "../packages/jobs/src/demo/memory.ts";
import { demoRoster, ROSTER_IMPORT_ID, rosterCsv } from "../packages/jobs/src/demo/roster.ts";
import { ID_HASH_KEY, JWT_SECRET } from "./support/api.ts";
import { freshTables } from "./support/dynamo.ts";

const balancesOf = (funds: Record<string, { balance: bigint }>) =>
  Object.fromEntries(
    Object.entries(funds).map(([fundId, fund]) => [fundId, formatAmount(fund.balance, CURRENCIES.CNY)]),
  );

describe("the demo book bazhou-2010 in DynamoDB Local", async () => {
  const { client, tables } = await freshTables();
  const journal = createLedgerJournal({ client, tables });
  const script = generateDemo();
  // The deployment's keys, as `npm start` gives the demo its own: the accounts are sealed with them.
  const keys = { dataKey: memoryDataKey(), idHashKey: ID_HASH_KEY };
  /** The API over the demo's journal, with its keys, and a token of a role for the demo book. */
  const appAs = async (role: "finance" | "auditor") => ({
    app: createApp({ journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY, dataKey: keys.dataKey }),
    token: await mintToken({ secret: JWT_SECRET, sub: role, role, books: [script.book], ttlSeconds: 600 }),
  });
  afterAll(() => client.destroy());

  // About 5,000 entries, the winter batches proposed and approved chunk by chunk: 25–40 s alone, and
  // up to twice that beside another file that loads the demo (start.test.ts), past the default 60 s.
  const LOAD_TIMEOUT = 180_000;

  it("loads through the journal to the head the in-memory run reaches, with an intact chain", {
    timeout: LOAD_TIMEOUT,
  }, async () => {
    const started = performance.now();
    let calls = 0;
    const result = await loadDemo(journal, { keys, onProgress: () => (calls += 1) });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `demo: ${result.events} events from ${result.steps} steps in ${seconds.toFixed(1)} s; ${journal.stats.transactions} transactions`,
    );
    expect(result).toEqual({ events: DEMO_FIGURES.events, replayed: 0, steps: script.steps.length });
    expect(calls).toBe(script.steps.length);

    const head = await journal.head(script.book);
    expect(head.seq).toBe(DEMO_FIGURES.events);
    expect(head.seq).toBe(script.eventCount);
    // Every proposal of 2010 was decided within the year: nothing reserved, nothing to block a close.
    expect(head.state.pending ?? {}).toEqual({});
    const memory = runInMemory(script);
    expect(balancesOf(head.state.funds)).toEqual(balancesOf(memory.state.funds));
    expect(balancesOf(head.state.funds)).toEqual(DEMO_FIGURES.funds);
    expect(head.state.programs).toEqual(memory.state.programs);
    expect(head.state.auditPlans).toEqual({ 2010: 5 });
    // The store keeps the same beneficiary projection as memory: a household, its file and its winter totals.
    expect(await journal.entity(script.book, "beneficiary/hh-0001")).toEqual(
      memory.entities.get("beneficiary/hh-0001"),
    );

    const report = await journal.verify(script.book);
    expect(report.ok).toBe(true);
    expect(report.headSeq).toBe(DEMO_FIGURES.events);
  });

  it("brings the register's households in through the roster import, none of them registered one by one", async () => {
    const events: JournalEvent[] = [];
    for await (const page of journal.read(script.book)) events.push(...page);
    const roster = demoRoster(script);
    const ids = new Set(roster.map((row) => row.beneficiaryId));
    expect(ids.size).toBe(DEMO_FIGURES.beneficiaries.imported);
    expect(ids.size).toBeGreaterThan(1000);

    const chunks = events
      .filter((event) => event.type === "BeneficiaryImportChunkRecorded")
      .map((event) => BeneficiaryImportChunkRecorded.parse(event.payload));
    expect(chunks.length).toBe(Math.ceil(ids.size / IMPORT_CHUNK_ROWS));
    expect(chunks.every((chunk) => chunk.importId === ROSTER_IMPORT_ID && chunk.refused.length === 0)).toBe(true);
    expect(chunks.reduce((sum, chunk) => sum + chunk.registered, 0)).toBe(ids.size);
    expect(chunks.reduce((sum, chunk) => sum + chunk.filesOpened, 0)).toBe(ids.size);
    expect(chunks.reduce((sum, chunk) => sum + chunk.skipped, 0)).toBe(0);

    // Each household's registration and file came with a roster chunk (its key `…/roster/2010#i`), not a
    // register-beneficiary step of its own; whoever joined later in the year was registered one by one.
    const registered = events.filter((event) => event.type === "BeneficiaryRegistered");
    expect(registered).toHaveLength(DEMO_FIGURES.beneficiaries.registered);
    const imported = registered.filter((event) => ids.has(event.payload.beneficiaryId as string));
    expect(imported).toHaveLength(ids.size);
    for (const event of imported) expect(event.idempotencyKey).toMatch(/^bazhou-2010\/roster\/2010#\d+$/);
    const oneByOne = script.steps.filter((step) => step.command.type === "register-beneficiary");
    expect(oneByOne.filter(({ command }) => "beneficiaryId" in command && ids.has(command.beneficiaryId))).toEqual([]);
    expect(registered.length - imported.length).toBe(oneByOne.length);
    const files = events.filter(
      (event) => event.type === "HardshipFileOpened" && ids.has(event.payload.beneficiaryId as string),
    );
    expect(files).toHaveLength(ids.size);
    expect(new Set([...imported, ...files].map((event) => event.occurredOn))).toEqual(new Set(["2010-01-05"]));
  });

  it("writes the roster out as a CSV that the roster import reads back to the same rows, all on file", async () => {
    const roster = demoRoster(script);
    const csv = rosterCsv(roster);
    const validated = validateRoster(parseCsv(csv, 10_000), () => {
      throw new Error("the demo's roster has no ID numbers to hash");
    });
    expect(validated.invalid).toEqual([]);
    expect(validated.rows).toEqual(roster);

    const before = await journal.head(script.book);
    const { app, token } = await appAs("finance");
    const response = await app.request(`/v1/books/${script.book}/beneficiary-imports`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "text/csv", "idempotency-key": "demo-roster-again" },
      body: csv,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      rows: roster.length,
      registered: 0,
      filesOpened: 0,
      skipped: roster.length,
    });
    expect((await journal.head(script.book)).seq).toBe(before.seq);
  });

  it("pays the spring batches through the bank, and keeps no account number in the journal", async () => {
    const events: JournalEvent[] = [];
    for await (const page of journal.read(script.book)) events.push(...page);
    const spring = Array.from({ length: 5 }, (_, i) => `winter-2010-spring-${i + 1}`);
    const issued = events.filter((event) => event.type === "BankFileIssued");
    expect(issued.map((event) => event.payload.batchId)).toEqual(spring);
    expect(issued.map((event) => event.payload.fileHash)).toEqual(script.bankFiles.map(({ file }) => fileSha256(file)));

    // The bank's results: a few lines failed and returned, each with the bank's reason, the rest settled.
    const results = events
      .filter((event) => event.type === "BankResultsRecorded")
      .map((event) => BankResultsRecorded.parse(event.payload));
    const returned = results.flatMap((result) => result.returned);
    expect(returned.length).toBeGreaterThanOrEqual(3);
    expect(returned.length).toBeLessThanOrEqual(5);
    const returns = events.filter(
      (event) => event.type === "PayoutReturned" && returned.some(({ seq }) => seq === event.payload.entrySeq),
    );
    expect(returns).toHaveLength(returned.length);
    for (const back of returns) expect(back.payload.reason).toMatch(/^bank: \S+/);
    // ...and each of those households paid again, by bank, once its account was corrected.
    const failedHouseholds = returns.map((event) => event.payload.beneficiaryId);
    const again = events.filter(
      (event) => event.type === "PayoutRecorded" && event.payload.reference === "更正收款账户后重新发放",
    );
    expect(
      again.filter((event) => event.payload.programId === "winter-2010").map((e) => e.payload.beneficiaryId),
    ).toEqual(failedHouseholds);

    // Every account the demo generated: none of their numbers is in any event, only last four digits.
    const numbers = new Set(script.steps.flatMap((step) => (step.account ? [step.account.accountNumber] : [])));
    expect(numbers.size).toBe(DEMO_FIGURES.beneficiaries.imported + returned.length);
    const digitRuns = new Set(JSON.stringify(events).match(/\d{8,}/g));
    expect([...numbers].filter((number) => digitRuns.has(number))).toEqual([]);
    const set = events.filter((event) => event.type === "BankAccountSet");
    expect(set).toHaveLength(numbers.size);
    expect(set.every((event) => !("sealed" in event.payload) && /^\d{4}$/.test(String(event.payload.last4)))).toBe(
      true,
    );
    // The registry holds them sealed, and the data key opens each to what the demo generated.
    const latest = new Map(
      script.steps.flatMap((step) =>
        step.account && step.command.type === "set-bank-account"
          ? [[step.command.beneficiaryId, step.account] as const]
          : [],
      ),
    );
    const stored = await journal.entities(script.book, [...latest.keys()].map(bankAccountRef));
    for (const [beneficiaryId, account] of latest) {
      const record = stored.get(bankAccountRef(beneficiaryId)) as BankAccountRecord;
      if (!("sealed" in record)) throw new Error(`${beneficiaryId} has no sealed account`);
      expect(JSON.stringify(record)).not.toContain(account.accountNumber);
      expect(await keys.dataKey.open(record.sealed, accountContext(script.book, beneficiaryId))).toEqual(account);
    }
  });

  it("records through the API what the demo recorded: its result files again record nothing, its file comes out the same", async () => {
    const { app, token } = await appAs("finance");
    const before = await journal.head(script.book);
    for (const { batchId, results } of script.bankFiles) {
      const response = await app.request(`/v1/books/${script.book}/payout-batches/${batchId}/bank-results`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "text/csv",
          "idempotency-key": `again-${batchId}`,
        },
        body: results,
      });
      expect(response.status).toBe(200);
      const summary = (await response.json()) as { unmatched: unknown[]; returned: number; paid: number };
      expect(summary.unmatched).toEqual([]);
      expect(summary.paid + summary.returned).toBe(new TextDecoder().decode(results).split("\r\n").length - 2);
    }
    expect((await journal.head(script.book)).seq).toBe(before.seq);

    // A batch the bank paid in full: the API's file, built from the sealed accounts, is the demo's to the byte.
    const whole = script.bankFiles.find(({ results }) => !new TextDecoder().decode(results).includes(",失败,"));
    if (!whole) throw new Error("every spring batch had a failed line");
    const response = await app.request(`/v1/books/${script.book}/payout-batches/${whole.batchId}/bank-file`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(fileSha256(new Uint8Array(await response.arrayBuffer()))).toBe(fileSha256(whole.file));
  });

  it("writes nothing the second time: every step's key replays", { timeout: LOAD_TIMEOUT }, async () => {
    const before = await journal.head(script.book);
    const result = await loadDemo(journal, { keys });
    expect(result).toEqual({ events: 0, replayed: script.steps.length, steps: script.steps.length });
    const after = await journal.head(script.book);
    expect(after.seq).toBe(before.seq);
    expect(after.hash).toBe(before.hash);
  });

  it("closes 2010 month by month and its annual report shows the seed's figures", async () => {
    const closed = await closeThrough(journal, script.book, "2010-12");
    expect(closed.map((result) => result.status)).toEqual(Array.from({ length: 12 }, () => "closed"));
    const { app, token } = await appAs("auditor");
    const response = await app.request(`/v1/books/${script.book}/reports/annual/2010`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const annual = (await response.json()) as {
      closedThrough: string;
      programmes: { programId: string; amount: string; personTimes: number; distinctBeneficiaries: number }[];
      funds: { fundId: string; collected: string }[];
      audit: { target: number; completed: number };
    };
    expect(annual.closedThrough).toBe("2010-12");
    const programme = (id: string) => annual.programmes.find((line) => line.programId === id);
    const yuan = (amount: string | undefined) => Number.parseInt(String(amount), 10);
    // 送温暖: 105.11万元, 1300多人次, among the registered hardship households.
    expect(programme("winter-2010")).toMatchObject({ amount: "1051100.00" });
    expect(programme("winter-2010")?.personTimes).toBeGreaterThanOrEqual(1300);
    // 金秋助学: 30余万元, 181名学生.
    expect(programme("student-aid-2010")?.distinctBeneficiaries).toBe(181);
    expect(yuan(programme("student-aid-2010")?.amount)).toBeGreaterThanOrEqual(300_000);
    // 慰问劳模30余人次, 20余万元.
    expect(programme("model-worker-2010")?.personTimes).toBeGreaterThanOrEqual(30);
    expect(yuan(programme("model-worker-2010")?.amount)).toBeGreaterThanOrEqual(200_000);
    // 挂包帮扶: 37户, 项目资金11万元.
    expect(programme("village-aid-2010")).toMatchObject({ amount: "110000.00", distinctBeneficiaries: 37 });
    // 女职工大病保险: 累计赔付16人, 19万元.
    expect(programme("critical-illness-2010")).toMatchObject({ amount: "190000.00", personTimes: 16 });
    // 争取了250万元用于文化宫改造.
    expect(annual.funds.find((fund) => fund.fundId === "culture-palace")?.collected).toBe("2500000.00");
    // 审计5家基层工会指标, 实际完成了6个.
    expect(annual.audit).toMatchObject({ target: 5, completed: 6 });
  });

  it("shows auditors its proposals: posted by approvers other than the proposer, a few voided, none pending", async () => {
    const { app, token } = await appAs("auditor");
    type View = {
      id: number;
      state: string;
      amount: string;
      needs: number;
      proposer: string;
      approvals: { by: string }[];
      request: { batchAmount?: string };
      posted?: { seq: number };
      voided?: { reason: string; by?: string; note?: string };
    };
    const list = async (state: string) => {
      const views: View[] = [];
      for (let cursor: string | undefined; ; ) {
        const query = `state=${state}&limit=100${cursor ? `&cursor=${cursor}` : ""}`;
        const response = await app.request(`/v1/books/${script.book}/approvals?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(200);
        const page = (await response.json()) as { proposals: View[]; nextCursor?: string };
        views.push(...page.proposals);
        cursor = page.nextCursor;
        if (!cursor) return views;
      }
    };
    expect(await list("pending")).toEqual([]);
    const posted = await list("posted");
    expect(posted).toHaveLength(DEMO_FIGURES.approvals.posted);
    for (const proposal of posted) {
      const approvers = proposal.approvals.map((approval) => approval.by);
      expect(approvers).not.toContain(proposal.proposer);
      expect(new Set(approvers).size).toBe(proposal.needs);
      const asked = Number.parseFloat(proposal.request.batchAmount ?? proposal.amount);
      expect(approvers).toHaveLength(asked > 10_000 ? 2 : 1);
    }
    const voided = await list("voided");
    expect(voided.map((proposal) => proposal.voided?.reason).sort()).toEqual([
      "expired",
      "rejected",
      "rejected",
      "withdrawn",
    ]);
    for (const proposal of voided) expect(proposal.posted).toBeUndefined();
  });

  it("fails loudly, naming the step, when the ledger refuses one", async () => {
    const other = await freshTables();
    const taken = createLedgerJournal({ client: other.client, tables: other.tables });
    const opened = await taken.append(
      script.book,
      ledgerAppend(
        script.book,
        { type: "open-book", name: "另一个账簿", currency: "CNY", timeZone: "Asia/Shanghai" },
        {
          idempotencyKey: "someone-else",
          actor: { sub: "someone", role: "admin" },
        },
      ),
    );
    expect(opened.ok).toBe(true);
    await expect(loadDemo(taken, { keys })).rejects.toThrow(
      /demo step 0 \(bazhou-2010\/open-book\) was refused: book-exists/,
    );
    other.client.destroy();
  });
});
