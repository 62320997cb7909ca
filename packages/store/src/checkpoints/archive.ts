import type { SignedCheckpoint } from "@relief-ledger/core";

/** A stored checkpoint as read back, unchecked: a forged or damaged one is a finding, not a crash. */
export type StoredCheckpoint = { readonly name: string; readonly record: unknown };

/**
 * Where checkpoints are kept, outside the tables: files under the data directory locally
 * (archive-files.ts), an S3 bucket under Object Lock in compliance mode in AWS (archive-s3.ts),
 * which not even the account's root can empty before the retention ends.
 */
export type CheckpointArchive = {
  /** Stores a checkpoint; never replaces one (a second put of the same seq keeps the first). */
  put(checkpoint: SignedCheckpoint): Promise<void>;
  /** A book's checkpoints, oldest (lowest seq) first. */
  list(book: string): Promise<StoredCheckpoint[]>;
};

/** A checkpoint's name: the book and its seq, zero-padded so that names sort as seqs do. */
export const checkpointName = (book: string, seq: number): string => `${book}/${String(seq).padStart(12, "0")}.json`;

/** The seq a name was stored under; NaN for a name that is not a checkpoint's. */
export const seqOfName = (name: string): number => Number(/\/(\d{12})\.json$/.exec(name)?.[1] ?? Number.NaN);
