import { runObservedRollup } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { reliefBook } from "./support/books.ts";
import { captureTelemetry } from "./support/telemetry.ts";

let api: Api;
const book = "rollup-log-2010";

beforeAll(async () => {
  api = await startApi();
  const tokens = { admin: await api.token("admin"), finance: await api.token("finance", [book]) };
  await reliefBook(api, tokens, book, {
    balance: "500.00",
    program: { id: "winter", name: "送温暖", methods: ["cash"] },
  });
});

describe("the scheduled rollup's log and metrics", () => {
  it("logs each month it closed with its book and seq, and the run with its duration; counts the months", async () => {
    const telemetry = captureTelemetry("relief-ledger-rollup");
    const { closed } = await runObservedRollup(api.journal, {
      log: telemetry.log,
      metrics: telemetry.metrics,
      clock: () => new Date("2010-03-15T00:00:00Z"),
    });
    expect(closed).toBeGreaterThan(0);
    const months = telemetry.lines.filter((line) => line.message === "month closed");
    expect(months).toHaveLength(closed);
    expect(months[0]).toMatchObject({ level: "INFO", book, month: "2010-01", seq: expect.any(Number) });
    expect(telemetry.lines.find((line) => line.message === "rollup run")).toMatchObject({
      closed,
      refused: 0,
      durationMs: expect.any(Number),
    });
    expect(telemetry.metricTotal("RollupMonthsClosed")).toBe(closed);
    expect(telemetry.metricTotal("RollupFailures")).toBe(0);
    expect(telemetry.emf.every((line) => "RollupDuration" in line)).toBe(true);
  });

  it("logs a failed run once with its stack and counts a failure", async () => {
    const telemetry = captureTelemetry("relief-ledger-rollup");
    const broken = { ...api.journal, books: () => Promise.reject(new Error("no table")) } as unknown as Api["journal"];
    await expect(runObservedRollup(broken, { log: telemetry.log, metrics: telemetry.metrics })).rejects.toThrow(
      "no table",
    );
    expect(telemetry.lines).toEqual([
      expect.objectContaining({
        level: "ERROR",
        message: "rollup run failed",
        error: expect.objectContaining({ stack: expect.any(String) }),
      }),
    ]);
    expect(telemetry.metricTotal("RollupFailures")).toBe(1);
  });
});
