import { join } from "node:path";
import {
  createDynamoClient,
  createLedgerJournal,
  type DynamoLocal,
  DynamoLocalError,
  ensureTables,
  startDynamoLocal,
  type TableNames,
  tableNames,
} from "@relief-ledger/store";
import { DEMO_FIGURES, generateDemo } from "./generate.ts";
import { loadDemo } from "./load.ts";

/**
 * `npm run demo`: loads the book `bazhou-2010` into DynamoDB Local with its data under .data/
 * (the database `npm start` serves), or into LEDGER_DYNAMODB_ENDPOINT when that is set, and stops
 * whatever it started. Running it again finds the demo in and says so.
 */
async function main(): Promise<void> {
  const root = join(import.meta.dirname, "../../../..");
  const dataDir = process.env.LEDGER_DATA_DIR ?? join(root, ".data");
  const tables = tablesFromEnv();
  const given = process.env.LEDGER_DYNAMODB_ENDPOINT;
  let local: DynamoLocal | undefined;
  const stop = async () => {
    await local?.stop();
    local = undefined;
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    if (!given) local = await startDynamoLocal({ dataDir: join(dataDir, "dynamodb") });
    const endpoint = given ?? local?.endpoint;
    const client = createDynamoClient(endpoint);
    await ensureTables(client, tables);
    const journal = createLedgerJournal({ client, tables });
    const script = generateDemo();
    const last = script.steps[script.steps.length - 1];
    const head = await journal.head(script.book);
    // Loaded already when the script's last event is in its place (months closed since come after it).
    if (head.seq >= script.eventCount) {
      const entry = await journal.entry(script.book, script.eventCount);
      if (entry?.idempotencyKey === last?.idempotencyKey) {
        console.log(`${script.book} is already loaded: head seq ${head.seq}, hash ${head.hash.slice(0, 16)}…`);
        client.destroy();
        return;
      }
    }
    console.log(`loading ${script.book} (${script.steps.length} steps, ${script.eventCount} events) into ${endpoint}`);
    const started = Date.now();
    const progress = progressLine(script.steps.length);
    const result = await loadDemo(journal, { onProgress: progress });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const after = await journal.head(script.book);
    console.log(
      `\n${result.events} events written, ${result.replayed} steps replayed, in ${seconds} s; head seq ${after.seq}, hash ${after.hash.slice(0, 16)}…`,
    );
    const { winterRelief: w, studentAid: s, villageAid: v, illnessClaims: c, modelWorker: m } = DEMO_FIGURES;
    console.log(`  送温暖  ${w.amount} yuan, ${w.personTimes} person-times, ${w.beneficiaries} households`);
    console.log(`  金秋助学 ${s.amount} yuan, ${s.beneficiaries} students`);
    console.log(`  慰问劳模 ${m.amount} yuan, ${m.personTimes} person-times`);
    console.log(`  挂包帮扶 ${v.amount} yuan, ${v.beneficiaries} households`);
    console.log(`  大病保险 ${c.personTimes} claims, ${c.amount} yuan`);
    console.log(
      `  months to close: ${script.monthsToClose[0]} … ${script.monthsToClose.at(-1)} (the monthly rollup's job)`,
    );
    client.destroy();
  } finally {
    await stop();
  }
}

/** Table names from the environment, read as the API reads them (packages/api/src/config.ts). */
function tablesFromEnv(env: NodeJS.ProcessEnv = process.env): TableNames {
  const defaults = tableNames(env.LEDGER_TABLE_PREFIX ?? "relief-ledger-");
  return {
    journal: env.LEDGER_JOURNAL_TABLE ?? defaults.journal,
    state: env.LEDGER_STATE_TABLE ?? defaults.state,
  };
}

/** A progress line rewritten in place on a terminal, a line per tenth elsewhere. */
function progressLine(total: number): (done: number) => void {
  let shown = -1;
  return (done) => {
    const tenth = Math.floor((done * 10) / total);
    if (process.stdout.isTTY) {
      if (done === total || done % 25 === 0) process.stdout.write(`\r  ${done}/${total} steps`);
    } else if (tenth > shown) {
      shown = tenth;
      console.log(`  ${done}/${total} steps`);
    }
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof DynamoLocalError ? error.message : error);
  process.exit(1);
});
