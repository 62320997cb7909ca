import { describe, expect, it } from "vitest";
import { CommandError } from "./cli.ts";
import { ConfigError, configFromEnv } from "./config.ts";

describe("configFromEnv", () => {
  it("names the tables from the prefix, or as given, and passes the endpoint on", () => {
    expect(configFromEnv({})).toEqual({ tables: { journal: "relief-ledger-journal", state: "relief-ledger-state" } });
    expect(
      configFromEnv({
        LEDGER_TABLE_PREFIX: "test-1.",
        LEDGER_STATE_TABLE: "my_state",
        LEDGER_DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      }),
    ).toEqual({
      tables: { journal: "test-1.journal", state: "my_state" },
      dynamoEndpoint: "http://127.0.0.1:8000",
    });
  });

  it.each([
    [{ LEDGER_TABLE_PREFIX: "my ledger " }, 'LEDGER_TABLE_PREFIX gives the table name "my ledger journal"'],
    [{ LEDGER_TABLE_PREFIX: "ü-" }, 'LEDGER_TABLE_PREFIX gives the table name "ü-journal"'],
    [{ LEDGER_JOURNAL_TABLE: "x" }, 'LEDGER_JOURNAL_TABLE gives the table name "x"'],
    [{ LEDGER_STATE_TABLE: "a".repeat(256) }, "LEDGER_STATE_TABLE gives the table name"],
    [{ LEDGER_DYNAMODB_ENDPOINT: "localhost:8000" }, "LEDGER_DYNAMODB_ENDPOINT=localhost:8000 is not an http(s) URL"],
    [{ LEDGER_DYNAMODB_ENDPOINT: "ftp://127.0.0.1" }, "LEDGER_DYNAMODB_ENDPOINT=ftp://127.0.0.1 is not an http(s) URL"],
  ])("refuses %j as a ConfigError, which a command says in one line", (env, message) => {
    const error = (() => {
      try {
        configFromEnv(env);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain("\n");
  });
});
