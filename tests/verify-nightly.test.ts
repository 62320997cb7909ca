import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { JournalEvent } from "@relief-ledger/core";
import { dynamoCursors, eventToItem, SWEEP_RUNS, verifyBooksNightly } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, reliefBook } from "./support/books.ts";
import { captureTelemetry } from "./support/telemetry.ts";

let api: Api;
const book = "nightly-2010";

beforeAll(async () => {
  api = await startApi();
  const tokens = { admin: await api.token("admin"), finance: await api.token("finance", [book]) };
  const { base, ok } = await reliefBook(api, tokens, book, {
    balance: "100000.00",
    program: { id: "winter", name: "送温暖", methods: ["cash"] },
    households: 30,
  });
  for (let n = 0; n < 30; n++) {
    await ok(`${base}/collections`, {
      fundId: "relief",
      source: "dues",
      amount: `${n + 1}.00`,
      receivedOn: "2010-03-01",
    });
  }
});

describe("the nightly chain verification", () => {
  it("finds an edit to an old entry within a week, logs its seq and counts the failure", async () => {
    const telemetry = captureTelemetry("relief-ledger-verify");
    const cursors = dynamoCursors(api.client, api.tables);
    const night = () => verifyBooksNightly(api.journal, cursors, { log: telemetry.log, metrics: telemetry.metrics });

    // The first night reads the whole book, and finds it whole.
    const [first] = await night();
    const events = await journalEvents(api, book);
    expect(first).toMatchObject({ book, ok: true, checked: events.length });
    expect(telemetry.metricTotal("ChainVerificationFailures")).toBe(0);
    expect(telemetry.metricTotal("ChainVerifications")).toBe(1);

    // An insider edits an amount of 2010-03 in place (no new hash): an old entry, not a new one.
    const victim = events[5] as JournalEvent;
    const edited = { ...victim, payload: { ...victim.payload, amount: "99999.00" } };
    await api.client.send(new PutItemCommand({ TableName: api.tables.journal, Item: eventToItem(edited) }));

    let found: number | undefined;
    for (let run = 1; run <= SWEEP_RUNS && found === undefined; run++) {
      const [result] = await night();
      if (result && !result.ok) found = run;
    }
    expect(found).toBeDefined();
    const broken = telemetry.lines.find((line) => line.message === "chain broken");
    expect(broken).toMatchObject({ level: "ERROR", book, firstBadSeq: victim.seq, reason: "hash-mismatch" });
    expect(telemetry.metricTotal("ChainVerificationFailures")).toBe(1);

    // A broken book keeps its cursor: the next night finds the same break again.
    const [again] = await night();
    expect(again).toMatchObject({ ok: false, firstBreak: { seq: victim.seq } });
    expect(telemetry.metricTotal("ChainVerificationFailures")).toBe(2);
    for (const line of telemetry.emf) expect(line).not.toHaveProperty("book");
  });
});
