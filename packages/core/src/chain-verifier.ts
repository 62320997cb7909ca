import type { z } from "zod";
import { type ChainHead, hashEvent, JournalEvent } from "./journal-event.ts";

export type ChainBreakReason =
  | "missing"
  | "hash-mismatch"
  | "prev-hash-mismatch"
  | "malformed"
  | "out-of-order"
  | "index-mismatch";

export type ChainBreak = { readonly seq: number; readonly reason: ChainBreakReason; readonly detail: string };

export type ChainReport = {
  readonly ok: boolean;
  /** Events whose seal and link were checked. */
  readonly checked: number;
  readonly fromSeq: number;
  /** The last seq and hash that verified. */
  readonly lastGood: ChainHead;
  readonly firstBreak?: ChainBreak;
};

/**
 * Checks a stream of stored events, in seq order, against the chain: each must be well formed,
 * carry the next seq, link to the previous hash and be sealed by its own hash. It stops at the
 * first break, because everything after a break is unanchored.
 *
 * `start` is the head just before the first event expected (seq 0 and the genesis hash for a
 * whole book). Events arrive as raw records so that a malformed one is a finding, not a crash.
 */
export function createChainVerifier(start: ChainHead) {
  let expected = start;
  let checked = 0;
  let firstBreak: ChainBreak | undefined;

  const fail = (seq: number, reason: ChainBreakReason, detail: string) => {
    firstBreak = { seq, reason, detail };
  };

  return {
    /** Feeds one stored record; returns false once the chain is broken. */
    push(record: unknown, recordSeq: number): boolean {
      if (firstBreak) return false;
      const nextSeq = expected.seq + 1;
      if (recordSeq > nextSeq) {
        fail(nextSeq, "missing", `seq ${nextSeq} is missing; the next stored event is ${recordSeq}`);
        return false;
      }
      if (recordSeq < nextSeq) {
        fail(recordSeq, "out-of-order", `seq ${recordSeq} arrived after ${expected.seq}`);
        return false;
      }
      const parsed = JournalEvent.safeParse(record);
      if (!parsed.success) {
        fail(recordSeq, "malformed", describeIssues(parsed.error));
        return false;
      }
      const event = parsed.data;
      if (event.prevHash !== expected.hash) {
        fail(event.seq, "prev-hash-mismatch", `links to ${event.prevHash}, the chain has ${expected.hash}`);
        return false;
      }
      const { hash, ...unsealed } = event;
      const recomputed = hashEvent(unsealed);
      if (recomputed !== hash) {
        fail(event.seq, "hash-mismatch", `stored hash ${hash}, recomputed ${recomputed}`);
        return false;
      }
      expected = { seq: event.seq, hash: event.hash };
      checked += 1;
      return true;
    },
    /** Rejects a record for a reason found outside the chain (its store's index keys, say). */
    reject(recordSeq: number, reason: ChainBreakReason, detail: string): boolean {
      if (firstBreak) return false;
      const nextSeq = expected.seq + 1;
      if (recordSeq > nextSeq)
        fail(nextSeq, "missing", `seq ${nextSeq} is missing; the next stored event is ${recordSeq}`);
      else fail(recordSeq, reason, detail);
      return false;
    },
    /** Declares where the chain should end (the book head); a shorter stream is a gap. */
    finish(endSeq: number, endHash?: string): ChainReport {
      if (!firstBreak && expected.seq < endSeq) {
        fail(expected.seq + 1, "missing", `seq ${expected.seq + 1} is missing; the book head is at ${endSeq}`);
      } else if (!firstBreak && endHash !== undefined && expected.seq === endSeq && expected.hash !== endHash) {
        fail(endSeq, "hash-mismatch", `the book head records hash ${endHash}, the chain ends at ${expected.hash}`);
      }
      return {
        ok: firstBreak === undefined,
        checked,
        fromSeq: start.seq + 1,
        lastGood: expected,
        ...(firstBreak ? { firstBreak } : {}),
      };
    },
  };
}

const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`).join("; ");
