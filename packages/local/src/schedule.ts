import type { Ledger } from "@relief-ledger/api";
import {
  type CheckpointKeeper,
  type CursorStore,
  checkpointBooks,
  describeCheckpoint,
  describeExpiry,
  expireProposals,
  type Logger,
  NO_METRICS,
  runObservedRollup,
  verifyBooksNightly,
} from "@relief-ledger/store";

/** The local stand-in for the AWS cron: closing a month is idempotent, so running often is harmless. */
const ROLLUP_EVERY_MS = 6 * 3600 * 1000;
/**
 * Checkpoints at least hourly while a book changes (a book that did not change costs one read):
 * every ten minutes bounds what a rewrite of the database could do unseen to ten minutes of entries.
 */
const CHECKPOINT_EVERY_MS = 10 * 60 * 1000;
/**
 * The local stand-in for the daily expiry cron. A proposal expires when its book's day turns, so a
 * server left running expires it within a day of that; a rerun the same day replays its rounds.
 */
const EXPIRY_EVERY_MS = 24 * 3600 * 1000;
/** The local stand-in for the nightly chain verification: new entries and a slice of the rest, daily. */
const VERIFY_EVERY_MS = 24 * 3600 * 1000;

/**
 * The jobs `npm start` runs itself: the proposal expiry (now and daily), the monthly rollup (now and
 * every six hours), checkpoints (now and every ten minutes, and after every close) and the chain
 * verification (after the first checkpoint, then daily). A failure is
 * logged and the server keeps serving; a refused checkpoint says so loudly on every run until
 * someone looks.
 */
export function scheduleLocalJobs(
  ledger: Ledger,
  keeper: CheckpointKeeper,
  verification: { cursors: CursorStore },
  logs: { rollup: Logger; verify: Logger },
): void {
  const rollup = async () => {
    try {
      // Its log prints a line per month closed or refused, and one for the run.
      await runObservedRollup(ledger.journal, {
        log: logs.rollup,
        metrics: NO_METRICS,
        ...(ledger.afterClose ? { afterClose: ledger.afterClose } : {}),
      });
    } catch {
      // Logged by the run itself, with its stack; the server keeps serving.
    }
  };
  const expire = async () => {
    try {
      for (const result of await expireProposals(ledger.journal)) {
        const line = describeExpiry(result);
        if (line && result.error) console.error(line);
        else if (line) console.log(line);
      }
    } catch (error) {
      console.error(`proposal expiry failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const checkpoint = async () => {
    try {
      for (const result of await checkpointBooks(ledger.journal, keeper)) {
        const line = describeCheckpoint(result);
        if (line && result.status === "refused") console.error(line);
      }
    } catch (error) {
      console.error(`checkpoint failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const verify = async () => {
    try {
      // Its log prints a line per book, and "chain broken" with the first bad seq at error.
      await verifyBooksNightly(ledger.journal, verification.cursors, { log: logs.verify, metrics: NO_METRICS });
    } catch (error) {
      console.error(`chain verification failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // Expiry first: a month is not closed while a proposal dated in it is pending.
  void expire().then(rollup).then(checkpoint).then(verify);
  setInterval(verify, VERIFY_EVERY_MS).unref();
  setInterval(expire, EXPIRY_EVERY_MS).unref();
  setInterval(rollup, ROLLUP_EVERY_MS).unref();
  setInterval(checkpoint, CHECKPOINT_EVERY_MS).unref();
}
