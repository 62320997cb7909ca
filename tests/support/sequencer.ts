import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take most of a run, slowest first, as measured on a 2-core machine (seconds, in a
 * whole run). A fresh clone has no timings of its own (vitest keeps them under node_modules), and
 * vitest then starts the largest files first, which are not the slowest: a slow file started last
 * leaves one worker idle while the other finishes it. Started first, the two workers end together.
 */
export const SLOW_FILES: readonly (readonly [file: string, seconds: number])[] = [
  ["tests/start.test.ts", 74],
  ["tests/durability.test.ts", 72],
  ["tests/demo.test.ts", 63],
  ["tests/api-auditor-queries.test.ts", 61],
  ["tests/api-roster-import.test.ts", 49],
  ["tests/api-batches.test.ts", 42],
  ["tests/bench.test.ts", 35],
  ["tests/api-bank-files.test.ts", 32],
  ["tests/dashboard.test.ts", 31],
  ["tests/dynamo-local.test.ts", 22],
  ["tests/journal-handoff.test.ts", 17],
  ["tests/cli.test.ts", 16],
];

/** Vitest's own order (failed first, then by the last run's durations, else by size), the slow files ahead of it. */
export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = SLOW_FILES.findIndex(([file]) => spec.moduleId.endsWith(`/${file}`));
      return at < 0 ? SLOW_FILES.length : at;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return ordered.sort((a, b) => rank(a) - rank(b));
  }
}
