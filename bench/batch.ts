import { freshTables, retarget, tablesWithoutIndexes, tappedClient } from "./lib/dynamo.ts";
import { bareClient, batchLines, createRig, postBatch, setUpBook } from "./lib/ledger.ts";
import { ratio, round, timed } from "./lib/stats.ts";

export type BatchFigures = {
  lines: number;
  ms: number;
  linesPerSecond: number;
  transactions: number;
  itemsPerTransaction: number;
  /** DynamoDB requests besides the transactions: the beneficiary records the chunks read. */
  reads: number;
  /** The batch's transactions, the same items, sent again one after another from a bare client. */
  floorMs: number;
  floorLinesPerSecond: number;
  /** The floor again, on tables without the journal's four indexes (and the state table's one). */
  noIndexesLinesPerSecond: number;
  ratio: number;
};

/**
 * 3. Batch disbursement: one winter relief batch of `lines` lines, POSTed through the app to an
 * app instance that has not seen the book (its beneficiary records are read, as in a Lambda
 * instance that did not register them), end to end. The floor replays the transactions it sent.
 */
export async function batchBench(endpoint: string, options: { lines: number }): Promise<BatchFigures> {
  const [tables, floorTables, plainTables] = await Promise.all([
    freshTables(endpoint, "batch"),
    freshTables(endpoint, "batch-floor"),
    tablesWithoutIndexes(endpoint, "batch-plain"),
  ]);
  const shared = tappedClient(endpoint);
  const setup = createRig(endpoint, tables, shared);
  const book = "batch";
  const ids = await setUpBook(setup.journal, book, { balance: "10000000.00", households: options.lines });
  const floor = bareClient(endpoint);
  // Bring the floor's tables to the same point: the setup's transactions, untimed.
  for (const input of shared.tap.transactions) {
    await floor.send(retarget(input, tables, floorTables));
    await floor.send(retarget(input, tables, plainTables));
  }
  const setupTransactions = shared.tap.transactions.length;

  const fresh = createRig(endpoint, tables, shared);
  const readsBefore = shared.tap.reads();
  const lines = batchLines(ids, options.lines);
  const { ms } = await timed(() => postBatch(fresh, book, { paidOn: "2010-12-20", lines, key: "winter-2010" }));
  const reads = shared.tap.reads() - readsBefore;
  const batch = shared.tap.transactions.slice(setupTransactions);

  let [floorMs, plainMs] = [0, 0];
  for (const input of batch) {
    // Retargeted before the clock starts: copying the input is the bench's work, not the floor's.
    const [toFloor, toPlain] = [retarget(input, tables, floorTables), retarget(input, tables, plainTables)];
    floorMs += (await timed(() => floor.send(toFloor))).ms;
    plainMs += (await timed(() => floor.send(toPlain))).ms;
  }
  shared.client.destroy();
  floor.destroy();
  const perSecond = (1000 * options.lines) / ms;
  const floorPerSecond = (1000 * options.lines) / floorMs;
  return {
    lines: options.lines,
    ms: round(ms),
    linesPerSecond: round(perSecond),
    transactions: batch.length,
    itemsPerTransaction: round(
      batch.reduce((total, input) => total + (input.TransactItems?.length ?? 0), 0) / batch.length,
    ),
    reads,
    floorMs: round(floorMs),
    floorLinesPerSecond: round(floorPerSecond),
    noIndexesLinesPerSecond: round((1000 * options.lines) / plainMs),
    ratio: ratio(perSecond, floorPerSecond),
  };
}
