import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { checkpointBooks, localCheckpoints, toItem, verifyBook } from "@relief-ledger/store";
import { freshTables, tappedClient } from "./lib/dynamo.ts";
import { bareClient, createRig, type Rig, setUpBook } from "./lib/ledger.ts";
import { percentile, ratio, round, timed } from "./lib/stats.ts";

export type DurabilityFigures = {
  samples: number;
  /** POST /payouts p50 without waiting for DynamoDB Local's commit: what the app cost before. */
  appendUnawaitedP50Ms: number;
  /** The same, waiting for the commit (local-commit.ts), as npm start and the tests run. */
  appendDurableP50Ms: number;
  appendDurableP99Ms: number;
  durableRatio: number;
  /** DynamoDB requests per payout with the wait: the transaction and its share of the barriers. */
  durableRequestsPerAppend: number;
  /** Durable appends while a checkpoint is taken every `checkpointEvery` payouts, in the background. */
  appendWithCheckpointsP50Ms: number;
  checkpointRatio: number;
  checkpointEvery: number;
  /** A checkpoint's own pace over a book, and its floor: the same entries read by a bare Query. */
  checkpointEntries: number;
  checkpointEntriesPerSecond: number;
  floorEntriesPerSecond: number;
  checkpointRatioToFloor: number;
  /** verify of the same book: the chain, the checkpoints, the balances and rollups recomputed. */
  verifyEntriesPerSecond: number;
};

/**
 * 7. What "acknowledged means durable" and "anchored outside the database" cost. Three app
 * instances on tables of their own pay one payout each in turn (so that they share every moment
 * of a noisy machine): one without the wait for DynamoDB Local's commit, one with it, and one
 * with it while a checkpoint of its book is taken every `checkpointEvery` payouts. Then a
 * checkpoint and a verify of the whole book, against reading the same entries bare.
 */
export async function durabilityBench(
  endpoint: string,
  options: { samples: number; households: number; checkpointEvery: number },
): Promise<DurabilityFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), "bench-checkpoints-"));
  const keeper = localCheckpoints(dataDir);
  const make = async (name: string, awaitCommits: boolean) => {
    const tables = await freshTables(endpoint, name);
    const rig = createRig(endpoint, tables, tappedClient(endpoint, { awaitCommits }));
    const ids = await setUpBook(rig.journal, name, { balance: "100000000.00", households: options.households });
    return { name, rig, ids, tables };
  };
  const rigs = await Promise.all([make("unawaited", false), make("durable", true), make("anchored", true)]);
  const pay = async ({ name, rig, ids }: { name: string; rig: Rig; ids: string[] }, n: number) => {
    const reply = await rig.send("POST", `/v1/books/${name}/payouts`, {
      key: `${name}-${n}`,
      body: {
        programId: "winter",
        beneficiaryId: ids[n % ids.length],
        amount: "80.00",
        paidOn: "2010-06-15",
        method: "cash",
      },
    });
    if (reply.status !== 201) throw new Error(`payout ${name}-${n}: ${reply.status}`);
  };
  try {
    // Warm-up: every household once on each, so that the writers have every record cached.
    for (let n = 0; n < options.households; n++) await Promise.all(rigs.map((rig) => pay(rig, n)));
    const [unawaited, durable, anchored] = rigs as [(typeof rigs)[0], (typeof rigs)[0], (typeof rigs)[0]];
    const times: [number[], number[], number[]] = [[], [], []];
    const requestsBefore = durable.rig.tap.total();
    let checkpointing: Promise<unknown> = Promise.resolve();
    for (let n = 0; n < options.samples; n++) {
      const at = options.households + n;
      times[0].push((await timed(() => pay(unawaited, at))).ms);
      times[1].push((await timed(() => pay(durable, at))).ms);
      if (n % options.checkpointEvery === 0) {
        // Not awaited: a checkpoint runs beside the appends, as the scheduled job does.
        checkpointing = checkpointing.then(() =>
          checkpointBooks(anchored.rig.journal, keeper, { books: ["anchored"] }),
        );
      }
      times[2].push((await timed(() => pay(anchored, at))).ms);
    }
    await checkpointing;
    const durableRequests = (durable.rig.tap.total() - requestsBefore) / options.samples;

    // A first checkpoint of the whole durable book, then verify against it; the floor reads it bare.
    const entries = (await durable.rig.journal.head("durable")).seq;
    const checkpoint = await timed(() => checkpointBooks(durable.rig.journal, keeper, { books: ["durable"] }));
    const verify = await timed(() => verifyBook(durable.rig.journal, "durable", { checkpoints: keeper }));
    if (!verify.value.ok) throw new Error("the durable book did not verify");
    const floor = bareClient(endpoint);
    const read = await timed(async () => {
      let startKey: Record<string, import("@aws-sdk/client-dynamodb").AttributeValue> | undefined;
      do {
        const page = await floor.send(
          new QueryCommand({
            TableName: durable.tables.journal,
            KeyConditionExpression: "book = :book",
            ExpressionAttributeValues: toItem({ ":book": "durable" }),
            ConsistentRead: true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    });
    floor.destroy();
    const p50 = times.map((series) => percentile(series, 50)) as [number, number, number];
    const perSecond = (ms: number) => round((1000 * entries) / ms);
    return {
      samples: options.samples,
      appendUnawaitedP50Ms: round(p50[0]),
      appendDurableP50Ms: round(p50[1]),
      appendDurableP99Ms: round(percentile(times[1], 99)),
      durableRatio: ratio(p50[1], p50[0]),
      durableRequestsPerAppend: round(durableRequests),
      appendWithCheckpointsP50Ms: round(p50[2]),
      checkpointRatio: ratio(p50[2], p50[1]),
      checkpointEvery: options.checkpointEvery,
      checkpointEntries: entries,
      checkpointEntriesPerSecond: perSecond(checkpoint.ms),
      floorEntriesPerSecond: perSecond(read.ms),
      checkpointRatioToFloor: ratio(perSecond(checkpoint.ms), perSecond(read.ms)),
      verifyEntriesPerSecond: perSecond(verify.ms),
    };
  } finally {
    for (const { rig } of rigs) rig.client.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
