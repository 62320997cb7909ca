import {
  annualRef,
  type BookState,
  type ChainBreak,
  checkCheckpoint,
  checkpointKeyId,
  createBreakList,
  type Difference,
  emptyStart,
  encodeState,
  evolve,
  fingerprint,
  initialState,
  JournalEvent,
  jsonDifferences,
  PeriodClosed,
  periodsThrough,
  type Rollup,
  rollupHash,
  rollupRef,
  SignedCheckpoint,
  startAfter,
} from "@relief-ledger/core";
import { type CheckpointReader, seqOfName } from "./checkpoints/index.ts";
import type { StoredRecord } from "./journal-read.ts";
import type { VerifyReport } from "./journal-verify.ts";
import type { LedgerJournal } from "./ledger-journal.ts";
import { foldMonth } from "./rollups/month-fold.ts";

export type RollupDifference = Difference & { readonly period: string };

/** What verify says of a book: the chain, the checkpoints it was held to, and the figures recomputed. */
export type BookVerification = VerifyReport & {
  readonly toSeq: number;
  readonly checkpoints: {
    /** Whether checkpoints are kept for this deployment at all. */
    readonly kept: boolean;
    readonly keyId: string | null;
    /** Checkpoints whose signature held, and the entries they attest within the range. */
    readonly valid: number;
    readonly attested: number;
    readonly latest: { readonly seq: number; readonly at: string } | null;
  };
  /** The head's balances and counters folded again from the whole journal (only for a whole book). */
  readonly state: { readonly compared: boolean; readonly differences: readonly Difference[] };
  /** Each closed month's stored rollup folded again from its events. */
  readonly rollups: { readonly compared: number; readonly differences: readonly RollupDifference[] };
};

type Attested = { readonly hash: string; readonly checkpointSeq: number; readonly at: string };

/**
 * Verifies a book as an auditor needs it verified, in one read of the journal:
 * - the chain: every event sealed by its hash and linked to the one before, indexes as derived;
 * - the checkpoints: every signed checkpoint's listed hashes against the stored entries, so that a
 *   rewrite re-sealed all the way to the head is still named at the entry that changed, and a
 *   journal cut short is named by the checkpoint that attests more;
 * - the figures: the head's state (fund balances, counters) folded again from the events, and
 *   every closed month's stored rollup folded again from its events and compared, so that an
 *   entry edited in place shows as a balance that no longer follows from the journal.
 * It lists up to a hundred breaks and a hundred differences of each kind, not only the first.
 */
export async function verifyBook(
  journal: LedgerJournal,
  book: string,
  options: {
    checkpoints?: CheckpointReader | undefined;
    fromSeq?: number;
    toSeq?: number;
    /** A request's deadline: the reads stop between pages once it has passed. */
    signal?: AbortSignal;
  } = {},
): Promise<BookVerification> {
  const head = await journal.head(book);
  const fromSeq = Math.max(1, options.fromSeq ?? 1);
  const toSeq = Math.min(options.toSeq ?? head.seq, head.seq);
  const extra = createBreakList();
  const attested = new Map<number, Attested>();
  const summary = await readCheckpoints(options.checkpoints, book, head.seq, { fromSeq, toSeq }, attested, extra);

  const whole = fromSeq === 1 && toSeq === head.seq;
  let state: BookState = initialState();
  let foldable = whole;
  const months = new Map<string, { firstSeq: number; lastSeq: number }>();
  const closes: Close[] = [];
  const mismatches = createMismatchRuns(extra);

  const report = await journal.verify(
    book,
    { fromSeq, toSeq },
    ({ seq, record }: StoredRecord) => {
      const claim = attested.get(seq);
      mismatches.see(seq, claim && record.hash !== claim.hash ? { claim, stored: String(record.hash) } : undefined);
      if (!foldable) return;
      const parsed = JournalEvent.safeParse(record);
      if (!parsed.success) {
        foldable = false;
        return;
      }
      const event = parsed.data;
      state = evolve(state, event);
      if (event.type === "PeriodClosed") {
        const { period, rollupHash, from, annualReportHash } = PeriodClosed.parse(event.payload);
        closes.push({
          period,
          rollupHash,
          seq,
          ...(from ? { from } : {}),
          ...(annualReportHash ? { annualReportHash } : {}),
        });
        return;
      }
      const month = event.occurredOn.slice(0, 7);
      const range = months.get(month);
      months.set(month, { firstSeq: range?.firstSeq ?? seq, lastSeq: seq });
    },
    options.signal,
  );
  mismatches.end();

  const stateDifferences = foldable ? jsonDifferences(encodeState(head.state), encodeState(state)) : [];
  const rollups = foldable ? await compareRollups(journal, book, head.state, closes, months, options.signal) : [];
  const breaks = [...report.breaks, ...extra.listed].sort((a, b) => a.seq - b.seq).slice(0, 100);
  const ok = report.ok && extra.count === 0 && stateDifferences.length === 0 && rollups.length === 0;
  return {
    ...report,
    ok,
    toSeq,
    ...(breaks[0] ? { firstBreak: breaks[0] } : {}),
    breaks,
    breakCount: report.breakCount + extra.count,
    checkpoints: summary,
    state: { compared: foldable, differences: stateDifferences },
    rollups: { compared: foldable ? closes.length : 0, differences: rollups },
  };
}

