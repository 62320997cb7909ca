import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { type LineSink, redirect } from "./output.ts";

/** The CloudWatch namespace every metric of the ledger is published under (infra/alarms.ts reads them there). */
export const METRICS_NAMESPACE = "ReliefLedger";

/**
 * Names of the metrics, in one table, so that the alarms (infra/alarms.ts) and the code that emits
 * them cannot drift apart. Every one is dimensioned by the stage only (never the book, whose number
 * is unbounded), plus the dimension named beside it.
 */
export const METRIC = {
  /** A request answered; dimensions `route` (its template) and `statusClass` (2xx … 5xx). */
  requests: "Requests",
  /** An append that recorded events, and the events it recorded. */
  appends: "Appends",
  events: "Events",
  /** A request refused with a problem; dimension `code`. */
  refusals: "Refusals",
  /** Appends that lost the head race and retried, and that were handed over to the book's combiner. */
  lostRaces: "LostRaces",
  handovers: "Handovers",
  /** Lines of a payout batch recorded or proposed. */
  batchLines: "BatchLines",
  /** Months the rollup job closed, how long a run took, and runs that failed. */
  rollupMonthsClosed: "RollupMonthsClosed",
  rollupDuration: "RollupDuration",
  rollupFailures: "RollupFailures",
  /** Chain verification runs (one per book checked), entries re-read, and books whose chain broke. */
  chainVerifications: "ChainVerifications",
  chainEntriesVerified: "ChainEntriesVerified",
  chainVerificationFailures: "ChainVerificationFailures",
} as const;

export type MetricsOptions = {
  readonly service: string;
  /** The deployment stage (`prod`, `dev`, `local`): the one dimension every metric carries. */
  readonly stage: string;
  /** Where the EMF lines go; by default stdout, where Lambda's log agent turns them into metrics. */
  readonly sink?: LineSink;
  /** Emit nothing (locally, where no agent reads EMF). */
  readonly disabled?: boolean;
};

/**
 * What the ledger's code counts with: Powertools Metrics (CloudWatch EMF) in the ledger's
 * namespace, dimensioned by the stage. Counts without a dimension of their own are stored and
 * published together by `flush` (at the end of a request or a job's run); one with a dimension
 * of its own (a route, a problem code: bounded sets) goes out at once in its own EMF line.
 */
export type LedgerMetrics = {
  count(name: string, value?: number, dimensions?: Record<string, string>): void;
  milliseconds(name: string, value: number): void;
  flush(): void;
};

export function createMetrics(options: MetricsOptions): LedgerMetrics {
  const prepare = (metrics: Metrics): Metrics => {
    if (options.sink) redirect(metrics, options.sink);
    // Powertools reads POWERTOOLS_METRICS_DISABLED itself; this lets a caller decide without the environment.
    if (options.disabled) (metrics as unknown as { disabled: boolean }).disabled = true;
    return metrics;
  };
  const metrics = prepare(
    new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: options.service,
      defaultDimensions: { stage: options.stage },
    }),
  );
  return {
    count(name, value = 1, dimensions) {
      if (!dimensions) return metrics.addMetric(name, MetricUnit.Count, value);
      // singleMetric() builds a fresh Metrics (stdout, enabled by the environment): pointed where this one writes.
      const single = prepare(metrics.singleMetric());
      single.addDimensions(dimensions);
      single.addMetric(name, MetricUnit.Count, value);
    },
    milliseconds(name, value) {
      metrics.addMetric(name, MetricUnit.Milliseconds, value);
    },
    flush() {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}

/** The metrics of a Lambda function: LEDGER_STAGE names the stage; off outside Lambda unless LEDGER_METRICS=1. */
export function metricsFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): LedgerMetrics {
  const inLambda = env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  return createMetrics({
    service,
    stage: env.LEDGER_STAGE ?? "local",
    disabled: !(inLambda || env.LEDGER_METRICS === "1"),
  });
}

/** Counts nothing: for code run where nobody reads metrics (tests of other things, the CLIs' defaults). */
export const NO_METRICS: LedgerMetrics = { count() {}, milliseconds() {}, flush() {} };
