import { accountContext, type Command, fingerprint, hashAccountNumber, ok } from "@relief-ledger/core";
import type { AppendResult, DataKey, LedgerJournal } from "@relief-ledger/store";
import { ledgerAppend } from "@relief-ledger/store";
import { type DemoScript, type DemoStep, generateDemo } from "./generate.ts";
import { unmeant } from "./memory.ts";

/**
 * Each step is decided as of its own business date (17:00 in Shanghai), as if sent that day: an
 * approval, a rejection or an expiry is dated the day it is given, and a proposal waits from then.
 */
export const stepClock = (step: DemoStep) => (): Date => new Date(`${step.today}T17:00:00+08:00`);

/**
 * Appends in flight at once. The book's writer decides queued commands in the order they were
 * queued and commits up to 64 of them per transaction (fewer when their items pass DynamoDB's 100
 * per transaction), so a few groups' worth keeps every transaction full without a long queue.
 */
const IN_FLIGHT = 256;

/**
 * The deployment's keys, which the demo's bank accounts need as the API's do: the data key seals
 * each account into the registry, the ID-hash key gives its number's keyed hash for the journal.
 */
export type DemoKeys = { readonly dataKey: DataKey; readonly idHashKey: string };

export type LoadOptions = {
  readonly keys: DemoKeys;
  readonly onProgress?: (done: number, total: number) => void;
  /** Another seed or a prepared script; by default the demo of DEFAULT_SEED. */
  readonly seed?: number;
  readonly script?: DemoScript;
};

export type LoadResult = {
  /** Events written by this load: 0 when the demo was already in. */
  readonly events: number;
  /** Steps whose idempotency key was already used, answered with what they recorded then. */
  readonly replayed: number;
  readonly steps: number;
};

/**
 * Loads the demo book through the journal, one append per step with the step's idempotency key
 * and actor, so a second load (or a resumed one, after a crash) replays every key and writes
 * nothing. Steps are queued in script order and the writer decides them in that order, which is
 * what makes the dependencies hold (a payout after the file of its household, a reversal after
 * its entry) and the seqs the script expects come out; many are in flight so that group commit
 * fills each transaction. The first refused step stops the load with an error that names it.
 */
export async function loadDemo(journal: LedgerJournal, options: LoadOptions): Promise<LoadResult> {
  const script = options.script ?? generateDemo(options.seed === undefined ? {} : { seed: options.seed });
  const total = script.steps.length;
  // Where each step's events must land. Reversals and findings name entries by seq, so a book
  // that is not the demo's alone (someone else's entries in between) must stop the load at once.
  const expectedSeq: number[] = [];
  let next = 1;
  for (const step of script.steps) {
    expectedSeq.push(next);
    next += step.events;
  }
  const inFlight = new Set<Promise<void>>();
  let failure: { index: number; error: Error } | undefined;
  let [done, events, replayed] = [0, 0, 0];

  const fail = (index: number, error: Error) => {
    if (!failure || index < failure.index) failure = { index, error };
  };
  // A command that decides nothing now is answered "nothing" before its key is looked up: the daily
  // expiry's, once what it expired is voided. Whether the step was recorded, the journal says.
  const recordedBefore = async (index: number, step: DemoStep, result: AppendResult): Promise<AppendResult> => {
    if (!result.ok || result.value.events.length > 0 || step.events === 0) return result;
    const entry = await journal.entry(script.book, expectedSeq[index] as number);
    return entry?.idempotencyKey === step.idempotencyKey ? ok({ events: [entry], replayed: true }) : result;
  };
  const settle = (index: number, step: DemoStep, result: AppendResult) => {
    if (!result.ok) {
      const { code, message } = result.error;
      return fail(index, new Error(`demo step ${index} (${step.idempotencyKey}) was refused: ${code}: ${message}`));
    }
    const mistake = unmeant(result.value.events);
    if (mistake) fail(index, new Error(`demo step ${index} (${step.idempotencyKey}) ${mistake}`));
    const seq = result.value.events[0]?.seq;
    if (seq !== expectedSeq[index]) {
      const why = "the book holds entries that are not the demo's, so its references to entries would be wrong";
      fail(
        index,
        new Error(
          `demo step ${index} (${step.idempotencyKey}) landed at seq ${seq}, not ${expectedSeq[index]}: ${why}`,
        ),
      );
    }
    if (result.value.replayed) replayed += 1;
    else events += result.value.events.length;
  };

  for (const [index, step] of script.steps.entries()) {
    if (failure) break;
    const { command, requestHash } = await sealed(script.book, step, options.keys);
    const append = journal
      .append(
        script.book,
        ledgerAppend(script.book, command, {
          idempotencyKey: step.idempotencyKey,
          actor: step.actor,
          clock: stepClock(step),
          ...(requestHash ? { requestHash } : {}),
        }),
      )
      .then((result) => recordedBefore(index, step, result))
      .then(
        (result) => settle(index, step, result),
        (error: unknown) => fail(index, error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => {
        inFlight.delete(append);
        done += 1;
        options.onProgress?.(done, total);
      });
    inFlight.add(append);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return { events, replayed, steps: total };
}

/**
 * A step's command as it is appended: a set-bank-account step's account sealed with the data key
 * and its number hashed with the ID-hash key, as the API's routes do (routes/bank-accounts.ts).
 * A fresh seal differs every time, so the key guards the account's keyed hash instead, as the
 * roster import's accounts are guarded: a second load with the same keys replays every step.
 */
async function sealed(
  book: string,
  step: DemoStep,
  keys: DemoKeys,
): Promise<{ command: Command; requestHash?: string }> {
  const { command, account } = step;
  if (!account || command.type !== "set-bank-account") return { command };
  const { beneficiaryId } = command;
  const accountHash = hashAccountNumber(keys.idHashKey, book, account.accountNumber);
  const fields = { bank: account.bank, accountName: account.accountName, accountNumber: account.accountNumber };
  return {
    command: { ...command, accountHash, sealed: await keys.dataKey.seal(fields, accountContext(book, beneficiaryId)) },
    requestHash: fingerprint({ key: step.idempotencyKey, beneficiaryId, accountHash }),
  };
}
