import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  type Command,
  closingBalances,
  collectionsReport,
  createRollupFold,
  fundsReport,
  type JournalEvent,
  type Minor,
  programmesReport,
  type Rollup,
} from "@relief-ledger/core";
import { closeMonth, entityKey, ledgerAppend, rollupsFor, runMonthlyRollup } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";

/** "Today" is 10 April 2010 in Shanghai: January to March are over, April is open. */
const clock = () => new Date("2010-04-10T04:00:00Z");
const book = "rollup-book";
const base = `/v1/books/${book}`;
let api: Api;
let finance: string;
let system: string;
let auditor: string;
let janPayout: JournalEvent;

beforeAll(async () => {
  api = await startApi({ clock });
  finance = await api.token("finance");
  system = await api.token("system");
  auditor = await api.token("auditor");
  const admin = await api.token("admin");
  const ok = async (path: string, body: unknown, token = finance) => {
    const response = await api.send("POST", path, { token, body });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.json as JournalEvent;
  };
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" }, admin);
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/funds`, { id: "general", name: "工会经费", restricted: false });
  await ok(`${base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief" });
  for (const id of ["hh-1", "hh-2", "hh-3"])
    await ok(`${base}/beneficiaries`, { id, kind: "household", name: `困难户${id}` });
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: "10000.00",
    receivedOn: "2010-01-04",
  });
  await ok(`${base}/collections`, {
    fundId: "general",
    source: "dues",
    unitId: "textile",
    amount: "3000.00",
    receivedOn: "2010-01-05",
  });
  janPayout = await ok(`${base}/payouts`, {
    programId: "winter",
    beneficiaryId: "hh-1",
    amount: "800.00",
    paidOn: "2010-01-20",
  });
  await ok(`${base}/payouts`, { programId: "winter", beneficiaryId: "hh-2", amount: "700.00", paidOn: "2010-01-21" });
  // Recorded in March but dated February: the February rollup must find it.
  await ok(`${base}/payouts`, { programId: "winter", beneficiaryId: "hh-1", amount: "500.00", paidOn: "2010-02-10" });
  await ok(`${base}/transfers`, { fromFundId: "general", toFundId: "relief", amount: "1000.00", on: "2010-02-15" });
  const march = await ok(`${base}/payouts`, {
    programId: "winter",
    beneficiaryId: "hh-3",
    amount: "900.00",
    paidOn: "2010-03-02",
  });
  await ok(`${base}/payouts/${march.seq}/return`, { returnedOn: "2010-03-05", reason: "账号错误" });
  await ok(`${base}/payouts`, { programId: "winter", beneficiaryId: "hh-3", amount: "900.00", paidOn: "2010-02-26" });
});

/** The reports' reference: every month folded from the raw journal, read whole, without any stored rollup. */
async function foldedFromJournal(from: string, to: string): Promise<Rollup[]> {
  const events: JournalEvent[] = [];
  for await (const page of api.journal.read(book)) events.push(...page);
  const rollups: Rollup[] = [];
  let opening: Record<string, Minor> = {};
  for (
    let month = "2010-01";
    month <= to;
    month = month.endsWith("12")
      ? `${Number(month.slice(0, 4)) + 1}-01`
      : `${month.slice(0, 5)}${String(Number(month.slice(5)) + 1).padStart(2, "0")}`
  ) {
    const fold = createRollupFold(book, month, "CNY", opening);
    for (const event of events)
      if (event.occurredOn.startsWith(month) && event.type !== "PeriodClosed") fold.add(event);
    const rollup = fold.result();
    if (month >= from) rollups.push(rollup);
    opening = closingBalances(rollup);
  }
  return rollups;
}

