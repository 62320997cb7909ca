import { describe, expect, it } from "vitest";
import { CommandError, expectedFailure, helpText, parseCommandLine, UsageError } from "./cli.ts";
import { ConfigError } from "./config.ts";
import { DynamoLocalError } from "./dynamo-local.ts";

const SPEC = {
  name: "probe",
  usage: "npm run probe -- --book <book> [--all]",
  about: "Probes a book.",
  options: { book: { type: "string" }, all: { type: "boolean" } },
  optionHelp: [
    ["--book <book>", "the book"],
    ["--all", "every entry"],
  ],
  env: [["LEDGER_DATA_DIR", "the data directory"]],
  failure: "the book does not exist",
} as const;

describe("command lines", () => {
  it("parses options strictly", () => {
    expect(parseCommandLine(SPEC, ["--book", "bazhou", "--all"])).toEqual({ book: "bazhou", all: true });
    expect(parseCommandLine(SPEC, [])).toEqual({});
  });

  it.each([
    [["--bok", "bazhou"], "unknown option '--bok'"],
    [["bazhou"], "unexpected argument 'bazhou'"],
    [["--book"], "option '--book <value>' argument missing"],
    [["--all=yes"], "option '--all' does not take an argument"],
  ])("says what is wrong with %j in one short line, as a UsageError", (argv, message) => {
    let error: unknown;
    try {
      parseCommandLine(SPEC, argv);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(message);
  });

  it("lays the help out with its options, environment and exit statuses", () => {
    expect(helpText(SPEC)).toBe(
      [
        "Usage: npm run probe -- --book <book> [--all]",
        "",
        "Probes a book.",
        "",
        "Options:",
        "  --book <book>  the book",
        "  --all          every entry",
        "  -h, --help     print this help and exit",
        "",
        "Environment:",
        "  LEDGER_DATA_DIR  the data directory",
        "",
        "Exit status:",
        "  0  done",
        "  1  the book does not exist",
        "  2  usage error: an unknown option, a missing or bad value",
        "",
      ].join("\n"),
    );
  });

  it("answers usage errors with 2 and expected failures with 1, and leaves anything else to a stack trace", () => {
    expect(expectedFailure(new UsageError("--month is YYYY-MM"))).toEqual({
      line: "--month is YYYY-MM (--help for usage)",
      code: 2,
    });
    for (const error of [
      new CommandError("there is no book x"),
      new ConfigError("LEDGER_JWT_SECRET is too short"),
      new DynamoLocalError("needs Java 17"),
    ]) {
      expect(expectedFailure(error)).toEqual({ line: error.message, code: 1 });
    }
    expect(expectedFailure(new TypeError("a bug"))).toBeUndefined();
    expect(expectedFailure("thrown text")).toBeUndefined();
  });
});
