import { describe, expect, it } from "vitest";
import { createLog, logLevelOf } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { readableLine } from "./output.ts";

describe("the ledger's log", () => {
  it("writes one JSON object a line to its sink, at the level it was given", () => {
    const lines: string[] = [];
    const log = createLog({ service: "relief-ledger-test", level: "warn", sink: (line) => lines.push(line) });
    log.info({ message: "quiet" });
    log.warn({ message: "heard", book: "bazhou-2010" });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: "WARN", message: "heard", book: "bazhou-2010", service: "relief-ledger-test" }),
    ]);
  });

  it("takes LEDGER_LOG_LEVEL in any case, info by default, and refuses a level it does not know", () => {
    expect(logLevelOf(undefined)).toBe("INFO");
    expect(logLevelOf("debug")).toBe("DEBUG");
    expect(logLevelOf("SILENT")).toBe("SILENT");
    expect(() => logLevelOf("loud")).toThrow(/LEDGER_LOG_LEVEL/);
  });

  it("prints a line for a person on a terminal: time, level, message, fields, and an error's stack", () => {
    const line = JSON.stringify({
      level: "ERROR",
      message: "chain broken",
      timestamp: "2026-12-03T07:31:02.114Z",
      service: "relief-ledger-verify",
      sampling_rate: 0,
      book: "bazhou-2010",
      firstBadSeq: 42,
      ranges: ["1-100"],
      error: { name: "Error", message: "boom", stack: "Error: boom\n    at here" },
    });
    expect(readableLine(line, false)).toBe(
      '07:31:02.114 ERROR chain broken book=bazhou-2010 firstBadSeq=42 ranges=["1-100"]\nError: boom\n    at here',
    );
    expect(readableLine("not json", false)).toBe("not json");
  });
});

describe("the ledger's metrics", () => {
  it("publishes EMF in the ReliefLedger namespace, by stage, a dimensioned count on a line of its own", () => {
    const lines: Record<string, unknown>[] = [];
    const metrics = createMetrics({ service: "t", stage: "dev", sink: (line) => lines.push(JSON.parse(line)) });
    metrics.count("Requests", 1, { route: "/health", statusClass: "2xx" });
    metrics.count("Events", 3);
    metrics.flush();
    expect(lines).toEqual([
      expect.objectContaining({ Requests: 1, route: "/health", statusClass: "2xx", stage: "dev" }),
      expect.objectContaining({ Events: 3, stage: "dev" }),
    ]);
    const [aws] = lines.map((line) => line._aws as { CloudWatchMetrics: { Namespace: string }[] });
    expect(aws?.CloudWatchMetrics[0]?.Namespace).toBe("ReliefLedger");
  });

  it("emits nothing when disabled, a dimensioned count included", () => {
    const lines: string[] = [];
    const metrics = createMetrics({ service: "t", stage: "local", disabled: true, sink: (line) => lines.push(line) });
    metrics.count("Requests", 1, { route: "/health" });
    metrics.count("Events", 3);
    metrics.flush();
    expect(lines).toEqual([]);
  });
});
