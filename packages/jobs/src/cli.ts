import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  configFromEnv,
  createDynamoClient,
  createLedgerJournal,
  DynamoLocalError,
  ensureTables,
  localCheckpoints,
  resolveLocalDynamo,
} from "@relief-ledger/store";
import { checkpointAfterClose } from "./checkpoints.ts";
import { closeThrough, runMonthlyRollup } from "./rollups.ts";

/**
 * `npm run rollup -- --book bazhou-2010 --month 2010-12` closes the book's months through that one;
 * without arguments, every book's months through the last complete one. Uses the DynamoDB of a
 * running `npm start` (or LEDGER_DYNAMODB_ENDPOINT), else starts DynamoDB Local on .data/.
 */
async function main() {
  const { values } = parseArgs({ options: { book: { type: "string" }, month: { type: "string" } } });
  if ((values.book === undefined) !== (values.month === undefined)) {
    console.error("rollup: give both --book and --month, or neither (every book, through its last complete month)");
    process.exit(2);
  }
  if (values.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.month)) {
    console.error("rollup: --month is YYYY-MM");
    process.exit(2);
  }
  const dataDir = process.env.LEDGER_DATA_DIR ?? join(import.meta.dirname, "../../../.data");
  const dynamo = await resolveLocalDynamo(dataDir);
  try {
    const config = configFromEnv();
    const client = createDynamoClient(dynamo.endpoint);
    await ensureTables(client, config.tables);
    const journal = createLedgerJournal({ client, tables: config.tables });
    // Each close is checkpointed at once with the local key, as npm start does.
    const afterClose = checkpointAfterClose(journal, localCheckpoints(dataDir));
    const report =
      values.book && values.month
        ? { [values.book]: await closeThrough(journal, values.book, values.month, { afterClose }) }
        : await runMonthlyRollup(journal, { afterClose });
    let failed = false;
    for (const [book, results] of Object.entries(report)) {
      if (results.length === 0) console.log(`${book}: nothing to close`);
      for (const result of results) {
        if (result.status === "refused") failed = true;
        const detail =
          result.status === "closed"
            ? `closed at seq ${result.seq}, rollup ${result.rollupHash.slice(0, 16)}…`
            : result.status === "already-closed"
              ? `already closed; the journal ${result.matches ? "still folds to" : "NO LONGER folds to"} rollup ${result.rollupHash.slice(0, 16)}…`
              : `refused: ${result.error.message}`;
        console.log(`${book} ${result.period}: ${detail}`);
      }
    }
    client.destroy();
    if (failed) process.exitCode = 1;
  } finally {
    await dynamo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DynamoLocalError ? error.message : error);
  process.exit(1);
});
