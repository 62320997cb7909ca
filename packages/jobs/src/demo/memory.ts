import { MemoryLedger } from "@relief-ledger/core";
import type { DemoScript } from "./script.ts";

/** "Today" for the demo: a few days into 2011, so every business date of 2010 is in the past. */
export const DEMO_TODAY = "2011-01-10";

/**
 * Runs the script in memory (core's decide and evolve, no DynamoDB) and fails on the first
 * refusal, or on a batch line refused inside a recorded chunk: the demo has no mistakes it
 * does not mean to make.
 */
export function runInMemory(script: DemoScript): MemoryLedger {
  const ledger = new MemoryLedger(script.book, DEMO_TODAY);
  script.steps.forEach((step, index) => {
    const result = ledger.execute(step.command, step.actor);
    if (!result.ok) {
      throw new Error(
        `demo step ${index} (${step.idempotencyKey}) refused: ${result.error.code}: ${result.error.message}`,
      );
    }
    for (const event of result.value) {
      const refused = event.type === "PayoutBatchChunkRecorded" ? (event.payload.refused as unknown[]) : [];
      if (refused.length > 0) {
        throw new Error(`demo step ${index} (${step.idempotencyKey}) refused lines: ${JSON.stringify(refused)}`);
      }
    }
  });
  return ledger;
}
