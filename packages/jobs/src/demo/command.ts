import { join } from "node:path";
import {
  type AfterClose,
  checkpointAfterClose,
  closeThrough,
  configFromEnv,
  createDynamoClient,
  createLedgerJournal,
  ensureTables,
  type LedgerJournal,
  localCheckpoints,
  localDataKey,
  logRollupResults,
  resolveIdHashKey,
  resolveLocalDynamo,
} from "@relief-ledger/store";
import { CommandError } from "@relief-ledger/store/cli";
import { cliLog } from "../local-env.ts";
import { DEMO_FIGURES, type DemoScript, generateDemo } from "./generate.ts";
import type { DemoKeys } from "./load.ts";
import { loadDemo } from "./load.ts";

/**
 * `npm run demo`: loads the book `bazhou-2010` into the DynamoDB that `npm start` serves (its
 * DynamoDB Local under .data/, or LEDGER_DYNAMODB_ENDPOINT), and closes its months through
 * December 2010, as the monthly rollup would have. Running it again finds the demo in and says so.
 */
export async function demoCommand(): Promise<undefined> {
  const root = join(import.meta.dirname, "../../../..");
  const dataDir = process.env.LEDGER_DATA_DIR ?? join(root, ".data");
  // Read before DynamoDB Local starts, so that a bad setting costs no JVM.
  const { tables } = configFromEnv();
  // The keys `npm start` uses (its data dir's), so that the server opens the accounts the demo sealed.
  const keys: DemoKeys = { dataKey: localDataKey(dataDir), idHashKey: resolveIdHashKey({ dataDir }) };
  const dynamo = await resolveLocalDynamo(dataDir);
  process.once("SIGINT", () => void dynamo.stop().then(() => process.exit(130)));
  try {
    const client = createDynamoClient(dynamo.endpoint);
    await ensureTables(client, tables);
    const journal = createLedgerJournal({ client, tables });
    await loadAndClose(
      journal,
      generateDemo(),
      dynamo.endpoint,
      checkpointAfterClose(journal, localCheckpoints(dataDir)),
      keys,
    );
    client.destroy();
  } finally {
    await dynamo.stop();
  }
  return undefined;
}

async function loadAndClose(
  journal: LedgerJournal,
  script: DemoScript,
  endpoint: string,
  afterClose: AfterClose,
  keys: DemoKeys,
) {
  const log = cliLog("relief-ledger-demo");
  const last = script.steps[script.steps.length - 1];
  const head = await journal.head(script.book);
  const loaded =
    head.seq >= script.eventCount &&
    (await journal.entry(script.book, script.eventCount))?.idempotencyKey === last?.idempotencyKey;
  if (loaded) {
    console.log(`${script.book} is already loaded: head seq ${head.seq}, hash ${head.hash.slice(0, 16)}…`);
  } else {
    console.log(`loading ${script.book} (${script.steps.length} steps, ${script.eventCount} events) into ${endpoint}`);
    const started = Date.now();
    const result = await loadDemo(journal, { keys, onProgress: progressLine(script.steps.length) });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`\n${result.events} events written, ${result.replayed} steps replayed, in ${seconds} s`);
    log.info({
      message: "demo loaded",
      book: script.book,
      events: result.events,
      replayed: result.replayed,
      durationMs: Date.now() - started,
    });
  }
  const closing = script.monthsToClose.at(-1) as string;
  const closed = await closeThrough(journal, script.book, closing, { afterClose });
  logRollupResults(log, { [script.book]: closed });
  const refused = closed.find((result) => result.status === "refused");
  if (refused?.status === "refused")
    throw new CommandError(`closing ${refused.period} was refused: ${refused.error.message}`);
  if (closed.length > 0) console.log(`closed ${closed.map((result) => result.period).join(", ")}`);
  const after = await journal.head(script.book);
  console.log(
    `${script.book}: head seq ${after.seq}, hash ${after.hash.slice(0, 16)}…, closed through ${after.state.closedThrough}`,
  );
  const { winterRelief: w, studentAid: s, villageAid: v, illnessClaims: c, modelWorker: m } = DEMO_FIGURES;
  console.log(`  送温暖  ${w.amount} yuan, ${w.personTimes} person-times, ${w.beneficiaries} households`);
  console.log(`  金秋助学 ${s.amount} yuan, ${s.beneficiaries} students`);
  console.log(`  慰问劳模 ${m.amount} yuan, ${m.personTimes} person-times`);
  console.log(`  挂包帮扶 ${v.amount} yuan, ${v.beneficiaries} households`);
  console.log(`  大病保险 ${c.personTimes} claims, ${c.amount} yuan`);
}

/** Progress on one line when a person watches, a line per tenth otherwise. */
function progressLine(total: number) {
  let shown = -1;
  return (done: number) => {
    const tenth = Math.floor((done / total) * 10);
    if (process.stdout.isTTY) process.stdout.write(`\r  ${done}/${total} steps`);
    else if (tenth !== shown) {
      shown = tenth;
      console.log(`  ${done}/${total} steps`);
    }
  };
}
