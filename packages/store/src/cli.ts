import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/**
 * What every command line of the project shares (npm start, token, demo, rollup, bench): `--help`,
 * strict options, and mistakes said in one line. It sits in the store because both jobs and api
 * use it and neither may import the other, but imports nothing of it (`@relief-ledger/store/cli`):
 * a command loads the ledger only once its command line is known good, so that `--help` and a
 * mistyped option answer at once.
 *
 * Exit status, for every command: 0 done, 1 failed (the reason in one line, or a stack trace for
 * what nobody expected), 2 a usage error (an unknown option, a bad value).
 */

/**
 * A failure a command expects and explains (a book that does not exist, bad configuration, no
 * Java): one line on stderr, exit 1. ConfigError and DynamoLocalError are such failures.
 */
export class CommandError extends Error {
  override name = "CommandError";
}

/** A mistake on the command line: one line on stderr, exit 2. */
export class UsageError extends CommandError {
  override name = "UsageError";
}

export type CommandSpec<O extends ParseArgsOptionsConfig> = {
  /** Starts each error line: the npm script's name. */
  readonly name: string;
  /** How it is called, e.g. `npm run rollup -- [--book <book> --month YYYY-MM]`. */
  readonly usage: string;
  readonly about: string;
  readonly options: O;
  /** Each option as written (`--book <book>`) beside what it does. */
  readonly optionHelp: readonly (readonly [string, string])[];
  /** Each environment variable read, beside its meaning and default. */
  readonly env: readonly (readonly [string, string])[];
  /** What exit status 1 means for this command. */
  readonly failure: string;
};

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>["values"];

const table = (rows: readonly (readonly [string, string])[]): string[] => {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
};

export function helpText(spec: CommandSpec<ParseArgsOptionsConfig>): string {
  const lines = [
    `Usage: ${spec.usage}`,
    "",
    spec.about,
    "",
    "Options:",
    ...table([...spec.optionHelp, ["-h, --help", "print this help and exit"]]),
  ];
  if (spec.env.length > 0) lines.push("", "Environment:", ...table(spec.env));
  lines.push(
    "",
    "Exit status:",
    ...table([
      ["0", "done"],
      ["1", spec.failure],
      ["2", "usage error: an unknown option, a missing or bad value"],
    ]),
  );
  return `${lines.join("\n")}\n`;
}

/** node:util's messages run to a second sentence about positionals: the first says it. */
const firstSentence = (message: string): string => {
  const first = message.split(/\.\s/)[0]?.trim() ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1);
};

/**
 * The options, parsed strictly (no positionals, no unknown option, every value present). `--help`
 * (or `-h`) anywhere prints the help and exits 0; a mistake is a UsageError.
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): Values<O> {
  const beforeTerminator = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (beforeTerminator.includes("--help") || beforeTerminator.includes("-h")) {
    process.stdout.write(helpText(spec));
    process.exit(0);
  }
  try {
    return parseArgs({ args: [...argv], options: spec.options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(firstSentence((error as Error).message));
  }
}

/** The one line a failure is said in, and its exit status; undefined for what nobody expected. */
export function expectedFailure(error: unknown): { line: string; code: 1 | 2 } | undefined {
  if (error instanceof UsageError) return { line: `${error.message} (--help for usage)`, code: 2 };
  if (error instanceof CommandError) return { line: error.message, code: 1 };
  return undefined;
}

/**
 * Reports a failure on stderr: an expected one in one line starting with the command's name
 * (messages never carry a secret or personal data), anything else with its stack. The exit status.
 */
export function reportFailure(name: string, error: unknown): 1 | 2 {
  const expected = expectedFailure(error);
  if (!expected) {
    console.error(error);
    return 1;
  }
  process.stderr.write(`${name}: ${expected.line.replace(/\s*\n\s*/g, " ")}\n`);
  return expected.code;
}

/**
 * Runs a command: parses its options (parseCommandLine), then `main`. Its number, if any, is the
 * exit status; a failure is reported (reportFailure) and exits at once, since a DynamoDB client or
 * a child process left behind must not keep the process waiting. stderr is written synchronously
 * to pipes, files and terminals, so the line is out before the exit.
 */
export function runCommand<O extends ParseArgsOptionsConfig>(
  spec: CommandSpec<O>,
  main: (values: Values<O>) => Promise<number | undefined>,
  argv: readonly string[] = process.argv.slice(2),
): void {
  Promise.resolve()
    .then(() => main(parseCommandLine(spec, argv)))
    .then(
      (code) => {
        if (code !== undefined) process.exitCode = code;
      },
      (error: unknown) => process.exit(reportFailure(spec.name, error)),
    );
}
