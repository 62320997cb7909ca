import { createLog, createMetrics, type LedgerMetrics, type Logger } from "@relief-ledger/store";

/** A log line as Powertools writes it, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: log lines hold fields of many shapes
export type LogLine = Record<string, any>;

/**
 * A logger and metrics whose output the test keeps: each JSON line as it was written (`raw`, to
 * search for what must never be there) and parsed (`lines`, `emf`).
 */
export function captureTelemetry(service = "relief-ledger-test", level = "debug") {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const emf: LogLine[] = [];
  const log: Logger = createLog({
    service,
    level,
    sink: (line) => {
      raw.push(line);
      lines.push(JSON.parse(line) as LogLine);
    },
  });
  const metrics: LedgerMetrics = createMetrics({
    service,
    stage: "test",
    sink: (line) => {
      raw.push(line);
      emf.push(JSON.parse(line) as LogLine);
    },
  });
  /** The value a metric was published with, summed over every EMF line that has it (and `where` its dimensions). */
  const metricTotal = (name: string, where: Record<string, string> = {}) =>
    emf
      .filter((line) => name in line && Object.entries(where).every(([key, value]) => line[key] === value))
      .reduce((total, line) => {
        const value = line[name] as number | number[];
        return total + (Array.isArray(value) ? value.reduce((a, b) => a + b, 0) : value);
      }, 0);
  return { log, metrics, raw, lines, emf, metricTotal };
}
