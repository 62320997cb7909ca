import { BatchGetItemCommand } from "@aws-sdk/client-dynamodb";
import { rollupRef } from "@relief-ledger/core";
import { closeThrough, refKey, type TableNames, toItem } from "@relief-ledger/store";
import { freshTables } from "./lib/dynamo.ts";
import { BENCH_CLOCK, bareClient, createRig, fillMonth, setUpBook } from "./lib/ledger.ts";
import { percentile, ratio, round, timed } from "./lib/stats.ts";

export type ReportFigures = {
  events: number;
  months: number;
  /** Seconds to write the year through the app, and to close its 12 months with the rollup job. */
  buildSeconds: number;
  closeSeconds: number;
  latencyMs: number;
  latencyP99Ms: number;
  /** Of the p50 request, the time its DynamoDB calls took (the rest: folding 12 rollups into JSON). */
  inSdkP50Ms: number;
  requests: number;
  /** DynamoDB reads one GET /reports/annual/{year} makes. */
  dynamoReads: number;
  /** One BatchGetItem of the 12 stored rollups, from a bare client. */
  floorMs: number;
  floorReads: 1;
  /** Bytes of the 12 rollup items, as DynamoDB returned them. */
  rollupBytes: number;
  ratio: number;
};

const MONTHS = Array.from({ length: 12 }, (_, n) => `2010-${String(n + 1).padStart(2, "0")}`);

export type ReportBook = {
  readonly endpoint: string;
  readonly tables: TableNames;
  readonly book: string;
  readonly payouts: number;
  readonly buildSeconds: number;
  readonly closeSeconds: number;
};

/**
 * The report's book: a year of `eventsPerMonth` events a month, written through the app in payout
 * batches, its 12 months then closed by the monthly job (each PeriodClosed stores its rollup).
 */
export async function buildReportBook(
  endpoint: string,
  options: { eventsPerMonth: number; households: number },
): Promise<ReportBook> {
  const tables = await freshTables(endpoint, "reports");
  const rig = createRig(endpoint, tables);
  const book = "reports";
  const started = performance.now();
  const ids = await setUpBook(rig.journal, book, { balance: "1000000000.00", households: options.households });
  for (const month of MONTHS) {
    const before = (await rig.journal.head(book)).state.openMonths?.[month]?.count ?? 0;
    await fillMonth(rig, book, ids, month, before + options.eventsPerMonth);
  }
  let payouts = 0;
  for await (const page of rig.journal.read(book, { pageSize: 1000 }))
    payouts += page.filter((event) => event.type === "PayoutRecorded").length;
  const built = performance.now();
  const closed = await closeThrough(rig.journal, book, "2010-12", { clock: BENCH_CLOCK });
  if (closed.length !== 12 || closed.some((result) => result.status !== "closed")) {
    throw new Error(`closing 2010: ${JSON.stringify(closed).slice(0, 300)}`);
  }
  rig.client.destroy();
  return {
    endpoint,
    tables,
    book,
    payouts,
    buildSeconds: (built - started) / 1000,
    closeSeconds: (performance.now() - built) / 1000,
  };
}

/**
 * 5. Reports: the annual report of the closed year asked for `requests` times, from an app
 * instance that did not write the book, against one BatchGetItem of the 12 rollups it is made of.
 */
export async function reportsBench(book: ReportBook, options: { requests: number }): Promise<ReportFigures> {
  const { endpoint, tables } = book;
  const reader = createRig(endpoint, tables);
  const head = await reader.journal.head(book.book);
  const floor = bareClient(endpoint);
  const keys = MONTHS.map((month) => toItem(refKey(book.book, rollupRef(month)).key as Record<string, string>));
  const batchGet = () =>
    floor.send(new BatchGetItemCommand({ RequestItems: { [tables.state]: { Keys: keys, ConsistentRead: true } } }));
  const latencies: number[] = [];
  const floors: number[] = [];
  const inSdk: number[] = [];
  let rollupBytes = 0;
  const readsBefore = reader.tap.reads();
  for (let n = 0; n < options.requests; n++) {
    const sdkBefore = reader.tap.time();
    const { ms, value } = await timed(() =>
      reader.send("GET", `/v1/books/${book.book}/reports/annual/2010`, { as: "auditor" }),
    );
    inSdk.push(reader.tap.time() - sdkBefore);
    const winter = (value.json.programmes as { programId: string; personTimes: number }[] | undefined)?.find(
      (line) => line.programId === "winter",
    );
    if (value.status !== 200 || winter?.personTimes !== book.payouts) {
      throw new Error(`annual report: ${value.status} ${JSON.stringify(value.json).slice(0, 300)}`);
    }
    latencies.push(ms);
    const bare = await timed(batchGet);
    const items = bare.value.Responses?.[tables.state] ?? [];
    if (items.length !== 12 || bare.value.UnprocessedKeys?.[tables.state]) {
      throw new Error("the floor's BatchGetItem did not return the 12 rollups at once");
    }
    rollupBytes = JSON.stringify(items).length;
    floors.push(bare.ms);
  }
  const reads = (reader.tap.reads() - readsBefore) / options.requests;
  reader.client.destroy();
  floor.destroy();
  const latency = percentile(latencies, 50);
  const floorMs = percentile(floors, 50);
  return {
    events: head.seq,
    months: 12,
    buildSeconds: round(book.buildSeconds),
    closeSeconds: round(book.closeSeconds),
    latencyMs: round(latency),
    latencyP99Ms: round(percentile(latencies, 99)),
    inSdkP50Ms: round(percentile(inSdk, 50)),
    requests: options.requests,
    dynamoReads: round(reads),
    floorMs: round(floorMs),
    floorReads: 1,
    rollupBytes,
    ratio: ratio(latency, floorMs),
  };
}
