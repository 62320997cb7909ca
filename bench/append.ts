import { freshTables, retarget } from "./lib/dynamo.ts";
import { bareClient, createRig, setUpBook } from "./lib/ledger.ts";
import { percentile, ratio, round, sum, timed } from "./lib/stats.ts";

export type AppendFigures = {
  p50Ms: number;
  p99Ms: number;
  floorP50Ms: number;
  floorP99Ms: number;
  p50Ratio: number;
  p99Ratio: number;
  samples: number;
  /** DynamoDB requests the app made per payout (1: the transaction alone). */
  requestsPerAppend: number;
  /** Of the app's p50, the time spent outside the SDK call: auth, validation, decide, hashing. */
  outsideSdkP50Ms: number;
  /** Items in each payout's transaction. */
  itemsPerTransaction: number;
  /** Payouts a second, one after another: the inverse of the mean latency, app and floor. */
  sequentialPerSecond: number;
  floorSequentialPerSecond: number;
};

/**
 * 1. Append latency: POST /payouts, one at a time, through the app, against the very transaction
 * the app sent, sent again from a bare SDK client to tables of its own (the floor). Each sample
 * times the app, then its floor, so the two see the same moment of a noisy machine.
 */
export async function appendBench(
  endpoint: string,
  options: { samples: number; households: number },
): Promise<AppendFigures> {
  const [tables, floorTables] = await Promise.all([
    freshTables(endpoint, "append"),
    freshTables(endpoint, "append-floor"),
  ]);
  const rig = createRig(endpoint, tables);
  const floor = bareClient(endpoint);
  const book = "append";
  const ids = await setUpBook(rig.journal, book, { balance: "100000000.00", households: options.households });
  const pay = async (key: string, n: number) => {
    const reply = await rig.send("POST", `/v1/books/${book}/payouts`, {
      key,
      body: {
        programId: "winter",
        beneficiaryId: ids[n % ids.length],
        amount: "800.00",
        paidOn: "2010-06-15",
        method: "cash",
      },
    });
    if (reply.status !== 201) throw new Error(`payout ${key}: ${reply.status} ${JSON.stringify(reply.json)}`);
  };
  let sent = 0;
  const catchUp = async () => {
    const pending = rig.tap.transactions.slice(sent);
    sent += pending.length;
    let ms = 0;
    for (const input of pending) {
      // Retargeted before the clock starts: copying the input is the bench's work, not the floor's.
      const command = retarget(input, tables, floorTables);
      ms += (await timed(() => floor.send(command))).ms;
    }
    return ms;
  };
  // Warm-up: one payout to each household, so that every beneficiary record is cached by the
  // writer (as in a warm Lambda instance) and the JIT has seen the path.
  for (let n = 0; n < options.households; n++) await pay(`warm-up-${n}`, n);
  await catchUp();

  const app: number[] = [];
  const bare: number[] = [];
  const outside: number[] = [];
  const requestsBefore = rig.tap.total();
  const transactionsBefore = rig.tap.transactions.length;
  for (let n = 0; n < options.samples; n++) {
    const sdkBefore = rig.tap.time();
    const { ms } = await timed(() => pay(`payout-${n}`, n));
    app.push(ms);
    outside.push(ms - (rig.tap.time() - sdkBefore));
    bare.push(await catchUp());
  }
  if (rig.tap.transactions.length - transactionsBefore !== options.samples) {
    throw new Error("a payout took more than one transaction: the floor would not be the same work");
  }
  const items = rig.tap.transactions.at(-1)?.TransactItems?.length ?? 0;
  rig.client.destroy();
  floor.destroy();
  const p50 = percentile(app, 50);
  const floorP50 = percentile(bare, 50);
  return {
    p50Ms: round(p50),
    p99Ms: round(percentile(app, 99)),
    floorP50Ms: round(floorP50),
    floorP99Ms: round(percentile(bare, 99)),
    p50Ratio: ratio(p50, floorP50),
    p99Ratio: ratio(percentile(app, 99), percentile(bare, 99)),
    samples: options.samples,
    requestsPerAppend: round((rig.tap.total() - requestsBefore) / options.samples),
    outsideSdkP50Ms: round(percentile(outside, 50)),
    itemsPerTransaction: items,
    sequentialPerSecond: round((1000 * app.length) / sum(app)),
    floorSequentialPerSecond: round((1000 * bare.length) / sum(bare)),
  };
}
