import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { batchApprovalBench, type PhaseFigures } from "../bench/batch-approval.ts";
import { importBench } from "../bench/import.ts";
import { dynamoEndpoint } from "./support/dynamo.ts";

/**
 * Benchmarks are not tests: this only proves that `npm run bench -- --quick` runs and writes a
 * well-formed results file. It asserts no timing. The quick run writes to a temporary file, so
 * the committed bench/results.json (from a full run) is left alone, and it uses the test run's
 * DynamoDB Local rather than starting a second one.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "relief-ledger-bench-"));
const RUN_TIMEOUT_MS = 150_000;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, unknown>;

const positive = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value > 0;

/** A benchmark's figure, its floor and their ratio: present, finite, positive. */
function expectFigureFloorRatio(name: string, bench: Json, figure: unknown, floor: unknown, ratio: unknown) {
  expect(positive(figure), `${name}: figure ${JSON.stringify(figure)}`).toBe(true);
  expect(positive(floor), `${name}: floor ${JSON.stringify(floor)}`).toBe(true);
  expect(positive(ratio), `${name}: ratio ${JSON.stringify(ratio)}`).toBe(true);
  expect(bench).toBeTypeOf("object");
}

describe("npm run bench -- --quick", () => {
  it(
    "runs every benchmark and writes each figure beside its floor and their ratio",
    async () => {
      const out = join(dir, "results.json");
      const { stdout } = await run(process.execPath, ["bench/run.ts", "--quick", "--out", out], {
        cwd: root,
        timeout: RUN_TIMEOUT_MS,
        maxBuffer: 4 * 1024 * 1024,
        env: { ...process.env, LEDGER_DYNAMODB_ENDPOINT: dynamoEndpoint() },
      });
      expect(stdout).toMatch(/benchmark\s+figure\s+floor\s+ratio/);

      const results = JSON.parse(readFileSync(out, "utf8")) as Record<string, Json>;
      expect(Object.keys(results).sort()).toEqual(
        [
          "append",
          "batch",
          "batchApproval",
          "coldStart",
          "contended",
          "durability",
          "import",
          "meta",
          "reports",
          "rollup",
        ].sort(),
      );
      const { meta, append, contended, batch, rollup, reports, coldStart, durability, batchApproval } =
        results as Record<string, Json> & {
          rollup: Json & { sizes: Json[] };
          coldStart: Json & { api: Json; rollup: Json };
          batchApproval: Json & { propose: Json; approve: Json };
        };
      expect(meta).toMatchObject({ quick: true, node: expect.stringMatching(/^v\d+/) });
      expect(positive(meta?.durationMs)).toBe(true);

      expect(append).toEqual(
        expect.objectContaining({
          p50Ms: expect.any(Number),
          p99Ms: expect.any(Number),
          floorP50Ms: expect.any(Number),
          floorP99Ms: expect.any(Number),
          p50Ratio: expect.any(Number),
          samples: expect.any(Number),
        }),
      );
      expectFigureFloorRatio("append", append as Json, append?.p50Ms, append?.floorP50Ms, append?.p50Ratio);

      // The race must not break the money: the benchmark checks the book it wrote.
      expect(contended).toMatchObject({ clients: 32, overdrafts: 0, duplicates: 0, contiguous: true });
      expect(contended?.retriesPerAppend).toBeTypeOf("number");
      expect(contended?.handedOffPerAppend).toBeTypeOf("number");
      expect(contended?.latencyP99Ms).toBeGreaterThanOrEqual(contended?.latencyP50Ms as number);
      expect(contended?.latencyP50Ms).toBeGreaterThan(0);
      expectFigureFloorRatio(
        "contended",
        contended as Json,
        contended?.payoutsPerSecond,
        contended?.floorPayoutsPerSecond,
        contended?.ratio,
      );

      expect(batch?.lines).toBeGreaterThan(0);
      expectFigureFloorRatio("batch", batch as Json, batch?.linesPerSecond, batch?.floorLinesPerSecond, batch?.ratio);

      expect(rollup.sizes).toHaveLength(3);
      const events = rollup.sizes.map((size) => size.events as number);
      expect(events).toEqual([...events].sort((a, b) => a - b));
      for (const size of rollup.sizes) {
        expect(positive(size.eventsPerSecond) && positive(size.peakRssMb)).toBe(true);
        expect(size.heapUsedDeltaMb).toBeTypeOf("number");
      }
      expectFigureFloorRatio(
        "rollup",
        rollup,
        rollup.sizes.at(-1)?.eventsPerSecond,
        rollup.floorEventsPerSecond,
        rollup.ratio,
      );

      expect(reports).toMatchObject({ months: 12 });
      expect(positive(reports?.events) && positive(reports?.dynamoReads)).toBe(true);
      expectFigureFloorRatio("reports", reports as Json, reports?.latencyMs, reports?.floorMs, reports?.ratio);

      expectFigureFloorRatio("coldStart", coldStart, coldStart.api.importMs, coldStart.floorMs, coldStart.ratio);
      expect(positive(coldStart.rollup.importMs)).toBe(true);

      expectFigureFloorRatio(
        "durability",
        durability as Json,
        durability?.appendDurableP50Ms,
        durability?.appendUnawaitedP50Ms,
        durability?.durableRatio,
      );
      // One barrier per transaction at most, shared when transactions finish together.
      expect(durability?.durableRequestsPerAppend).toBeGreaterThan(1);
      expect(durability?.durableRequestsPerAppend).toBeLessThanOrEqual(2);
      expectFigureFloorRatio(
        "checkpoints",
        durability as Json,
        durability?.checkpointEntriesPerSecond,
        durability?.floorEntriesPerSecond,
        durability?.checkpointRatioToFloor,
      );
      expect(positive(durability?.verifyEntriesPerSecond) && positive(durability?.appendWithCheckpointsP50Ms)).toBe(
        true,
      );

      expect(batchApproval).toMatchObject({
        propose: { payoutsRecorded: 0 },
        approve: { payoutsRecorded: batchApproval.lines },
      });
      for (const phase of ["propose", "approve"] as const) {
        const { linesPerSecond, floorLinesPerSecond, ratio } = batchApproval[phase];
        expectFigureFloorRatio(`batchApproval.${phase}`, batchApproval, linesPerSecond, floorLinesPerSecond, ratio);
      }
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it("times a roster import beside the same transactions sent bare, having registered every row", async () => {
    const figures = await importBench(dynamoEndpoint(), { rows: 60 });
    // 60 rows: chunks of 24, 24 and 12, one transaction each, every row registered.
    expect(figures).toMatchObject({ rows: 60, status: 201, registered: 60, transactions: 3 });
    expectFigureFloorRatio(
      "import",
      figures as unknown as Json,
      figures.rowsPerSecond,
      figures.floorRowsPerSecond,
      figures.ratio,
    );
  });
});

describe("the batch-under-approval benchmark, at 100 lines", () => {
  it(
    "records no payout when the batch is proposed, every line once when it is approved, and well-formed figures",
    async () => {
      const lines = 100;
      const figures = await batchApprovalBench(dynamoEndpoint(), { lines });
      // 100 lines cross two chunk boundaries (48 lines a chunk): three proposals, one approval.
      expect(figures).toMatchObject({ lines, proposals: 3 });
      // Read back from the journal: the proposal holds the lines, the approval pays them.
      expect(figures.propose).toMatchObject({ events: 3, payoutsRecorded: 0, transactions: 3 });
      expect(figures.approve.payoutsRecorded).toBe(lines);
      expect(figures.approve.events).toBeGreaterThan(lines);
      expect(figures.approve.transactions).toBe(3);
      for (const [name, phase] of Object.entries({ propose: figures.propose, approve: figures.approve })) {
        for (const field of [
          "ms",
          "linesPerSecond",
          "transactions",
          "itemsPerTransaction",
          "reads",
          "floorMs",
          "floorLinesPerSecond",
          "ratio",
        ] as const satisfies (keyof PhaseFigures)[]) {
          expect(positive(phase[field]), `${name}.${field}: ${phase[field]}`).toBe(true);
        }
        // A chunk is one transaction: never past DynamoDB's 100 items.
        expect(phase.itemsPerTransaction).toBeLessThanOrEqual(100);
      }
    },
    RUN_TIMEOUT_MS,
  );
});
