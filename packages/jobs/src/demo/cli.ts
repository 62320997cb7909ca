import { runCommand } from "@relief-ledger/store/cli";
import { LOCAL_ENV } from "../local-env.ts";

const DEMO_COMMAND = {
  name: "demo",
  usage: "npm run demo",
  about: [
    "Loads the demo book bazhou-2010 (the Bazhou District federation's 2010, about 5,000 entries, its",
    "payouts, transfers and reversals proposed and approved under the book's approval policies) and",
    "closes its months of 2010, as npm start does on an empty database. Running it again finds the",
    "book loaded and says so; an interrupted load is resumed.",
  ].join("\n"),
  options: {},
  optionHelp: [],
  env: LOCAL_ENV,
  failure: "closing a month was refused, bad configuration, or DynamoDB does not answer",
} as const;

/** `npm run demo` (command.ts). */
runCommand(DEMO_COMMAND, async () => {
  // The ledger loads only once the command line parsed: --help and a mistyped option answer at once.
  const { demoCommand } = await import("./command.ts");
  return demoCommand();
});
