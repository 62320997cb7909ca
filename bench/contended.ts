import type { JournalEvent } from "@relief-ledger/core";
import type { LedgerJournal } from "@relief-ledger/store";
import { freshTables } from "./lib/dynamo.ts";
import { createRig, type Rig, setUpBook } from "./lib/ledger.ts";
import { percentile, ratio, round } from "./lib/stats.ts";

const CLIENTS = 32;
const AMOUNT_MINOR = 10_000n;

export type Audit = { overdrafts: number; duplicates: number; contiguous: boolean; chainOk: boolean; recorded: number };

export type ContendedFigures = {
  clients: number;
  /** Each client on an app instance of its own (as 32 Lambda instances): they race for the book head. */
  payoutsPerSecond: number;
  requests: number;
  recorded: number;
  /** Refused because the fund ran dry: the money check held under the race. */
  refusedOverdrawn: number;
  /** Commands the writers sent again after losing the head to another instance, per recorded payout. */
  retriesPerAppend: number;
  lostRacesPerAppend: number;
  /** Requests handed over to the instance combining the book (handoff.ts), per recorded payout. */
  handedOffPerAppend: number;
  /** 503 append-conflict and 202 pending answers a client sent again with the same key. */
  clientRetries: number;
  /** What a client waited per payout, from its first send to its answer, its resends included. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  overdrafts: number;
  duplicates: number;
  contiguous: boolean;
  chainOk: boolean;
  /** The same 32 clients on one app instance: no races, group commit packs their payouts. */
  oneInstance: {
    payoutsPerSecond: number;
    transactionsPerAppend: number;
    latencyP50Ms: number;
    latencyP99Ms: number;
    audit: Audit;
  };
  /** The append floor's throughput: its bare transaction sent back to back by one client. */
  floorPayoutsPerSecond: number;
  ratio: number;
  oneInstanceRatio: number;
};

type Run = {
  seconds: number;
  requests: number;
  recorded: number;
  refused: number;
  clientRetries: number;
  latencies: number[];
};

/**
 * Drives `requests` payouts from 32 clients, each on `rigs[client % rigs.length]`, and keeps the
 * score. The fund holds enough for 90% of them, so the last ones must be refused, not overdrawn.
 * A client answered 503 (the writer gave up after its retries) or 202 (handed over, and not decided
 * within the sender's wait) sends the same request again.
 */
async function drive(rigs: readonly Rig[], book: string, ids: readonly string[], requests: number): Promise<Run> {
  let next = 0;
  let [recorded, refused, clientRetries] = [0, 0, 0];
  const latencies: number[] = [];
  const client = async (rig: Rig) => {
    for (let n = next++; n < requests; n = next++) {
      const body = {
        programId: "winter",
        beneficiaryId: ids[n % ids.length],
        amount: "100.00",
        paidOn: "2010-06-15",
        reference: `request-${n}`,
      };
      const sent = performance.now();
      for (;;) {
        const reply = await rig.send("POST", `/v1/books/${book}/payouts`, { key: `request-${n}`, body });
        if (reply.status === 201) recorded += 1;
        else if (reply.status === 409 && String(reply.json.type).endsWith("fund-overdrawn")) refused += 1;
        else if (reply.status === 503 || reply.status === 202) {
          clientRetries += 1;
          continue;
        } else throw new Error(`payout ${n}: ${reply.status} ${JSON.stringify(reply.json)}`);
        break;
      }
      latencies.push(performance.now() - sent);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(rigs[n % rigs.length] as Rig)));
  return { seconds: (performance.now() - start) / 1000, requests, recorded, refused, clientRetries, latencies };
}

/**
 * Reads the book back and checks what the race must not break: the fund never below zero after
 * any entry, each request recorded at most once, seqs 1…head with no gap, the chain intact.
 */
