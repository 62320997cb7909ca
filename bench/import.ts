import { createApp } from "@relief-ledger/api";
import { createLedgerJournal } from "@relief-ledger/store";
import { csvCell } from "../packages/api/src/exports/csv.ts";
import { freshTables, replayBare, retarget, tappedClient } from "./lib/dynamo.ts";
import { BENCH_CLOCK, bareClient, ID_HASH_KEY, JWT_SECRET, setUpBook, token } from "./lib/ledger.ts";
import { ratio, round, timed } from "./lib/stats.ts";

export type ImportFigures = {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  /** The roster's status: 201 when every row went in. */
  status: number;
  registered: number;
  transactions: number;
  itemsPerTransaction: number;
  /** DynamoDB requests besides the transactions: the records and claims each chunk reads. */
  reads: number;
  /** The import's transactions, the same items, sent again one after another from a bare client. */
  floorMs: number;
  floorRowsPerSecond: number;
  ratio: number;
};

const HEADER = [
  "Beneficiary id",
  "Kind",
  "Name",
  "ID number",
  "Household",
  "Hardship tier",
  "Cause",
  "File opened",
  "Valid until",
];

/** A valid resident ID number per n (GB 11643 check digit). */
function idNumber(n: number): string {
  const body = `511902${1950 + Math.floor(n / 1000)}0101${String(n % 1000).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(body[index]), 0);
  return body + "10X98765432"[sum % 11];
}

/** A district's roster: households with hardship files, every tenth row a student of the household before it. */
export function rosterCsv(rows: number): string {
  const lines = Array.from({ length: rows }, (_, n) => {
    const student = n % 10 === 9;
    return student
      ? [`s-${n}`, "学生", `学生${n}`, idNumber(n), `h-${n - 1}`, "", "", "", ""]
      : [`h-${n}`, "困难家庭", `困难户${n}`, idNumber(n), "", "深度困难", "因病致困", "2009-03-01", "2011-02-28"];
  });
  return `\uFEFF${[HEADER, ...lines].map((cells) => cells.map((cell) => csvCell(cell)).join(",")).join("\r\n")}\r\n`;
}

/**
 * 8. Roster import: a `rows`-row CSV roster POSTed through the app (parsed, every row checked and
 * its ID number hashed, then recorded in chunks of 24), end to end. The floor replays the
 * transactions it sent, bare, onto fresh tables brought to the same point.
 */
export async function importBench(endpoint: string, options: { rows: number }): Promise<ImportFigures> {
  const [tables, floorTables] = await Promise.all([
    freshTables(endpoint, "import"),
    freshTables(endpoint, "import-floor"),
  ]);
  const shared = tappedClient(endpoint);
  const journal = createLedgerJournal({ client: shared.client, tables, clock: BENCH_CLOCK });
  const book = "import";
  await setUpBook(journal, book, { balance: "1.00", households: 0 });
  const floor = bareClient(endpoint);
  for (const input of shared.tap.transactions) await floor.send(retarget(input, tables, floorTables));
  const setupTransactions = shared.tap.transactions.length;

  // A fresh instance, as a Lambda that has not seen the book; writes may take as long as the import needs.
  const app = createApp(
    {
      journal: createLedgerJournal({ client: shared.client, tables, clock: BENCH_CLOCK }),
      jwtSecret: JWT_SECRET,
      idHashKey: ID_HASH_KEY,
      clock: BENCH_CLOCK,
    },
    { deadline: { writeMs: 3_600_000 } },
  );
  const csv = rosterCsv(options.rows);
  const bearer = await token("finance");
  const readsBefore = shared.tap.reads();
  let reply = { status: 0, json: {} as { registered?: number } };
  const { ms } = await timed(async () => {
    const response = await app.request(`/v1/books/${book}/beneficiary-imports`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${bearer}`,
        "content-type": "text/csv",
        "content-length": String(Buffer.byteLength(csv)),
        "idempotency-key": "roster-2010",
      },
      body: csv,
    });
    reply = { status: response.status, json: (await response.json()) as { registered?: number } };
  });
  const reads = shared.tap.reads() - readsBefore;
  const sent = shared.tap.transactions.slice(setupTransactions);

  const floorMs = await replayBare(floor, sent, tables, floorTables);
  shared.client.destroy();
  floor.destroy();
  const perSecond = (1000 * options.rows) / ms;
  const floorPerSecond = (1000 * options.rows) / floorMs;
  return {
    rows: options.rows,
    ms: round(ms),
    rowsPerSecond: round(perSecond),
    status: reply.status,
    registered: reply.json.registered ?? 0,
    transactions: sent.length,
    itemsPerTransaction: round(
      sent.reduce((total, input) => total + (input.TransactItems?.length ?? 0), 0) / sent.length,
    ),
    reads,
    floorMs: round(floorMs),
    floorRowsPerSecond: round(floorPerSecond),
    ratio: ratio(perSecond, floorPerSecond),
  };
}
