import { describeExpiry, expireProposals } from "@relief-ledger/store";
import { cliLog, elapsed, withLocalJournal } from "./local-env.ts";

/**
 * `npm run expire`: expires every book's overdue proposals. Uses the DynamoDB of a running
 * `npm start` (or LEDGER_DYNAMODB_ENDPOINT), else starts DynamoDB Local on .data/. The exit status.
 */
export function expireCommand(): Promise<number> {
  return withLocalJournal(async (journal) => {
    const log = cliLog("relief-ledger-expiry");
    const started = performance.now();
    const results = await expireProposals(journal);
    for (const result of results) {
      const line = describeExpiry(result) ?? `proposal expiry: ${result.book}: nothing expired on ${result.on}`;
      if (result.error) log.error({ message: line, book: result.book });
      else log.info({ message: line, book: result.book });
      // A book left with an error is the command's failure: said on stderr.
      if (result.error) process.stderr.write(`expire: ${line}\n`);
      else console.log(line);
    }
    log.info({ message: "expiry run", books: results.length, durationMs: elapsed(started) });
    return results.some((result) => result.error) ? 1 : 0;
  });
}
