import { Logger } from "@aws-lambda-powertools/logger";
import type { LogLevel } from "@aws-lambda-powertools/logger/types";
import { type LineSink, readableLine, redirect } from "./output.ts";

export type { Logger } from "@aws-lambda-powertools/logger";

const LEVELS = ["DEBUG", "INFO", "WARN", "ERROR", "SILENT", "CRITICAL"] as const;

export type LogOptions = {
  /** The Powertools `service`: `relief-ledger-api`, `relief-ledger-rollup`, … */
  readonly service: string;
  /** `debug`, `info` (the default), `warn`, `error` or `silent`: LEDGER_LOG_LEVEL. */
  readonly level?: string;
  /** Where each JSON line goes; by default stdout, as Lambda and CloudWatch expect. */
  readonly sink?: LineSink;
  /** Print lines for a person (readableLine) rather than JSON: `npm start` on a terminal. */
  readonly readable?: boolean;
};

/** The level LEDGER_LOG_LEVEL names, `info` if unset; an unknown name is an error, not a silent default. */
export function logLevelOf(value: string | undefined): LogLevel {
  const level = (value ?? "info").trim().toUpperCase();
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`LEDGER_LOG_LEVEL must be one of debug, info, warn, error, silent (not ${value})`);
  }
  return level as LogLevel;
}

/**
 * The ledger's structured log: a Powertools Logger, one JSON object a line, the same in Lambda and
 * locally. Nothing personal goes in it: callers log ids, codes, seqs and counts, never a request
 * body, a name, an ID number or its hash, a bank account, a token or a secret.
 */
export function createLog(options: LogOptions): Logger {
  const logger = new Logger({ serviceName: options.service, logLevel: logLevelOf(options.level) });
  const { sink, readable } = options;
  if (sink) redirect(logger, sink);
  else if (readable) redirect(logger, (line) => process.stdout.write(`${readableLine(line)}\n`));
  return logger;
}

/** The log of a process from its environment: LEDGER_LOG_LEVEL, and readable lines on a terminal when asked. */
export const logFromEnv = (service: string, options: { readable?: boolean } = {}): Logger =>
  createLog({ service, level: process.env.LEDGER_LOG_LEVEL, ...options });
