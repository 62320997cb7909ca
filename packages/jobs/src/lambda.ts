import {
  configFromEnv,
  createDynamoClient,
  createLedgerJournal,
  invokeCheckpointAfterClose,
  runMonthlyRollup,
} from "@relief-ledger/store";

const config = configFromEnv();
const journal = createLedgerJournal({ client: createDynamoClient(config.dynamoEndpoint), tables: config.tables });
const checkpointFunction = process.env.LEDGER_CHECKPOINT_FUNCTION;

/**
 * The monthly cron: closes every book's finished months. EventBridge may deliver an event twice
 * and Lambda retries a failed run; both are safe, because closing a closed month writes nothing.
 * A refusal is thrown so that the run counts as failed and its retry (and the alarm) see it.
 */
export async function handler(): Promise<Record<string, unknown>> {
  const report = await runMonthlyRollup(
    journal,
    checkpointFunction ? { afterClose: invokeCheckpointAfterClose(checkpointFunction) } : {},
  );
  const refused = Object.entries(report).flatMap(([book, results]) =>
    results.filter((result) => result.status === "refused").map((result) => `${book} ${result.period}`),
  );
  console.log(JSON.stringify({ rollup: report }));
  if (refused.length > 0) throw new Error(`monthly rollup refused for ${refused.join(", ")}`);
  return report;
}
