import type { BatchFigures } from "./batch.ts";
import type { BatchApprovalFigures } from "./batch-approval.ts";
import type { Results } from "./results.ts";

type Row = [name: string, figure: string, floor: string, ratio: string];

const x = (value: number) => `${value}×`;

/** Benchmark 3's row: a batch without approval, end to end. */
export const batchRows = (batch: BatchFigures): Row[] => [
  [
    `3 batch of ${batch.lines} lines`,
    `${batch.linesPerSecond} lines/s`,
    `${batch.floorLinesPerSecond} /s`,
    x(batch.ratio),
  ],
];

/** Benchmark 8's rows: each phase of a batch under approval beside the transactions it sent. */
export function batchApprovalRows(figures: BatchApprovalFigures): Row[] {
  const { lines, proposals, propose, approve } = figures;
  const row = (name: string, phase: BatchApprovalFigures["propose"]): Row => [
    `8 batch of ${lines} lines, ${name}`,
    `${phase.linesPerSecond} lines/s (${phase.ms} ms, ${phase.transactions} tx of ${phase.itemsPerTransaction} items, ${phase.reads} reads, ${phase.outsideSdkMs} ms outside the SDK)`,
    `${phase.floorLinesPerSecond} /s (${phase.floorMs} ms)`,
    x(phase.ratio),
  ];
  return [row(`proposed (202, ${proposals} proposals)`, propose), row("approved (201)", approve)];
}

/** The results as rows: what was measured, its floor, and figure ÷ floor. */
export function rows(results: Results): Row[] {
  const { append, contended, batch, rollup, reports, coldStart, durability, batchApproval } = results;
  return [
    ["1 append p50 (POST /payouts)", `${append.p50Ms} ms`, `${append.floorP50Ms} ms`, x(append.p50Ratio)],
    ["1 append p99", `${append.p99Ms} ms`, `${append.floorP99Ms} ms`, x(append.p99Ratio)],
    [
      `2 contended, ${contended.clients} instances`,
      `${contended.payoutsPerSecond} payouts/s, ${contended.handedOffPerAppend} handed over/append, p50 ${contended.latencyP50Ms} ms`,
      `${contended.floorPayoutsPerSecond} /s`,
      x(contended.ratio),
    ],
    [
      `2 contended, 1 instance`,
      `${contended.oneInstance.payoutsPerSecond} payouts/s, p50 ${contended.oneInstance.latencyP50Ms} ms`,
      `${contended.floorPayoutsPerSecond} /s`,
      x(contended.oneInstanceRatio),
    ],
    ...batchRows(batch),
    ...rollup.sizes.map(
      (size): Row => [
        `4 rollup of ${size.events} events`,
        `${size.eventsPerSecond} events/s, peak ${size.peakRssMb} MB (${size.cappedPeakRssMb} MB capped)`,
        `${size.floorEventsPerSecond} /s`,
        x(Math.round((100 * size.eventsPerSecond) / size.floorEventsPerSecond) / 100),
      ],
    ),
    [
      `5 annual report, ${reports.events} events`,
      `${reports.latencyMs} ms, ${reports.dynamoReads} reads`,
      `${reports.floorMs} ms, 1 read`,
      x(reports.ratio),
    ],
    ["6 cold start, API bundle", `${coldStart.api.importMs} ms`, `${coldStart.floorMs} ms`, x(coldStart.api.ratio)],
    // Measured in the same run: the bundle as it was before Powertools, beside today's.
    ...(coldStart.apiWithoutPowertools
      ? ([
          [
            "6 cold start, API bundle without Powertools",
            `${coldStart.apiWithoutPowertools.importMs} ms`,
            `${coldStart.floorMs} ms`,
            x(coldStart.apiWithoutPowertools.ratio),
          ],
        ] satisfies Row[])
      : []),
    [
      "6 cold start, rollup bundle",
      `${coldStart.rollup.importMs} ms`,
      `${coldStart.floorMs} ms`,
      x(coldStart.rollup.ratio),
    ],
    [
      "7 append p50, awaiting the commit",
      `${durability.appendDurableP50Ms} ms, ${durability.durableRequestsPerAppend} requests/append`,
      `${durability.appendUnawaitedP50Ms} ms unawaited`,
      x(durability.durableRatio),
    ],
    [
      `7 append p50, checkpoint every ${durability.checkpointEvery}`,
      `${durability.appendWithCheckpointsP50Ms} ms`,
      `${durability.appendDurableP50Ms} ms without`,
      x(durability.checkpointRatio),
    ],
    [
      `7 checkpoint of ${durability.checkpointEntries} entries`,
      `${durability.checkpointEntriesPerSecond} entries/s (verify ${durability.verifyEntriesPerSecond}/s)`,
      `${durability.floorEntriesPerSecond} /s read`,
      x(durability.checkpointRatioToFloor),
    ],
    ...batchApprovalRows(batchApproval),
    ...(results.import
      ? [
          [
            `9 roster import of ${results.import.rows} rows`,
            `${results.import.rowsPerSecond} rows/s, ${results.import.transactions} transactions`,
            `${results.import.floorRowsPerSecond} /s`,
            x(results.import.ratio),
          ] satisfies Row,
        ]
      : []),
  ];
}

/** The rows under a header, in columns. */
export function formatTable(results: Results | Row[]): string {
  const all: Row[] = [["benchmark", "figure", "floor", "ratio"], ...(Array.isArray(results) ? results : rows(results))];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  const line = (row: Row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(all[0] as Row), widths.map((width) => "-".repeat(width)).join("  "), ...all.slice(1).map(line)].join(
    "\n",
  );
}