export async function auditBook(journal: LedgerJournal, book: string): Promise<Audit> {
  const head = await journal.head(book);
  let [expected, balance, overdrafts, recorded] = [1, 0n, 0, 0];
  let contiguous = true;
  const references = new Map<string, number>();
  for await (const page of journal.read(book, { pageSize: 1000 })) {
    for (const event of page as JournalEvent[]) {
      if (event.seq !== expected) contiguous = false;
      expected = event.seq + 1;
      const payload = event.payload as { amount?: string; reference?: string };
      const minor = payload.amount ? BigInt(payload.amount.replace(".", "")) : 0n;
      if (event.type === "CollectionRecorded") balance += minor;
      if (event.type === "PayoutRecorded") {
        balance -= minor;
        recorded += 1;
        if (balance < 0n) overdrafts += 1;
        const reference = payload.reference ?? `seq-${event.seq}`;
        references.set(reference, (references.get(reference) ?? 0) + 1);
      }
    }
  }
  if (expected - 1 !== head.seq) contiguous = false;
  const duplicates = [...references.values()].filter((count) => count > 1).length;
  // A head whose balance is not the journal's replayed one has lost track of the money: counted too.
  const headBalance = head.state.funds.relief?.balance;
  if (headBalance !== undefined && headBalance !== balance) overdrafts += 1;
  const chainOk = (await journal.verify(book)).ok;
  return { overdrafts, duplicates, contiguous, chainOk, recorded };
}

/** 2. Contended throughput: 32 clients paying out of one fund. */
export async function contendedBench(
  endpoint: string,
  options: { requests: number; floorPayoutsPerSecond: number },
): Promise<ContendedFigures> {
  const tables = await freshTables(endpoint, "contended");
  const funded = ((BigInt(options.requests) * 9n) / 10n) * AMOUNT_MINOR;
  const balance = `${funded / 100n}.${String(funded % 100n).padStart(2, "0")}`;

  // 32 instances, 32 clients: every append races the others for the head.
  const racing = Array.from({ length: CLIENTS }, () => createRig(endpoint, tables));
  const first = racing[0] as Rig;
  const ids = await setUpBook(first.journal, "contended", { balance, households: CLIENTS });
  const raced = await drive(racing, "contended", ids, options.requests);
  const audit = await auditBook(first.journal, "contended");
  const stats = racing.map((rig) => rig.journal.stats);
  const retries = stats.reduce((total, s) => total + s.retries, 0);
  const lostRaces = stats.reduce((total, s) => total + s.lostRaces, 0);
  const handedOff = stats.reduce((total, s) => total + s.handedOff, 0);
  for (const rig of racing) rig.client.destroy();

  // One instance, 32 clients: the writer's queue serialises them and group commit packs them.
  const shared = createRig(endpoint, tables);
  await setUpBook(shared.journal, "one-instance", { balance, households: CLIENTS });
  const transactionsBefore = shared.journal.stats.transactions;
  const together = await drive([shared], "one-instance", ids, options.requests);
  const transactions = shared.journal.stats.transactions - transactionsBefore;
  const sharedAudit = await auditBook(shared.journal, "one-instance");
  shared.client.destroy();

  const perSecond = raced.recorded / raced.seconds;
  const sharedPerSecond = together.recorded / together.seconds;
  return {
    clients: CLIENTS,
    payoutsPerSecond: round(perSecond),
    requests: raced.requests,
    recorded: raced.recorded,
    refusedOverdrawn: raced.refused,
    retriesPerAppend: round(retries / Math.max(1, raced.recorded)),
    lostRacesPerAppend: round(lostRaces / Math.max(1, raced.recorded)),
    handedOffPerAppend: round(handedOff / Math.max(1, raced.recorded)),
    clientRetries: raced.clientRetries,
    latencyP50Ms: round(percentile(raced.latencies, 50)),
    latencyP99Ms: round(percentile(raced.latencies, 99)),
    overdrafts: audit.overdrafts + sharedAudit.overdrafts,
    duplicates: audit.duplicates + sharedAudit.duplicates,
    contiguous: audit.contiguous && sharedAudit.contiguous,
    chainOk: audit.chainOk && sharedAudit.chainOk,
    oneInstance: {
      payoutsPerSecond: round(sharedPerSecond),
      transactionsPerAppend: round(transactions / Math.max(1, together.recorded + together.refused)),
      latencyP50Ms: round(percentile(together.latencies, 50)),
      latencyP99Ms: round(percentile(together.latencies, 99)),
      audit: sharedAudit,
    },
    floorPayoutsPerSecond: round(options.floorPayoutsPerSecond),
    ratio: ratio(perSecond, options.floorPayoutsPerSecond),
    oneInstanceRatio: ratio(sharedPerSecond, options.floorPayoutsPerSecond),
  };
}
