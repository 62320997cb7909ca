import { Console } from "node:console";
import { Writable } from "node:stream";

/** Where Powertools' JSON lines go instead of stdout: a test's capture, or the readable printer. */
export type LineSink = (line: string) => void;

/** A Console that hands each line it writes to `sink`, whole (Powertools writes one JSON object a call). */
export function sinkConsole(sink: LineSink): Console {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.length > 0) sink(line);
      done();
    },
  });
  return new Console({ stdout: stream, stderr: stream });
}

/**
 * Points a Powertools Logger or Metrics at another Console. Both keep theirs in a private field
 * named `console`, set once in their constructors (their `setConsole`): this is the only way to
 * capture their output without patching process.stdout. tests/observe-*.test.ts fail if an upgrade
 * renames it, since nothing would reach their sink.
 */
export function redirect(target: object, sink: LineSink): void {
  (target as { console: Console }).console = sinkConsole(sink);
}

const LEVEL_COLOURS: Record<string, string> = { ERROR: "31", CRITICAL: "31", WARN: "33", INFO: "36", DEBUG: "90" };

/**
 * One JSON log line as a person reads it in a terminal: time, level, message, then the fields as
 * key=value (objects as compact JSON). An error's stack follows on its own lines. Used by
 * `npm start` when stdout is a terminal; anything that is not JSON passes through as it is.
 */
export function readableLine(line: string, colour = true): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, message, timestamp, service, sampling_rate: _rate, error, ...fields } = record;
  const time = typeof timestamp === "string" ? timestamp.slice(11, 23) : "";
  const name = String(level ?? "").padEnd(5);
  const tag = colour ? `\x1b[${LEVEL_COLOURS[String(level)] ?? "0"}m${name}\x1b[0m` : name;
  const rest = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const stack =
    error && typeof error === "object" && "stack" in error ? `\n${String((error as { stack: unknown }).stack)}` : "";
  return `${time} ${tag} ${String(message ?? "")}${rest ? ` ${rest}` : ""}${stack}`;
}
