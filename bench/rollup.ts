import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TableNames } from "@relief-ledger/store";
import { freshTables } from "./lib/dynamo.ts";
import { createRig, fillMonth, setUpBook } from "./lib/ledger.ts";
import { ratio, round } from "./lib/stats.ts";
import type { ChildResult, ChildTask } from "./rollup-child.ts";

const run = promisify(execFile);
const PERIOD = "2010-03";

export type RollupSize = {
  events: number;
  eventsPerSecond: number;
  peakRssMb: number;
  heapUsedDeltaMb: number;
  baselineRssMb: number;
  /** The same fold under --max-old-space-size=heapCapMb. */
  cappedEventsPerSecond: number;
  cappedPeakRssMb: number;
  cappedHeapUsedDeltaMb: number;
  /** Query alone over the same range, in a process of its own. */
  floorEventsPerSecond: number;
  floorPeakRssMb: number;
};

export type RollupFigures = {
  sizes: RollupSize[];
  /** Seconds it took to write the month through the app (batches of up to 5,000 lines). */
  buildSeconds: number;
  heapCapMb: number;
  /** Peak RSS of the largest size minus that of the smallest: near zero when memory is flat. */
  peakRssGrowthMb: number;
  cappedPeakRssGrowthMb: number;
  floorEventsPerSecond: number;
  ratio: number;
};

/** The old-space cap of the second fold: far below what V8 lets the heap grow to when it may. */
const HEAP_CAP_MB = 64;

async function child(task: ChildTask, heapCapMb?: number): Promise<ChildResult> {
  const script = join(import.meta.dirname, "rollup-child.ts");
  const cap = heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : [];
  const { stdout } = await run(process.execPath, ["--expose-gc", ...cap, script, JSON.stringify(task)], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ChildResult;
}

export type RollupBook = {
  readonly endpoint: string;
  readonly tables: TableNames;
  readonly book: string;
  readonly firstSeq: number;
  readonly buildSeconds: number;
};

/**
 * The rollup's book: one month (March 2010) of at least `events` events, written through the app
 * in payout batches of up to 5,000 lines, to `households` households.
 */
export async function buildRollupBook(
  endpoint: string,
  options: { events: number; households: number },
): Promise<RollupBook> {
  const tables = await freshTables(endpoint, "rollup");
  const rig = createRig(endpoint, tables);
  const book = "rollup";
  const started = performance.now();
  const ids = await setUpBook(rig.journal, book, { balance: "1000000000.00", households: options.households });
  const month = await fillMonth(rig, book, ids, PERIOD, options.events);
  rig.client.destroy();
  return { endpoint, tables, book, firstSeq: month.firstSeq, buildSeconds: (performance.now() - started) / 1000 };
}

/**
 * 4. Rollup: the month folded (foldMonth, as the monthly job does) over its first 25k, 50k and
 * 100k events, each in a fresh process that reports its peak memory, beside Query alone over the
 * same range. Each fold runs twice: with V8's default heap, whose peak shows how lazily V8
 * collects, and under a small old-space cap, which it can only finish if it keeps nothing.
 */
export async function rollupBench(
  book: RollupBook,
  options: { sizes: readonly number[]; concurrent?: boolean },
): Promise<RollupFigures> {
  const sizes: RollupSize[] = [];
  for (const events of options.sizes) {
    const task = {
      endpoint: book.endpoint,
      tables: book.tables,
      book: book.book,
      period: PERIOD,
      firstSeq: book.firstSeq,
      lastSeq: book.firstSeq + events - 1,
    };
    const runs: (() => Promise<ChildResult>)[] = [
      () => child({ ...task, mode: "fold" }),
      () => child({ ...task, mode: "fold" }, HEAP_CAP_MB),
      () => child({ ...task, mode: "query" }),
    ];
    const results: ChildResult[] = [];
    if (options.concurrent) results.push(...(await Promise.all(runs.map((start) => start()))));
    else for (const start of runs) results.push(await start());
    const [fold, capped, query] = results as [ChildResult, ChildResult, ChildResult];
    if (fold.events !== events || capped.events !== events || query.events !== events) {
      throw new Error(`rollup of ${events}: folded ${fold.events} and ${capped.events}, queried ${query.events}`);
    }
    sizes.push({
      events,
      eventsPerSecond: round((1000 * events) / fold.ms),
      peakRssMb: round(fold.peakRssMb),
      heapUsedDeltaMb: round(fold.heapUsedDeltaMb),
      baselineRssMb: round(fold.baselineRssMb),
      cappedEventsPerSecond: round((1000 * events) / capped.ms),
      cappedPeakRssMb: round(capped.peakRssMb),
      cappedHeapUsedDeltaMb: round(capped.heapUsedDeltaMb),
      floorEventsPerSecond: round((1000 * events) / query.ms),
      floorPeakRssMb: round(query.peakRssMb),
    });
  }
  const last = sizes.at(-1) as RollupSize;
  const first = sizes[0] as RollupSize;
  return {
    sizes,
    buildSeconds: round(book.buildSeconds),
    heapCapMb: HEAP_CAP_MB,
    peakRssGrowthMb: round(last.peakRssMb - first.peakRssMb),
    cappedPeakRssGrowthMb: round(last.cappedPeakRssMb - first.cappedPeakRssMb),
    floorEventsPerSecond: last.floorEventsPerSecond,
    ratio: ratio(last.eventsPerSecond, last.floorEventsPerSecond),
  };
}
