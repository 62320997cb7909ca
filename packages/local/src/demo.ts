import type { Ledger, Loading } from "@relief-ledger/api";
import { generateDemo, loadDemo } from "@relief-ledger/jobs/demo";
import { closeThrough } from "@relief-ledger/store";

/** The book a first start loads, and the one the printed demo tokens open. */
export const DEMO_BOOK = "bazhou-2010";
const DEMO_CLOSE_THROUGH = "2010-12";

/** One line rewritten in place on a terminal; elsewhere (a log, a pipe) a line per tenth. */
function progressLine(label: string): (done: number, total: number) => void {
  let shown = -1;
  let last = 0;
  return (done, total) => {
    const percent = Math.floor((done * 100) / total);
    if (process.stdout.isTTY) {
      const now = Date.now();
      if (done === total || now - last > 200) {
        last = now;
        process.stdout.write(`\r  ${label}: ${done}/${total} steps (${percent}%)${done === total ? "\n" : ""}`);
      }
    } else if (Math.floor(percent / 10) > shown) {
      shown = Math.floor(percent / 10);
      console.log(`  ${label}: ${done}/${total} steps (${percent}%)`);
    }
  };
}

const closing = (ledger: Ledger) => (ledger.afterClose ? { afterClose: ledger.afterClose } : {});

/**
 * Loads the demo book when it is not complete: absent, or left half-loaded by an interrupted first
 * start (every step has its idempotency key, so a second load writes only what is missing), then
 * closes its months of 2010 as the monthly rollup would have. Runs behind the serving API:
 * `progress` is what GET /v1/books and the dashboard say while it runs.
 */
export async function ensureDemo(ledger: Ledger, progress: (loading: Loading) => void): Promise<void> {
  const { journal } = ledger;
  const head = await journal.head(DEMO_BOOK);
  const script = generateDemo();
  if (head.state.book && head.seq >= script.eventCount) {
    const last = await journal.entry(DEMO_BOOK, script.eventCount);
    if (last?.idempotencyKey === script.steps.at(-1)?.idempotencyKey) {
      if (head.state.closedThrough === null)
        await closeThrough(journal, DEMO_BOOK, DEMO_CLOSE_THROUGH, closing(ledger));
      return;
    }
  }
  const what = head.state.book ? "resuming the interrupted load of" : "loading";
  console.log(
    `${what} the demo book ${DEMO_BOOK} behind the server (${script.steps.length} steps, ${script.eventCount} events; first start only)…`,
  );
  const started = Date.now();
  const line = progressLine("demo");
  progress({ book: DEMO_BOOK, done: 0, total: script.steps.length });
  // The demo's bank accounts are sealed and hashed with the server's own keys, so that it opens them.
  if (!ledger.dataKey) throw new Error("the demo book's bank accounts need a data key to be sealed with");
  const result = await loadDemo(journal, {
    script,
    keys: { dataKey: ledger.dataKey, idHashKey: ledger.idHashKey },
    onProgress: (done, total) => {
      progress({ book: DEMO_BOOK, done, total });
      line(done, total);
    },
  });
  const closed = await closeThrough(journal, DEMO_BOOK, DEMO_CLOSE_THROUGH, closing(ledger));
  const refused = closed.find((close) => close.status === "refused");
  if (refused?.status === "refused") {
    console.error(`closing ${refused.period} of ${DEMO_BOOK} was refused: ${refused.error.message}`);
  }
  console.log(
    `demo book ${DEMO_BOOK} loaded: ${result.events} events written in ${((Date.now() - started) / 1000).toFixed(1)} s; months closed through ${DEMO_CLOSE_THROUGH}`,
  );
}