/** Checks every stored checkpoint's signature; fills `attested` with the hashes the valid ones list. */
async function readCheckpoints(
  reader: CheckpointReader | undefined,
  book: string,
  headSeq: number,
  range: { fromSeq: number; toSeq: number },
  attested: Map<number, Attested>,
  breaks: ReturnType<typeof createBreakList>,
): Promise<BookVerification["checkpoints"]> {
  const publicKey = reader ? await reader.publicKey() : undefined;
  const stored = reader ? await reader.archive.list(book) : [];
  let valid = 0;
  let latest: { seq: number; at: string } | null = null;
  for (const { name, record } of stored) {
    const check = publicKey
      ? checkCheckpoint(record, publicKey)
      : { ok: false as const, problem: "no public key to check it with" };
    if (!check.ok) {
      const seq = seqOfName(name);
      breaks.add(Number.isFinite(seq) ? seq : 0, "checkpoint-invalid", `checkpoint ${name}: ${check.problem}`);
      continue;
    }
    const { statement, hashes } = SignedCheckpoint.parse(record);
    valid += 1;
    if (!latest || statement.seq > latest.seq) latest = { seq: statement.seq, at: statement.at };
    if (statement.seq > headSeq) {
      breaks.add(
        headSeq + 1,
        "checkpoint-beyond-head",
        `the checkpoint signed at ${statement.at} attests seq ${statement.seq} ending in ${statement.hash}; the book head is at ${headSeq}, so entries after it were removed`,
      );
    }
    hashes.forEach((hash, index) => {
      const seq = statement.fromSeq + index;
      if (seq >= range.fromSeq && seq <= range.toSeq)
        attested.set(seq, { hash, checkpointSeq: statement.seq, at: statement.at });
    });
  }
  return {
    kept: reader !== undefined,
    keyId: publicKey ? checkpointKeyId(publicKey) : null,
    valid,
    attested: attested.size,
    latest,
  };
}

/**
 * Names entries whose stored hash is not the one a checkpoint attests. After a rewrite re-sealed to
 * the head, every later entry differs too: a run of consecutive mismatches is named once at its
 * first seq (the entry that changed) and once for the rest, not a hundred times over.
 */
function createMismatchRuns(breaks: ReturnType<typeof createBreakList>) {
  let run: { first: number; last: number } | undefined;
  const close = () => {
    if (run && run.last > run.first) {
      const span =
        run.last === run.first + 1
          ? `seq ${run.last} no longer matches`
          : `seqs ${run.first + 1}–${run.last} no longer match`;
      breaks.add(
        run.first + 1,
        "checkpoint-mismatch",
        `${span} the checkpoints either: re-sealed after seq ${run.first}`,
      );
    }
    run = undefined;
  };
  return {
    see(seq: number, mismatch: { claim: Attested; stored: string } | undefined) {
      if (!mismatch) return close();
      if (run && seq === run.last + 1) {
        run.last = seq;
        return;
      }
      close();
      run = { first: seq, last: seq };
      const { claim, stored } = mismatch;
      breaks.add(
        seq,
        "checkpoint-mismatch",
        `the checkpoint of seq ${claim.checkpointSeq}, signed at ${claim.at}, attests hash ${claim.hash} for this entry; the stored entry is sealed with ${stored}`,
      );
    },
    end: close,
  };
}

/** A PeriodClosed as verify reads it: the month, the run of months without events it closed with, the year's digest. */
type Close = {
  readonly period: string;
  readonly rollupHash: string;
  readonly seq: number;
  readonly from?: string;
  readonly annualReportHash?: string;
};

/**
 * Folds each closed month again from its events, starting where the month before ended, and
 * compares it with the stored rollup and with the hash its PeriodClosed entry recorded. The months
 * without events a close covered are folded and compared with their stored rollups too, and a
 * year's frozen annual report with the digest its December's close recorded.
 */
async function compareRollups(
  journal: LedgerJournal,
  book: string,
  state: BookState,
  closes: readonly Close[],
  months: ReadonlyMap<string, { firstSeq: number; lastSeq: number }>,
  signal?: AbortSignal,
): Promise<RollupDifference[]> {
  const differences: RollupDifference[] = [];
  const runOf = (close: Close) => (close.from ? periodsThrough(close.from, close.period) : [close.period]);
  const stored = await journal.entities(book, [
    ...closes.flatMap((close) => runOf(close).map(rollupRef)),
    ...closes.flatMap((close) => (close.annualReportHash ? [annualRef(close.period.slice(0, 4))] : [])),
  ]);
  let start = emptyStart();
  for (const close of closes) {
    for (const month of runOf(close)) {
      const recomputed = await foldMonth(journal, book, state, month, months.get(month), start, signal);
      start = startAfter(recomputed);
      const kept = stored.get(rollupRef(month)) as Rollup | null | undefined;
      const add = (difference: Difference) => {
        if (differences.length < 100) differences.push({ period: month, ...difference });
      };
      if (month === close.period && rollupHash(recomputed) !== close.rollupHash) {
        add({ path: "rollupHash", recorded: close.rollupHash, recomputed: rollupHash(recomputed) });
      }
      if (!kept) add({ path: "(stored rollup)", recorded: null, recomputed: rollupHash(recomputed) });
      else for (const difference of jsonDifferences(kept, recomputed, 20)) add(difference);
    }
    if (close.annualReportHash) {
      // The frozen report cannot be folded again (it froze where the findings stood that day): its digest is checked.
      const frozen = stored.get(annualRef(close.period.slice(0, 4)));
      const digest = frozen ? fingerprint(frozen) : null;
      if (digest !== close.annualReportHash && differences.length < 100) {
        differences.push({
          period: close.period,
          path: "(annual report)",
          recorded: close.annualReportHash,
          recomputed: digest,
        });
      }
    }
  }
  return differences;
}

export type { ChainBreak };
