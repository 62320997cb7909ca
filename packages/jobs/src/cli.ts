import { runCommand } from "@relief-ledger/store/cli";
import { LOCAL_ENV } from "./local-env.ts";

const ROLLUP_COMMAND = {
  name: "rollup",
  usage: "npm run rollup -- [--book <book> --month YYYY-MM]",
  about: [
    "Closes a book's months, in order, through the given month: each is folded into its rollup, closed",
    "with a PeriodClosed entry and checkpointed with the local key. Without options, closes every",
    "book's months through the last complete one in its time zone (what the nightly job does). A month",
    "already closed is folded again and compared with its stored rollup; nothing is written twice.",
  ].join("\n"),
  options: { book: { type: "string" }, month: { type: "string" } },
  optionHelp: [
    ["--book <book>", "the book to close (with --month)"],
    ["--month YYYY-MM", "the last month to close (with --book)"],
  ],
  env: LOCAL_ENV,
  failure: "a month was refused, the book does not exist, bad configuration, or DynamoDB does not answer",
} as const;

/**
 * `npm run rollup -- --book bazhou-2010 --month 2010-12` closes the book's months through that one;
 * without arguments, every book's months through the last complete one (rollup-command.ts).
 */
runCommand(ROLLUP_COMMAND, async (options) => {
  // The ledger loads only once the command line parsed: --help and a mistyped option answer at once.
  const { rollupCommand } = await import("./rollup-command.ts");
  return rollupCommand(options);
});
