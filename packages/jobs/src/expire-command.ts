import { join } from "node:path";
import {
  configFromEnv,
  createDynamoClient,
  createLedgerJournal,
  describeExpiry,
  ensureTables,
  expireProposals,
  resolveLocalDynamo,
} from "@relief-ledger/store";

/**
 * `npm run expire`: expires every book's overdue proposals. Uses the DynamoDB of a running
 * `npm start` (or LEDGER_DYNAMODB_ENDPOINT), else starts DynamoDB Local on .data/. The exit status.
 */
export async function expireCommand(): Promise<number> {
  // Read before DynamoDB Local starts, so that a bad setting costs no JVM.
  const config = configFromEnv();
  const dataDir = process.env.LEDGER_DATA_DIR ?? join(import.meta.dirname, "../../../.data");
  const dynamo = await resolveLocalDynamo(dataDir);
  const client = createDynamoClient(dynamo.endpoint);
  try {
    await ensureTables(client, config.tables);
    const journal = createLedgerJournal({ client, tables: config.tables });
    const results = await expireProposals(journal);
    for (const result of results) {
      const line = describeExpiry(result) ?? `proposal expiry: ${result.book}: nothing expired on ${result.on}`;
      // A book left with an error is the command's failure: said on stderr.
      if (result.error) process.stderr.write(`expire: ${line}\n`);
      else console.log(line);
    }
    return results.some((result) => result.error) ? 1 : 0;
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}
