import { Role } from "@relief-ledger/core";
import { runCommand } from "@relief-ledger/store/cli";

/**
 * `npm run -s token -- --role finance --book bazhou [--book other | --book '*'] [--sub name]
 * [--ttl 8h|30m|3600]` prints an access token, and only that, on stdout (`-s` keeps npm's own
 * banner off stdout). The key is the local server's: LEDGER_JWT_SECRET or <data dir>/jwt-secret.
 */
const TOKEN_COMMAND = {
  name: "token",
  usage: "npm run -s token -- --role <role> [--book <book>]... [--sub <name>] [--ttl <duration>]",
  about: [
    "Prints an access token, and only that, on stdout, signed with the local server's key (or the",
    "deployed stage's, given as LEDGER_JWT_SECRET). -s keeps npm's own banner off stdout.",
  ].join("\n"),
  options: {
    role: { type: "string" },
    book: { type: "string", multiple: true },
    sub: { type: "string" },
    ttl: { type: "string" },
  },
  optionHelp: [
    ["--role <role>", `required: ${Role.options.join(", ")}`],
    ["--book <book>", "a book the token reaches; repeat for more, '*' for every book (an admin's default)"],
    ["--sub <name>", "the token's subject, 1 to 200 characters (default <role>-cli)"],
    ["--ttl <duration>", "how long it is valid: 8h (default), 30m, 2d, or seconds"],
  ],
  env: [
    ["LEDGER_JWT_SECRET", "the signing key, at least 32 characters (default: the one in <data dir>/jwt-secret)"],
    ["LEDGER_DATA_DIR", "the data directory (default .data/), where jwt-secret is made on first use"],
  ],
  failure: "bad configuration, such as a LEDGER_JWT_SECRET shorter than 32 characters",
} as const;

runCommand(TOKEN_COMMAND, async (options) => {
  // The ledger's modules load only once the command line parsed: --help answers at once.
  const { tokenCommand } = await import("./token-command.ts");
  return tokenCommand(options);
});
