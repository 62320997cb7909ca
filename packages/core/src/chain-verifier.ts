import type { z } from "zod";
import { type ChainHead, hashEvent, JournalEvent } from "./journal-event.ts";

export type ChainBreakReason =
  | "missing"
  | "hash-mismatch"
  | "prev-hash-mismatch"
  | "malformed"
  | "out-of-order"
  | "index-mismatch"
  | "checkpoint-mismatch"
  | "checkpoint-beyond-head"
  | "checkpoint-invalid";

export type ChainBreak = { readonly seq: number; readonly reason: ChainBreakReason; readonly detail: string };

/** An auditor reads a list, not a flood: past this many, breaks are only counted. */
export const MAX_LISTED_BREAKS = 100;

export type ChainReport = {
  readonly ok: boolean;
  /** Events whose seal and link were checked. */
  readonly checked: number;
  readonly fromSeq: number;
  /** The last seq and hash that verified before the first break. */
  readonly lastGood: ChainHead;
  readonly firstBreak?: ChainBreak;
  /** Every break found, in seq order, up to MAX_LISTED_BREAKS. */
  readonly breaks: readonly ChainBreak[];
  /** How many breaks were found in all (more than listed when past the limit). */
  readonly breakCount: number;
};

/**
 * Collects breaks in seq order, listing the first MAX_LISTED_BREAKS. `lastGood` is where the
 * chain was still whole: set by whoever feeds it, frozen once the first break is added.
 */
export function createBreakList() {
  const listed: ChainBreak[] = [];
  let count = 0;
  return {
    add(seq: number, reason: ChainBreakReason, detail: string) {
      count += 1;
      if (listed.length < MAX_LISTED_BREAKS) listed.push({ seq, reason, detail });
    },
    get count() {
      return count;
    },
    get listed(): readonly ChainBreak[] {
      return [...listed].sort((a, b) => a.seq - b.seq);
    },
  };
}

/**
 * Checks a stream of stored events, in seq order, against the chain: each must be well formed,
 * carry the next seq, link to the previous event's hash and be sealed by its own hash.
 *
 * It goes on past a break, so that an auditor sees every damaged entry, not only the first: after
 * a break it checks each later event against the hash stored on the one before it, so that one
 * altered entry is named once and its neighbours, if untouched, verify. An event altered and
 * re-sealed with a fresh hash of its own is named by its successor, whose link no longer matches.
 *
 * `start` is the head just before the first event expected (seq 0 and the genesis hash for a
 * whole book). Events arrive as raw records so that a malformed one is a finding, not a crash.
 */
export function createChainVerifier(start: ChainHead) {
  /**
   * The last seq seen and the hash the next must link to: the one stored on it, or, when only its
   * stored hash was altered, the one its content recomputes to (unknown after a malformed record).
   */
  let previous: { seq: number; hash: string | undefined; recomputed?: string } = start;
  let lastGood: ChainHead = start;
  let checked = 0;
  const breaks = createBreakList();

  const fail = (seq: number, reason: ChainBreakReason, detail: string) => {
    breaks.add(seq, reason, detail);
    return false;
  };
  /** Accounts for seqs skipped before `recordSeq`; false if any were. */
  const gapBefore = (recordSeq: number): boolean => {
    const nextSeq = previous.seq + 1;
    if (recordSeq <= nextSeq) return true;
    const span = recordSeq - 1 === nextSeq ? `seq ${nextSeq} is` : `seqs ${nextSeq}–${recordSeq - 1} are`;
    fail(nextSeq, "missing", `${span} missing; the next stored event is ${recordSeq}`);
    previous = { seq: recordSeq - 1, hash: undefined };
    return false;
  };
  const advance = (seq: number, hash: string | undefined, whole: boolean, recomputed?: string) => {
    previous = recomputed === undefined ? { seq, hash } : { seq, hash, recomputed };
    if (whole && breaks.count === 0 && hash !== undefined) lastGood = { seq, hash };
  };

  return {
    /** Feeds one stored record; returns whether it verified. */
    push(record: unknown, recordSeq: number): boolean {
      if (recordSeq <= previous.seq) {
        return fail(recordSeq, "out-of-order", `seq ${recordSeq} arrived after ${previous.seq}`);
      }
      const contiguous = gapBefore(recordSeq);
      checked += 1;
      const parsed = JournalEvent.safeParse(record);
      if (!parsed.success) {
        advance(recordSeq, undefined, false);
        return fail(recordSeq, "malformed", describeIssues(parsed.error));
      }
      const event = parsed.data;
      const { hash, ...unsealed } = event;
      const recomputed = hashEvent(unsealed);
      const linked =
        previous.hash === undefined || event.prevHash === previous.hash || event.prevHash === previous.recomputed;
      const expectedLink = previous.hash;
      // Later events are checked against what is stored, so that each damaged entry is named once.
      advance(event.seq, hash, contiguous && linked && recomputed === hash, recomputed);
      if (!linked) {
        return fail(
          event.seq,
          "prev-hash-mismatch",
          `links to ${event.prevHash}, but the entry before it is sealed with ${expectedLink}`,
        );
      }
      if (recomputed !== hash) return fail(event.seq, "hash-mismatch", `stored hash ${hash}, recomputed ${recomputed}`);
      return contiguous;
    },
    /** Rejects a record for a reason found outside the chain (its store's index keys, say). */
    reject(recordSeq: number, reason: ChainBreakReason, detail: string, record?: unknown): boolean {
      if (recordSeq <= previous.seq) return fail(recordSeq, reason, detail);
      gapBefore(recordSeq);
      checked += 1;
      const parsed = JournalEvent.safeParse(record);
      advance(recordSeq, parsed.success ? parsed.data.hash : undefined, false);
      return fail(recordSeq, reason, detail);
    },
    /** Declares where the chain should end (the book head); a shorter stream is a gap. */
    finish(endSeq: number, endHash?: string): ChainReport {
      if (previous.seq < endSeq) {
        const span = previous.seq + 1 === endSeq ? `seq ${endSeq} is` : `seqs ${previous.seq + 1}–${endSeq} are`;
        fail(previous.seq + 1, "missing", `${span} missing; the book head is at ${endSeq}`);
      } else if (endHash !== undefined && previous.seq === endSeq && previous.hash !== endHash) {
        fail(endSeq, "hash-mismatch", `the book head records hash ${endHash}, the chain ends at ${previous.hash}`);
      }
      const listed = breaks.listed;
      return {
        ok: breaks.count === 0,
        checked,
        fromSeq: start.seq + 1,
        lastGood,
        ...(listed[0] ? { firstBreak: listed[0] } : {}),
        breaks: listed,
        breakCount: breaks.count,
      };
    },
  };
}

const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`).join("; ");
