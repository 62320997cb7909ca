import { BookId, PERIOD_BOUNDS, parsePeriod, periodInBounds } from "@relief-ledger/core";
import {
  type CloseResult,
  checkpointAfterClose,
  closeThrough,
  localCheckpoints,
  logRollupResults,
  type ProvisionalResult,
  runMonthlyRollup,
} from "@relief-ledger/store";
import { CommandError, UsageError } from "@relief-ledger/store/cli";
import { cliLog, elapsed, withLocalJournal } from "./local-env.ts";

export type RollupOptions = { readonly book?: string | undefined; readonly month?: string | undefined };

function target(values: RollupOptions) {
  if ((values.book === undefined) !== (values.month === undefined)) {
    throw new UsageError("give both --book and --month, or neither (every book, through its last complete month)");
  }
  if (values.book === undefined || values.month === undefined) return undefined;
  const { book, month } = values;
  if (!BookId.safeParse(book).success) throw new UsageError(`--book ${book} is not a book id`);
  if (parsePeriod(month) === undefined)
    throw new UsageError(`--month ${month} is not a month: YYYY-MM, such as 2010-12`);
  if (!periodInBounds(month)) {
    throw new UsageError(
      `--month ${month} is outside the years ${PERIOD_BOUNDS.firstYear} to ${PERIOD_BOUNDS.lastYear}`,
    );
  }
  return { book, month };
}

const short = (hash: string) => `${hash.slice(0, 16)}…`;

function describe(result: CloseResult | ProvisionalResult): string {
  switch (result.status) {
    case "provisional":
      return `provisional, ${result.events} events, rollup ${short(result.rollupHash)}`;
    case "closed": {
      const run = result.from ? ` with the months from ${result.from} (no entries)` : "";
      const year = result.annualReportHash
        ? `; the year closed, annual report ${short(result.annualReportHash)} frozen`
        : "";
      return `closed${run} at seq ${result.seq}, rollup ${short(result.rollupHash)}${year}`;
    }
    case "already-closed":
      return `already closed; the journal ${result.matches ? "still folds to" : "NO LONGER folds to"} rollup ${short(result.rollupHash)}`;
    case "refused":
      return `refused: ${result.error.message}`;
  }
}

/**
 * `npm run rollup`: closes the book's months through the given one; without options, every book's
 * months through the last complete one. Uses the DynamoDB of a running `npm start` (or
 * LEDGER_DYNAMODB_ENDPOINT), else starts DynamoDB Local on .data/. The exit status.
 */
export function rollupCommand(options: RollupOptions): Promise<number> {
  const only = target(options);
  return withLocalJournal(async (journal, dataDir) => {
    if (only && !(await journal.head(only.book)).state.book) throw new CommandError(`there is no book ${only.book}`);
    // Each close is checkpointed at once with the local key, as npm start does.
    const afterClose = checkpointAfterClose(journal, localCheckpoints(dataDir));
    const log = cliLog("relief-ledger-rollup");
    const started = performance.now();
    const report = only
      ? { [only.book]: await closeThrough(journal, only.book, only.month, { afterClose }) }
      : await runMonthlyRollup(journal, { afterClose });
    // The same log lines as the scheduled runs (book, month, what closed), then the people's lines.
    const { closed } = logRollupResults(log, report);
    log.info({ message: "rollup run", books: Object.keys(report).length, closed, durationMs: elapsed(started) });
    const refusals: string[] = [];
    for (const [book, results] of Object.entries(report)) {
      if (results.length === 0) console.log(`${book}: nothing to close`);
      for (const result of results) {
        const line = `${book} ${result.period}: ${describe(result)}`;
        if (result.status === "refused") refusals.push(line);
        else console.log(line);
      }
    }
    // A refusal is the command's failure: said on stderr, one line for each book that stopped.
    for (const line of refusals) process.stderr.write(`rollup: ${line}\n`);
    return refusals.length > 0 ? 1 : 0;
  });
}
