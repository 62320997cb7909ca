import { runCommand } from "@relief-ledger/store/cli";
import { LOCAL_ENV } from "./local-env.ts";

const EXPIRE_COMMAND = {
  name: "expire",
  usage: "npm run expire",
  about: [
    "Voids, in every book, the proposals older than the book's approvalTtlDays (30 days unless it",
    "sets another), recording each as ProposalVoided with reason expired and releasing what it",
    "reserved: what the daily job does. Running it again the same day records nothing twice.",
  ].join("\n"),
  options: {},
  optionHelp: [],
  env: LOCAL_ENV,
  failure: "a book's expiry was refused or left pending, bad configuration, or DynamoDB does not answer",
} as const;

/** `npm run expire`: the daily proposal expiry, by hand (expire-command.ts). */
runCommand(EXPIRE_COMMAND, async () => {
  // The ledger loads only once the command line parsed: --help and a mistyped option answer at once.
  const { expireCommand } = await import("./expire-command.ts");
  return expireCommand();
});
