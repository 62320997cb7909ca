import type { DynamoDBClient, TransactWriteItemsCommandInput } from "@aws-sdk/client-dynamodb";
import { createLedgerJournal, type TableNames } from "@relief-ledger/store";
import { freshTables, replayBare, retarget, type Tap, tappedClient } from "./lib/dynamo.ts";
import { BENCH_CLOCK, bareClient, batchLines, createRig, type Reply, type Rig, setUpBook } from "./lib/ledger.ts";
import { ratio, round, timed } from "./lib/stats.ts";

/** One phase of a batch under approval, beside its floor. */
export type PhaseFigures = {
  ms: number;
  linesPerSecond: number;
  transactions: number;
  itemsPerTransaction: number;
  /** DynamoDB requests besides the transactions. */
  reads: number;
  /** Of `ms`, the time not spent in the SDK's requests (transactions and reads): the app's own work. */
  outsideSdkMs: number;
  /** Of `ms`, the time in the SDK's TransactWriteItems: the same requests as the floor's, sent by the app. */
  transactionsMs: number;
  /** The phase's transactions, the same items, sent again one after another from a bare client. */
  floorMs: number;
  floorLinesPerSecond: number;
  ratio: number;
  /** What the phase put in the journal, read back from it: events in all, and payouts among them. */
  events: number;
  payoutsRecorded: number;
};

export type BatchApprovalFigures = {
  lines: number;
  /** The batch's proposals: one per chunk. */
  proposals: number;
  /** POST /payout-batches under the policy: 202, every line held in a proposal. */
  propose: PhaseFigures;
  /** POST /approvals/{id}/approve by an approver: 201, every chunk posted. */
  approve: PhaseFigures;
};

/** Every payout of the programme needs one approval. */
const ONE_LEVEL = [{ over: "0.00", levels: 1 }];

/**
 * 8. A batch under approval: one winter relief batch of `lines` lines in a programme whose every
 * payout needs one approval, proposed by finance (202: the lines held, one proposal per chunk) and
 * then approved whole by an approver (201: every chunk posted). Each phase is sent to an app
 * instance that has not seen the book, as a Lambda instance hours later would be, and each is timed
 * beside its floor: the transactions that phase sent, replayed from a bare client onto tables
 * brought to the same point.
 */
export async function batchApprovalBench(endpoint: string, options: { lines: number }): Promise<BatchApprovalFigures> {
  const [tables, floorTables] = await Promise.all([
    freshTables(endpoint, "approval"),
    freshTables(endpoint, "approval-floor"),
  ]);
  const shared = tappedClient(endpoint);
  const book = "approval";
  const setup = createRig(endpoint, tables, shared);
  const ids = await setUpBook(setup.journal, book, {
    balance: "10000000.00",
    households: options.lines,
    approvals: ONE_LEVEL,
  });
  const floor = bareClient(endpoint);
  // Bring the floor's tables to the same point: the setup's transactions, untimed.
  for (const input of shared.tap.transactions) await floor.send(retarget(input, tables, floorTables));

  // What each phase wrote, read back untimed from a client of its own (not the tapped one).
  const readerClient = bareClient(endpoint);
  const reader = createLedgerJournal({ client: readerClient, tables, clock: BENCH_CLOCK });
  const journalled = async (fromSeq: number) => {
    const found = { events: 0, payoutsRecorded: 0, toSeq: fromSeq - 1 };
    for await (const page of reader.read(book, { fromSeq })) {
      for (const event of page) {
        found.events += 1;
        if (event.type === "PayoutRecorded") found.payoutsRecorded += 1;
        found.toSeq = event.seq;
      }
    }
    return found;
  };
  const firstSeq = (await reader.head(book)).seq + 1;

  const key = "winter-2010";
  const run = (send: (rig: Rig) => Promise<Reply>) =>
    phase({ endpoint, tables, floorTables, shared, floor, lines: options.lines, send });

  const proposed = await run((rig) =>
    rig.send("POST", `/v1/books/${book}/payout-batches`, {
      key,
      body: { programId: "winter", paidOn: "2010-12-20", method: "cash", lines: batchLines(ids, options.lines) },
    }),
  );
  const held = proposed.reply.json;
  const proposalIds = held.proposalIds as number[] | undefined;
  if (proposed.reply.status !== 202 || held.proposed !== options.lines || !proposalIds?.length) {
    throw new Error(`batch ${key} was not held whole: ${proposed.reply.status} ${JSON.stringify(held).slice(0, 300)}`);
  }
  const afterPropose = await journalled(firstSeq);

  const approved = await run((rig) =>
    rig.send("POST", `/v1/books/${book}/approvals/${proposalIds[0]}/approve`, {
      key: `${key}-approve`,
      as: "approver",
    }),
  );
  const decision = approved.reply.json;
  if (approved.reply.status !== 201 || decision.state !== "posted" || decision.recorded !== options.lines) {
    throw new Error(
      `batch ${key} was not posted whole: ${approved.reply.status} ${JSON.stringify(decision).slice(0, 300)}`,
    );
  }
  const afterApprove = await journalled(afterPropose.toSeq + 1);

  for (const client of [shared.client, floor, readerClient]) client.destroy();
  return {
    lines: options.lines,
    proposals: proposalIds.length,
    propose: { ...proposed.figures, events: afterPropose.events, payoutsRecorded: afterPropose.payoutsRecorded },
    approve: { ...approved.figures, events: afterApprove.events, payoutsRecorded: afterApprove.payoutsRecorded },
  };
}

/**
 * One request to a fresh app instance, timed, then the transactions it sent replayed bare onto the
 * floor's tables, timed one by one (which also brings those tables to the point the next phase
 * starts from).
 */
async function phase(options: {
  endpoint: string;
  tables: TableNames;
  floorTables: TableNames;
  shared: { client: DynamoDBClient; tap: Tap };
  floor: DynamoDBClient;
  lines: number;
  send: (rig: Rig) => Promise<Reply>;
}) {
  const { endpoint, tables, floorTables, shared, floor, lines, send } = options;
  const rig = createRig(endpoint, tables, shared);
  const sentBefore = shared.tap.transactions.length;
  const inTransactions = () => shared.tap.spent.get("TransactWriteItemsCommand") ?? 0;
  const [readsBefore, sdkBefore, transactionsBefore] = [shared.tap.reads(), shared.tap.time(), inTransactions()];
  const { ms, value: reply } = await timed(() => send(rig));
  const reads = shared.tap.reads() - readsBefore;
  const sdkMs = shared.tap.time() - sdkBefore;
  const transactionsMs = inTransactions() - transactionsBefore;
  const sent: TransactWriteItemsCommandInput[] = shared.tap.transactions.slice(sentBefore);

  const floorMs = await replayBare(floor, sent, tables, floorTables);
  const perSecond = (1000 * lines) / ms;
  const floorPerSecond = (1000 * lines) / floorMs;
  const items = sent.reduce((total, input) => total + (input.TransactItems?.length ?? 0), 0);
  return {
    reply,
    figures: {
      ms: round(ms),
      linesPerSecond: round(perSecond),
      transactions: sent.length,
      itemsPerTransaction: round(items / sent.length),
      reads,
      outsideSdkMs: round(ms - sdkMs),
      transactionsMs: round(transactionsMs),
      floorMs: round(floorMs),
      floorLinesPerSecond: round(floorPerSecond),
      ratio: ratio(perSecond, floorPerSecond),
    },
  };
}
