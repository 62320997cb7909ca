import { type EventDraft, MemoryLedger } from "@relief-ledger/core";
import type { DemoScript } from "./script.ts";

/**
 * What the demo does not mean to record, though the ledger records it: a batch line refused inside
 * a recorded chunk, or an approval that found its entry refused on re-check and voided it.
 */
export function unmeant(events: readonly Pick<EventDraft, "type" | "payload">[]): string | undefined {
  for (const { type, payload } of events) {
    const refused = type === "PayoutBatchChunkRecorded" ? (payload.refused as unknown[]) : [];
    if (refused.length > 0) return `refused lines: ${JSON.stringify(refused)}`;
    if (type === "ProposalVoided" && payload.reason === "recheck-failed") {
      return `voided on approval: ${JSON.stringify(payload.refusal)}`;
    }
  }
  return undefined;
}

/**
 * Runs the script in memory (core's decide and evolve, no DynamoDB), each step as of its business
 * date, and fails on the first refusal, on anything unmeant, or on a step that records other than
 * the events the script counts for it: the demo has no mistakes it does not mean to make.
 */
export function runInMemory(script: DemoScript): MemoryLedger {
  const ledger = new MemoryLedger(script.book);
  script.steps.forEach((step, index) => {
    const fail = (why: string) => new Error(`demo step ${index} (${step.idempotencyKey}) ${why}`);
    ledger.setToday(step.today);
    const result = ledger.execute(step.command, step.actor);
    if (!result.ok) throw fail(`refused: ${result.error.code}: ${result.error.message}`);
    const mistake = unmeant(result.value);
    if (mistake) throw fail(mistake);
    if (result.value.length !== step.events) throw fail(`recorded ${result.value.length} events, not ${step.events}`);
  });
  return ledger;
}
