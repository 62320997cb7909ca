import { createApp } from "@relief-ledger/api";
import { accountContext, hashAccountNumber } from "@relief-ledger/core";
import { createLedgerJournal, ledgerAppend, memoryDataKey, type TableNames } from "@relief-ledger/store";
import { freshTables, replayBare, retarget, tappedClient } from "./lib/dynamo.ts";
import {
  BENCH_CLOCK,
  bareClient,
  batchLines,
  createRig,
  ID_HASH_KEY,
  JWT_SECRET,
  postBatch,
  setUpBook,
  token,
} from "./lib/ledger.ts";
import { ratio, round, timed } from "./lib/stats.ts";

/** One request's figures: how fast it went through its lines, and what it asked of DynamoDB. */
export type BankRequestFigures = {
  ms: number;
  linesPerSecond: number;
  /** Queries and gets: the batch's entries and the accounts read to answer. */
  reads: number;
  transactions: number;
  /** Of `ms`, the time spent in the SDK (sending, waiting for DynamoDB Local, parsing its answers). */
  sdkMs: number;
};

export type BankResultsBook = {
  /** Events in the book besides the batch's own: other batches' payouts, paid before it. */
  otherEvents: number;
  lines: number;
  failed: number;
  /** GET …/bank-file?format=csv: the disbursement file, its accounts opened, BankFileIssued journalled. */
  file: BankRequestFigures;
  /** POST …/bank-results: the result file read, matched and recorded in chunks (returns and settlements). */
  results: BankRequestFigures & {
    status: number;
    returned: number;
    itemsPerTransaction: number;
    /** The POST's transactions, the same items, sent again one after another from a bare client. */
    floorMs: number;
    floorLinesPerSecond: number;
    ratio: number;
  };
};

export type BankResultsFigures = { readonly books: BankResultsBook[] };

/** Sizes, full and --quick: the batch, and the other history of the books it is measured in. */
export const BANK_RESULTS_SIZES = {
  full: { lines: 5000, otherEvents: [0, 20_000] },
  quick: { lines: 500, otherEvents: [0, 2000] },
} as const;

/** Every fiftieth line fails: 2%, the bank's usual closed accounts and mismatched names. */
const FAILS_EVERY = 50;

const DATA_KEY = memoryDataKey();

/** A 19-digit card number per household, as the bank file's 账号 holds it. */
const cardOf = (n: number) => `62284800${String(10_000_000 + n).padStart(11, "0")}`;

/** Lines of other batches whose events (a payout each, a summary per 48) come to at least `events`. */
const linesFor = (events: number) => Math.ceil((events * 48) / 49);

/**
 * 10. The bank loop of one batch of `lines` lines paid by bank: its disbursement file taken
 * (GET …/bank-file) and the bank's result file with 2% failed lines recorded (POST …/bank-results),
 * each through an app instance that has not seen the book. Measured in a book that holds nothing
 * else and in one with `otherEvents` events of other batches before it, since finding the batch's
 * entries is what either request reads the most. The floor replays the POST's transactions bare.
 */
export async function bankResultsBench(
  endpoint: string,
  options: { lines: number; otherEvents: readonly number[] },
): Promise<BankResultsFigures> {
  const books: BankResultsBook[] = [];
  for (const otherEvents of options.otherEvents) books.push(await oneBook(endpoint, options.lines, otherEvents));
  return { books };
}