describe("monthly rollups and period close", () => {
  it("closes months in order, once they are over", async () => {
    const early = await api.send("POST", `${base}/rollups/2010-02`, { token: system });
    expect(early.json).toMatchObject({ status: 409, type: "/problems/period-out-of-order", next: "2010-01" });
    const running = await api.send("POST", `${base}/rollups/2010-04`, { token: system });
    expect(running.json).toMatchObject({ status: 409 });
    const byFinance = await api.send("POST", `${base}/rollups/2010-01`, { token: finance });
    expect(byFinance.status).toBe(403);

    const closed = await api.send("POST", `${base}/rollups/2010-01`, { token: system });
    expect(closed.status).toBe(201);
    expect(closed.json).toMatchObject({ period: "2010-01", status: "closed" });
    const entry = await api.send("GET", `${base}/entries/${closed.json.seq}`, { token: auditor });
    expect(entry.json).toMatchObject({
      type: "PeriodClosed",
      payload: { period: "2010-01", rollupHash: closed.json.rollupHash },
    });

    // Twice is harmless: same hash, nothing written.
    const before = (await api.journal.head(book)).seq;
    const again = await api.send("POST", `${base}/rollups/2010-01`, { token: system });
    expect(again.json).toEqual({
      period: "2010-01",
      status: "already-closed",
      rollupHash: closed.json.rollupHash,
      matches: true,
    });
    expect((await api.journal.head(book)).seq).toBe(before);
  });

  it("refuses business dates in a closed month; a correction is recorded today and referenced", async () => {
    const late = await api.send("POST", `${base}/payouts`, {
      token: finance,
      body: { programId: "winter", beneficiaryId: "hh-2", amount: "1.00", paidOn: "2010-01-31" },
    });
    expect(late.json).toMatchObject({ status: 409, type: "/problems/period-closed", closedThrough: "2010-01" });
    const correction = await api.send("POST", `${base}/entries/${janPayout.seq}/reversal`, {
      token: finance,
      body: { reason: "重复发放" },
    });
    expect(correction.status).toBe(201);
    expect(correction.json).toMatchObject({
      occurredOn: "2010-04-10",
      payload: { entrySeq: janPayout.seq, entryOccurredOn: "2010-01-20" },
    });
    const [april] = await rollupsFor(api.journal, book, "2010-04", "2010-04");
    expect(april?.corrections).toEqual([
      {
        seq: correction.json.seq,
        type: "EntryReversed",
        entrySeq: janPayout.seq,
        entryOccurredOn: "2010-01-20",
        amount: "800.00",
      },
    ]);
  });

  it("stores each rollup with its close, and verifies it against the journal on request", async () => {
    for (const month of ["2010-02", "2010-03"]) {
      expect((await api.send("POST", `${base}/rollups/${month}`, { token: system })).status).toBe(201);
    }
    const february = await api.send("GET", `${base}/rollups/2010-02?verify=true`, { token: auditor });
    expect(february.json.verification).toEqual({ ok: true, recomputedHash: february.json.rollupHash });
    expect(february.json.rollup).toMatchObject({
      period: "2010-02",
      events: 3,
      programs: { winter: { paid: "1400.00", payments: 2, beneficiaries: ["hh-1", "hh-3"] } },
      funds: { relief: { opening: "8500.00", transfersIn: "1000.00", closing: "8100.00" } },
    });
    // A stored rollup altered in the table no longer matches the journal.
    const altered = { ...february.json.rollup, events: 99 };
    await api.client.send(
      new PutItemCommand({
        TableName: api.tables.state,
        Item: {
          ...Object.fromEntries(Object.entries(entityKey(book, "rollup", "2010-02")).map(([k, v]) => [k, { S: v }])),
          value: { S: JSON.stringify(altered) },
        },
      }),
    );
    const checked = await api.send("GET", `${base}/rollups/2010-02?verify=true`, { token: auditor });
    expect(checked.json.verification.ok).toBe(false);
    await api.client.send(
      new PutItemCommand({
        TableName: api.tables.state,
        Item: {
          ...Object.fromEntries(Object.entries(entityKey(book, "rollup", "2010-02")).map(([k, v]) => [k, { S: v }])),
          value: { S: JSON.stringify(february.json.rollup) },
        },
      }),
    );
  });

  it("gives reports from rollups that equal a fold of the raw journal, figure by figure", async () => {
    const rollups = await rollupsFor(api.journal, book, "2010-01", "2010-04");
    const reference = await foldedFromJournal("2010-01", "2010-04");
    expect(rollups).toEqual(reference);
    const { state } = await api.journal.head(book);
    const names = { funds: state.funds, programs: state.programs, units: state.units };
    for (const [name, make] of [
      ["programmes", programmesReport],
      ["funds", fundsReport],
      ["collections", collectionsReport],
    ] as const) {
      expect(make(rollups, "CNY", names), name).toEqual(make(reference, "CNY", names));
    }
    const report = await api.send("GET", `${base}/reports/programmes?from=2010-01&to=2010-04`, { token: auditor });
    expect(report.json.programmes).toEqual([
      expect.objectContaining({
        programId: "winter",
        // 800 + 700 + 500 + 900 + 900 paid; the 900 of March returned; January's 800 reversed in April.
        amount: "2100.00",
        personTimes: 3,
        distinctBeneficiaries: 3,
        gross: { amount: "3800.00", payments: 5 },
        reversed: { count: 1, amount: "800.00" },
        returned: { count: 1, amount: "900.00" },
      }),
    ]);
    const funds = await api.send("GET", `${base}/reports/funds?from=2010-01&to=2010-04`, { token: auditor });
    const relief = funds.json.funds.find((fund: { fundId: string }) => fund.fundId === "relief");
    expect(relief).toMatchObject({
      opening: "0.00",
      collected: "10000.00",
      paidOut: "3800.00",
      transfersIn: "1000.00",
      returns: "900.00",
      reversals: "800.00",
      closing: "8900.00",
    });
    expect((await api.journal.head(book)).state.funds.relief?.balance).toBe(890_000n);
    const collections = await api.send("GET", `${base}/reports/collections?from=2010-01&to=2010-04`, {
      token: auditor,
    });
    expect(collections.json).toMatchObject({
      total: "13000.00",
      bySource: { dues: "3000.00", "upper-subsidy": "10000.00" },
    });
    const csv = await api.send("GET", `${base}/reports/programmes?from=2010-01&to=2010-04&format=csv`, {
      token: auditor,
    });
    // Row 1 is the header: no title above it.
    expect(csv.text.startsWith("\uFEFFProgramme id,Programme,Fund id,Amount,Person-times,")).toBe(true);
    expect(csv.text).toContain("winter,送温暖,relief,2100.00,3,3,");
  });

  it("reads closed months from stored rollups, a dozen reads for a year, not a replay", async () => {
    let queries = 0;
    api.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "QueryCommand") queries += 1;
        return next(args);
      },
      { step: "initialize", name: "countQueries" },
    );
    await rollupsFor(api.journal, book, "2010-01", "2010-03");
    api.client.middlewareStack.remove("countQueries");
    expect(queries).toBe(0);
  });

  it("refolds a rollup made stale by an entry that arrived while it was folded", async () => {
    const other = "rollup-stale";
    const admin = await api.token("admin");
    await api.send("POST", "/v1/books", {
      token: admin,
      body: { id: other, name: "基层工会", currency: "CNY", openedOn: "2010-04-01" },
    });
    await api.send("POST", `/v1/books/${other}/funds`, {
      token: finance,
      body: { id: "general", name: "经费", restricted: false },
    });
    const stale = (await rollupsFor(api.journal, other, "2010-04", "2010-04"))[0] as Rollup;
    await api.send("POST", `/v1/books/${other}/collections`, {
      token: finance,
      body: { fundId: "general", source: "dues", amount: "5.00", receivedOn: "2010-04-01" },
    });
    const refused = await api.journal.append(
      other,
      ledgerAppend(
        other,
        { type: "close-period", period: "2010-04", rollup: stale },
        { idempotencyKey: "stale", actor: { sub: "t", role: "system" }, clock: () => new Date("2010-05-02T00:00:00Z") },
      ),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: "rollup-stale", events: 2, recorded: 3 } });
    const closed = await closeMonth(api.journal, other, "2010-04", { clock: () => new Date("2010-05-02T00:00:00Z") });
    expect(closed.status).toBe("closed");
  });

  it("runs as the nightly job for every book, and again without writing anything", async () => {
    // April closes on 10 May (the default policy: ten days after the month ends), not before.
    const early = await runMonthlyRollup(api.journal, { clock: () => new Date("2010-05-09T00:00:00Z") });
    expect(early[book]?.map((result) => `${result.period}:${result.status}`)).toEqual(["2010-04:provisional"]);
    const may = () => new Date("2010-05-10T00:00:00Z");
    const first = await runMonthlyRollup(api.journal, { clock: may });
    expect(first[book]?.map((result) => `${result.period}:${result.status}`)).toEqual(["2010-04:closed"]);
    const seq = (await api.journal.head(book)).seq;
    const second = await runMonthlyRollup(api.journal, { clock: may });
    expect(second[book]).toEqual([]);
    expect((await api.journal.head(book)).seq).toBe(seq);
  });

  it("closes months from the command line", () => {
    const run = spawnSync(
      process.execPath,
      [join(import.meta.dirname, "../packages/jobs/src/cli.ts"), "--book", book, "--month", "2010-04"],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          LEDGER_DYNAMODB_ENDPOINT: api.endpoint,
          LEDGER_JOURNAL_TABLE: api.tables.journal,
          LEDGER_STATE_TABLE: api.tables.state,
        },
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${book}: nothing to close`);
    const bad = spawnSync(
      process.execPath,
      [join(import.meta.dirname, "../packages/jobs/src/cli.ts"), "--book", book],
      { encoding: "utf8" },
    );
    expect(bad.status).toBe(2);
  });

  it("closes no month after a book's last entry: a book nobody uses gains no closing entries", async () => {
    const quiet = "rollup-quiet";
    const append = async (command: Command, key: string, at: string) => {
      const result = await api.journal.append(
        quiet,
        ledgerAppend(quiet, command, {
          idempotencyKey: key,
          actor: { sub: "t", role: "finance" },
          clock: () => new Date(at),
        }),
      );
      if (!result.ok) throw new Error(result.error.message);
    };
    const collect = (amount: string, receivedOn: string): Command => ({
      type: "record-collection",
      fundId: "relief",
      source: "dues",
      amount,
      receivedOn,
    });
    await append(
      { type: "open-book", name: "基层工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
      "open",
      "2010-01-02T00:00:00Z",
    );
    await append(
      { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true, on: "2010-01-01" },
      "fund",
      "2010-01-02T00:00:00Z",
    );
    await append(collect("10.00", "2010-02-03"), "feb", "2010-02-03T00:00:00Z");
    const periods = (report: Awaited<ReturnType<typeof runMonthlyRollup>>) =>
      report[quiet]?.map((result) => `${result.period}:${result.status}`);

    // Two years later, the months through the last entry have closed, and the year 2010 with them:
    // its December, with the empty months before it under one PeriodClosed. Run again, nothing.
    const later = () => new Date("2012-06-15T00:00:00Z");
    const first = (await runMonthlyRollup(api.journal, { clock: later }))[quiet];
    expect(periods({ [quiet]: first ?? [] })).toEqual(["2010-01:closed", "2010-02:closed", "2010-12:closed"]);
    expect(first?.at(-1)).toMatchObject({ from: "2010-03", annualReportHash: expect.any(String) });
    const seq = (await api.journal.head(quiet)).seq;
    expect(periods(await runMonthlyRollup(api.journal, { clock: later }))).toEqual([]);
    expect((await api.journal.head(quiet)).seq).toBe(seq);
    expect((await rollupsFor(api.journal, quiet, "2010-03", "2010-03"))[0]).toMatchObject({ events: 0 });
    // 2011 had no entry: it gains no closing entries.
    expect((await api.journal.head(quiet)).state.closedThrough).toBe("2010-12");

    // An entry in June 2011 closes the months up to it once June is due; July stays open.
    await append(collect("5.00", "2011-06-20"), "jun", "2011-06-20T00:00:00Z");
    const august = () => new Date("2011-08-02T00:00:00Z");
    const june = (await runMonthlyRollup(api.journal, { clock: august }))[quiet];
    expect(periods({ [quiet]: june ?? [] })).toEqual(["2011-06:closed"]);
    expect(june?.[0]).toMatchObject({ from: "2011-01" });
    // An entry in August: July, without entries, waits to close with August, once August is due.
    await append(collect("1.00", "2011-08-01"), "aug", "2011-08-01T00:00:00Z");
    const lateAugust = () => new Date("2011-08-20T00:00:00Z");
    expect(periods(await runMonthlyRollup(api.journal, { clock: lateAugust }))).toEqual([]);
    const september = () => new Date("2011-09-10T00:00:00Z");
    const closedAugust = (await runMonthlyRollup(api.journal, { clock: september }))[quiet];
    expect(closedAugust).toMatchObject([{ period: "2011-08", status: "closed", from: "2011-07" }]);
    expect((await api.journal.head(quiet)).state.closedThrough).toBe("2011-08");
  });

  it("logs from the command line as the scheduled job does: a line per month closed, one for the run", () => {
    // Today, years after 2010: every book of this file has months due, the quiet one's 2011 included.
    const run = spawnSync(process.execPath, [join(import.meta.dirname, "../packages/jobs/src/cli.ts")], {
      encoding: "utf8",
      env: {
        ...process.env,
        LEDGER_LOG_LEVEL: "info",
        LEDGER_DYNAMODB_ENDPOINT: api.endpoint,
        LEDGER_JOURNAL_TABLE: api.tables.journal,
        LEDGER_STATE_TABLE: api.tables.state,
      },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const closed = lines.filter((line) => line.message === "month closed");
    expect(closed).toContainEqual(
      expect.objectContaining({
        service: "relief-ledger-rollup",
        book: "rollup-quiet",
        month: "2011-12",
        status: "closed",
      }),
    );
    const summary = lines.find((line) => line.message === "rollup run");
    expect(summary).toMatchObject({ level: "INFO", closed: closed.length, durationMs: expect.any(Number) });
    // Beside them, the lines for people.
    expect(run.stdout).toContain("rollup-quiet 2011-12: closed");
  });
});
