/**
 * One rollup measurement in a process of its own, so that one size's garbage cannot flatter or
 * spoil the next: `node --expose-gc bench/rollup-child.ts '<json>'` prints one JSON line.
 * mode "fold": foldMonth over the seq range, as the monthly job does it (read, parse, fold).
 * mode "query": the same pages read with Query alone, nothing parsed or folded (the floor).
 */
import { readFileSync } from "node:fs";
import { type AttributeValue, QueryCommand } from "@aws-sdk/client-dynamodb";
import { emptyStart } from "@relief-ledger/core";
import { createDynamoClient, createLedgerJournal, foldMonth, type TableNames, toItem } from "@relief-ledger/store";

export type ChildTask = {
  readonly endpoint: string;
  readonly tables: TableNames;
  readonly book: string;
  readonly period: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly mode: "fold" | "query";
};

export type ChildResult = {
  events: number;
  ms: number;
  /** The process's resident set at its highest, start-up included (see peakRss). */
  peakRssMb: number;
  /** Resident set just before the fold began. */
  baselineRssMb: number;
  /** The heap's highest point during the fold, above where it stood when the fold began. */
  heapUsedDeltaMb: number;
};

const MB = 1024 * 1024;
const task = JSON.parse(process.argv[2] ?? "{}") as ChildTask;
const client = createDynamoClient(task.endpoint);
const journal = createLedgerJournal({ client, tables: task.tables });
const { state } = await journal.head(task.book);

const collect = (globalThis as { gc?: () => void }).gc;
collect?.();
const baselineRss = process.memoryUsage().rss;
const baselineHeap = process.memoryUsage().heapUsed;
let peakHeap = baselineHeap;
let sampledRss = baselineRss;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  sampledRss = Math.max(sampledRss, process.memoryUsage.rss());
}, 2);

/**
 * The resident set's high-water mark: the kernel's VmHWM, which belongs to this process's own
 * address space. Not getrusage's maxrss (process.resourceUsage().maxRSS): Linux carries that over
 * from the parent through fork and exec, so a child of a 300 MB runner "peaks" at 300 MB however
 * little it uses. Where there is no /proc, the highest of the samples taken between pages.
 */
function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return sampledRss;
}

async function queryOnly(): Promise<number> {
  let count = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: task.tables.journal,
        KeyConditionExpression: "#book = :book AND #seq BETWEEN :from AND :to",
        ExpressionAttributeNames: { "#book": "book", "#seq": "seq" },
        ExpressionAttributeValues: toItem({ ":book": task.book, ":from": task.firstSeq, ":to": task.lastSeq }),
        ConsistentRead: true,
        Limit: 1000,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    count += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

const start = performance.now();
const events =
  task.mode === "fold"
    ? (
        await foldMonth(
          journal,
          task.book,
          state,
          task.period,
          { firstSeq: task.firstSeq, lastSeq: task.lastSeq },
          emptyStart(),
        )
      ).events
    : await queryOnly();
const ms = performance.now() - start;
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
client.destroy();
const result: ChildResult = {
  events,
  ms,
  peakRssMb: peakRss() / MB,
  baselineRssMb: baselineRss / MB,
  heapUsedDeltaMb: (peakHeap - baselineHeap) / MB,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
