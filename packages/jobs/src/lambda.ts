import { invokeCheckpointAfterClose, runObservedRollup } from "@relief-ledger/store";
import { jobRuntime } from "./lambda-support.ts";

const { journal, log, metrics } = jobRuntime("relief-ledger-rollup");
const checkpointFunction = process.env.LEDGER_CHECKPOINT_FUNCTION;

/**
 * The monthly cron: closes every book's finished months. EventBridge may deliver an event twice
 * and Lambda retries a failed run; both are safe, because closing a closed month writes nothing.
 * A refusal is thrown so that the run counts as failed: after Lambda's retries the event goes to
 * the dead-letter queue (infra/rollup.ts), which is alarmed, as is the failure metric.
 */
export async function handler(): Promise<Record<string, unknown>> {
  const { report, refused } = await runObservedRollup(journal, {
    log,
    metrics,
    ...(checkpointFunction ? { afterClose: invokeCheckpointAfterClose(checkpointFunction) } : {}),
  });
  if (refused.length > 0) throw new Error(`monthly rollup refused for ${refused.join(", ")}`);
  return report;
}
