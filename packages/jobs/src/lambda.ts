import { invokeCheckpointAfterClose, METRIC, runMonthlyRollup } from "@relief-ledger/store";
import { jobRuntime } from "./lambda-support.ts";

const { journal, log, metrics } = jobRuntime("relief-ledger-rollup");
const checkpointFunction = process.env.LEDGER_CHECKPOINT_FUNCTION;

/**
 * The monthly cron: closes every book's finished months. EventBridge may deliver an event twice
 * and Lambda retries a failed run; both are safe, because closing a closed month writes nothing.
 * A refusal is thrown so that the run counts as failed: after Lambda's retries the event goes to
 * the dead-letter queue (infra/rollup.ts), whose alarm and the failure metric's say so.
 */
export async function handler(): Promise<Record<string, unknown>> {
  const started = performance.now();
  let refused: string[] = [];
  try {
    const report = await runMonthlyRollup(
      journal,
      checkpointFunction ? { afterClose: invokeCheckpointAfterClose(checkpointFunction) } : {},
    );
    let closed = 0;
    for (const [book, results] of Object.entries(report)) {
      for (const result of results) {
        const { status, period } = result;
        if (status === "closed") closed += 1;
        const fields = { book, month: period, status, ...(status === "closed" ? { seq: result.seq } : {}) };
        if (status === "refused") log.error({ message: "month refused", ...fields, code: result.error.code });
        else if (status === "closed") log.info({ message: "month closed", ...fields });
        else log.debug({ message: "month folded", ...fields });
      }
    }
    refused = Object.entries(report).flatMap(([book, results]) =>
      results.filter((result) => result.status === "refused").map((result) => `${book} ${result.period}`),
    );
    const durationMs = Math.round(performance.now() - started);
    log.info({ message: "rollup run", books: Object.keys(report).length, closed, refused: refused.length, durationMs });
    metrics.count(METRIC.rollupMonthsClosed, closed);
    metrics.milliseconds(METRIC.rollupDuration, durationMs);
    metrics.count(METRIC.rollupFailures, refused.length > 0 ? 1 : 0);
    if (refused.length > 0) throw new Error(`monthly rollup refused for ${refused.join(", ")}`);
    return report;
  } catch (error) {
    if (refused.length === 0) {
      metrics.count(METRIC.rollupFailures, 1);
      log.error({ message: "rollup run failed", durationMs: Math.round(performance.now() - started) }, error as Error);
    }
    throw error;
  } finally {
    metrics.flush();
  }
}
