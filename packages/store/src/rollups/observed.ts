import type { AfterClose } from "../checkpoints/after-close.ts";
import type { LedgerJournal } from "../ledger-journal.ts";
import type { Logger } from "../observe/log.ts";
import { type LedgerMetrics, METRIC } from "../observe/metrics.ts";
import { type CloseResult, type ProvisionalResult, runMonthlyRollup } from "./close.ts";

export type ObservedRollup = {
  readonly report: Awaited<ReturnType<typeof runMonthlyRollup>>;
  /** `book month` of every month refused. */
  readonly refused: readonly string[];
  readonly closed: number;
  readonly durationMs: number;
};

/** Closing and folding results of a rollup run, by book, as runMonthlyRollup and closeThrough answer them. */
export type RollupReport = Readonly<Record<string, readonly (CloseResult | ProvisionalResult)[]>>;

/**
 * A log line per month closed (book, month, seq, the run of months without entries it closed with)
 * or refused (its problem code), and per month folded as provisional figures at debug: what the
 * scheduled runs and `npm run rollup` log alike. Answers how many closed and which refused.
 */
export function logRollupResults(log: Logger, report: RollupReport) {
  let closed = 0;
  const refused: string[] = [];
  for (const [book, results] of Object.entries(report)) {
    for (const result of results) {
      const fields = { book, month: result.period, status: result.status };
      if (result.status === "closed") {
        closed += 1;
        log.info({
          message: "month closed",
          ...fields,
          seq: result.seq,
          ...(result.from ? { from: result.from } : {}),
          ...(result.annualReportHash ? { annualReportHash: result.annualReportHash } : {}),
        });
      } else if (result.status === "refused") {
        refused.push(`${book} ${result.period}`);
        log.error({ message: "month refused", ...fields, code: result.error.code });
      } else log.debug({ message: "month folded", ...fields });
    }
  }
  return { closed, refused };
}

/**
 * The monthly rollup as the scheduled runs make it (the Lambda cron and `npm start`'s scheduler):
 * a log line per month closed or refused (book, month, seq or problem code), one for the run (books,
 * months closed, refusals, duration), and its metrics (months closed, duration, a failure for a run
 * with a refusal or an error). An error is logged and counted, then thrown on.
 */
export async function runObservedRollup(
  journal: LedgerJournal,
  options: { log: Logger; metrics: LedgerMetrics; afterClose?: AfterClose; clock?: () => Date },
): Promise<ObservedRollup> {
  const { log, metrics } = options;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const report = await runMonthlyRollup(journal, {
      ...(options.afterClose ? { afterClose: options.afterClose } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const { closed, refused } = logRollupResults(log, report);
    const durationMs = elapsed();
    log.info({ message: "rollup run", books: Object.keys(report).length, closed, refused: refused.length, durationMs });
    metrics.count(METRIC.rollupMonthsClosed, closed);
    metrics.milliseconds(METRIC.rollupDuration, durationMs);
    metrics.count(METRIC.rollupFailures, refused.length > 0 ? 1 : 0);
    return { report, refused, closed, durationMs };
  } catch (error) {
    log.error({ message: "rollup run failed", durationMs: elapsed() }, error instanceof Error ? error : String(error));
    metrics.count(METRIC.rollupFailures, 1);
    throw error;
  } finally {
    metrics.flush();
  }
}
