import type { AppendFigures } from "./append.ts";
import type { BatchFigures } from "./batch.ts";
import type { BatchApprovalFigures } from "./batch-approval.ts";
import type { ColdStartFigures } from "./cold-start.ts";
import type { ContendedFigures } from "./contended.ts";
import type { DurabilityFigures } from "./durability.ts";
import type { ImportFigures } from "./import.ts";
import type { ReportFigures } from "./reports.ts";
import type { RollupFigures } from "./rollup.ts";

/** bench/results.json: one object per benchmark, each with its figures, its floor and their ratio. */
export type Results = {
  meta: {
    quick: boolean;
    node: string;
    startedAt: string;
    durationMs: number;
    dynamodb: string;
    cpus: number;
    /** The 1-minute load average when the run began and when it ended: how busy the machine was. */
    loadAverage: { start: number; end: number };
    /** What each ratio means. */
    ratios: string;
  };
  append: AppendFigures;
  contended: ContendedFigures;
  batch: BatchFigures;
  rollup: RollupFigures;
  reports: ReportFigures;
  coldStart: ColdStartFigures;
  durability: DurabilityFigures;
  batchApproval: BatchApprovalFigures;
  /** Absent from results written before the roster import. */
  import?: ImportFigures;
};

/** How big each benchmark is, full and --quick. */
export type Sizes = {
  appendSamples: number;
  /** Households the append benchmark pays in turn (each is paid once before timing starts). */
  appendHouseholds: number;
  contendedRequests: number;
  batchLines: number;
  /** Lines of the batch proposed and approved under a policy (benchmark 8). */
  approvalLines: number;
  rollupSizes: number[];
  reportEventsPerMonth: number;
  reportRequests: number;
  households: number;
  coldStartRuns: number;
  durabilitySamples: number;
  /** Whether a rollup size's three processes (fold, capped fold, query) may run at once: quick only. */
  rollupConcurrent: boolean;
  importRows: number;
};

export const FULL: Sizes = {
  appendSamples: 1000,
  appendHouseholds: 100,
  contendedRequests: 480,
  batchLines: 5000,
  approvalLines: 5000,
  rollupSizes: [25_000, 50_000, 100_000],
  reportEventsPerMonth: 10_000,
  reportRequests: 50,
  households: 5000,
  coldStartRuns: 10,
  durabilitySamples: 500,
  rollupConcurrent: false,
  importRows: 10_000,
};

/**
 * Sizes that check the harness, not the figures (npm test runs it on the suite's one DynamoDB
 * Local): the two books are written first and were most of a quick run, so they are a few hundred
 * events each; every chunked path still crosses a chunk boundary.
 */
export const QUICK: Sizes = {
  appendSamples: 100,
  appendHouseholds: 20,
  contendedRequests: 32,
  batchLines: 200,
  approvalLines: 100,
  rollupSizes: [100, 200, 400],
  reportEventsPerMonth: 50,
  reportRequests: 10,
  households: 50,
  coldStartRuns: 1,
  durabilitySamples: 40,
  rollupConcurrent: true,
  importRows: 120,
};