async function oneBook(endpoint: string, lines: number, otherEvents: number): Promise<BankResultsBook> {
  const name = `bank-${otherEvents}`;
  const [tables, floorTables] = await Promise.all([
    freshTables(endpoint, name),
    freshTables(endpoint, `${name}-floor`),
  ]);
  const shared = tappedClient(endpoint);
  const setup = createRig(endpoint, tables, shared);
  const book = "bank";
  const ids = await setUpBook(setup.journal, book, { balance: "100000000.00", households: lines });

  // The other history: cash batches to the same households, before the batch paid by bank.
  for (let n = 0, left = linesFor(otherEvents); left > 0; n++, left -= 5000) {
    const count = Math.min(5000, left);
    await postBatch(setup, book, { paidOn: "2010-11-20", lines: batchLines(ids, count, n * 5000), key: `other-${n}` });
  }
  await putAccounts(setup.journal, book, ids);
  const batch = await setup.send("POST", `/v1/books/${book}/payout-batches`, {
    key: "bank-batch",
    body: {
      batchId: "winter-bank",
      programId: "winter",
      paidOn: "2010-12-20",
      method: "bank",
      lines: batchLines(ids, lines),
    },
  });
  if (batch.status !== 201 || batch.json.refused !== 0) throw new Error(`the bank batch: ${batch.status}`);

  const floor = bareClient(endpoint);
  // Bring the floor's tables to the same point: the setup's transactions, untimed.
  const replay = async (from: number, to: TableNames) => {
    const sent = shared.tap.transactions.slice(from);
    for (const input of sent) await floor.send(retarget(input, tables, to));
    return sent.length;
  };
  let replayed = await replay(0, floorTables);

  // A fresh instance for each request, as a Lambda that has not seen the book.
  const app = () =>
    createApp(
      {
        journal: createLedgerJournal({ client: shared.client, tables, clock: BENCH_CLOCK }),
        jwtSecret: JWT_SECRET,
        idHashKey: ID_HASH_KEY,
        dataKey: DATA_KEY,
        clock: BENCH_CLOCK,
      },
      { deadline: { ms: 3_600_000, writeMs: 3_600_000 } },
    );
  const bearer = await token("finance");
  const path = `/v1/books/${book}/payout-batches/winter-bank`;

  let readsBefore = shared.tap.reads();
  let sdkBefore = shared.tap.time();
  let file = new Uint8Array();
  const fileTimed = await timed(async () => {
    const response = await app().request(`${path}/bank-file?format=csv`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    if (response.status !== 200) throw new Error(`bank file: ${response.status} ${await response.text()}`);
    file = new Uint8Array(await response.arrayBuffer());
  });
  const fileReads = shared.tap.reads() - readsBefore;
  const fileSdkMs = shared.tap.time() - sdkBefore;
  const fileTransactions = shared.tap.transactions.length - replayed;
  replayed += await replay(replayed, floorTables);

  // The bank's answer: the file's rows with 状态 and 原因, every fiftieth line failed.
  const rows = new TextDecoder().decode(file).replace(/\r\n$/, "").split("\r\n");
  const results = [
    `${rows[0]},状态,原因`,
    ...rows.slice(1).map((row, n) => (n % FAILS_EVERY === FAILS_EVERY - 1 ? `${row},失败,账户已销户` : `${row},成功,`)),
  ].join("\r\n");
  const body = new TextEncoder().encode(`${results}\r\n`);
  readsBefore = shared.tap.reads();
  sdkBefore = shared.tap.time();
  let reply = { status: 0, json: {} as { returned?: number } };
  const resultsTimed = await timed(async () => {
    const response = await app().request(`${path}/bank-results?on=2010-12-28`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${bearer}`,
        "content-type": "text/csv",
        "content-length": String(body.byteLength),
        "idempotency-key": "bank-results",
      },
      body,
    });
    reply = { status: response.status, json: (await response.json()) as { returned?: number } };
  });
  if (reply.status !== 201) throw new Error(`bank results: ${reply.status} ${JSON.stringify(reply.json)}`);
  const resultsReads = shared.tap.reads() - readsBefore;
  const resultsSdkMs = shared.tap.time() - sdkBefore;
  const sent = shared.tap.transactions.slice(replayed);

  const floorMs = await replayBare(floor, sent, tables, floorTables);
  shared.client.destroy();
  floor.destroy();
  const perSecond = (ms: number) => round((1000 * lines) / ms);
  const resultsPerSecond = (1000 * lines) / resultsTimed.ms;
  const floorPerSecond = (1000 * lines) / floorMs;
  return {
    otherEvents,
    lines,
    failed: Math.floor(lines / FAILS_EVERY),
    file: {
      ms: round(fileTimed.ms),
      linesPerSecond: perSecond(fileTimed.ms),
      reads: fileReads,
      transactions: fileTransactions,
      sdkMs: round(fileSdkMs),
    },
    results: {
      status: reply.status,
      ms: round(resultsTimed.ms),
      linesPerSecond: round(resultsPerSecond),
      reads: resultsReads,
      sdkMs: round(resultsSdkMs),
      transactions: sent.length,
      itemsPerTransaction: round(
        sent.reduce((total, input) => total + (input.TransactItems?.length ?? 0), 0) / sent.length,
      ),
      returned: reply.json.returned ?? 0,
      floorMs: round(floorMs),
      floorLinesPerSecond: round(floorPerSecond),
      ratio: ratio(resultsPerSecond, floorPerSecond),
    },
  };
}

/** The households' accounts, put on file through the journal as the PUT route does (setup, not measured). */
async function putAccounts(journal: ReturnType<typeof createLedgerJournal>, book: string, ids: readonly string[]) {
  const inFlight = new Set<Promise<void>>();
  for (const [n, beneficiaryId] of ids.entries()) {
    const account = { bank: "中国农业银行巴中分行", accountName: `困难户${n}`, accountNumber: cardOf(n) };
    const command = {
      type: "set-bank-account" as const,
      beneficiaryId,
      last4: account.accountNumber.slice(-4),
      accountHash: hashAccountNumber(ID_HASH_KEY, book, account.accountNumber),
      sealed: await DATA_KEY.seal(account, accountContext(book, beneficiaryId)),
    };
    const done: Promise<void> = journal
      .append(
        book,
        ledgerAppend(book, command, {
          idempotencyKey: `account-${beneficiaryId}`,
          actor: { sub: "bench-finance", role: "finance" },
          clock: BENCH_CLOCK,
        }),
      )
      .then((result) => {
        if (!result.ok) throw new Error(`account of ${beneficiaryId}: ${result.error.code}`);
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
    if (inFlight.size >= 256) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

/** Benchmark 10's rows: per book, the file taken and the results recorded, beside the POST's floor. */
export const bankResultsRows = (figures: BankResultsFigures): [string, string, string, string][] =>
  figures.books.flatMap(({ otherEvents, lines, failed, file, results }) => {
    const where =
      otherEvents === 0 ? "a book of its own" : `a book with ${otherEvents.toLocaleString("en")} other events`;
    return [
      [
        `10 bank file of ${lines} lines, ${where}`,
        `${file.linesPerSecond} lines/s (${file.ms} ms, ${file.sdkMs} in the SDK, ${file.reads} reads, ${file.transactions} tx)`,
        "",
        "",
      ],
      [
        `10 bank results, ${lines} lines (${failed} failed), ${where}`,
        `${results.linesPerSecond} lines/s (${results.ms} ms, ${results.sdkMs} in the SDK, ${results.reads} reads, ${results.transactions} tx of ${results.itemsPerTransaction} items)`,
        `${results.floorLinesPerSecond} /s (${results.floorMs} ms)`,
        `${results.ratio}×`,
      ],
    ];
  });
