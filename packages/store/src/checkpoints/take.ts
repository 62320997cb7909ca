import {
  type ChainBreak,
  type ChainHead,
  checkCheckpoint,
  checkpointMessage,
  checkpointStatement,
  createChainVerifier,
  EMPTY_HEAD,
  SignedCheckpoint,
} from "@relief-ledger/core";
import type { JournalRead } from "../journal-read.ts";
import type { CheckpointArchive } from "./archive.ts";
import type { CheckpointSigner } from "./signer.ts";

/**
 * Entries per checkpoint at most: a first checkpoint of a large book is cut into several, so that
 * each object stays under a megabyte (64 hex characters and a bit per entry).
 */
export const MAX_CHECKPOINT_ENTRIES = 10_000;

export type CheckpointResult =
  | {
      readonly status: "taken";
      readonly book: string;
      readonly checkpoints: readonly { seq: number; fromSeq: number }[];
    }
  | { readonly status: "unchanged"; readonly book: string; readonly seq: number }
  /** The journal no longer continues what was attested: nothing is signed, and someone must look. */
  | { readonly status: "refused"; readonly book: string; readonly breaks: readonly ChainBreak[] };

/** The newest checkpoint the key signed, as the head it attests; the chain's start without one. */
export async function lastAttested(archive: CheckpointArchive, book: string, publicKeyPem: string): Promise<ChainHead> {
  const stored = await archive.list(book);
  for (let index = stored.length - 1; index >= 0; index--) {
    const { record } = stored[index] as { record: unknown };
    if (checkCheckpoint(record, publicKeyPem).ok) {
      const { statement } = SignedCheckpoint.parse(record);
      return { seq: statement.seq, hash: statement.hash };
    }
  }
  return EMPTY_HEAD;
}

/**
 * Takes a book's checkpoint: from the last one it signed to the head. It signs only a journal that
 * continues the last attested entry, sealed and linked to it; if it does not, or the head is behind
 * what was attested, it refuses and says why: a rewrite since the last checkpoint is never blessed.
 * Safe to run twice at once: a checkpoint of a seq already stored keeps the first.
 */
export async function takeCheckpoint<S>(
  journal: Pick<JournalRead<S>, "head" | "records">,
  book: string,
  keeper: { archive: CheckpointArchive; signer: CheckpointSigner },
  options: { clock?: () => Date; maxEntries?: number } = {},
): Promise<CheckpointResult> {
  const { archive, signer } = keeper;
  const head = await journal.head(book);
  const from = await lastAttested(archive, book, signer.publicKeyPem);
  if (head.seq === from.seq) return { status: "unchanged", book, seq: head.seq };
  if (head.seq < from.seq) {
    return {
      status: "refused",
      book,
      breaks: [
        {
          seq: head.seq + 1,
          reason: "checkpoint-beyond-head",
          detail: `a checkpoint attests seq ${from.seq}, the book head is at ${head.seq}`,
        },
      ],
    };
  }
  const verifier = createChainVerifier(from);
  const hashes: string[] = [];
  for await (const page of journal.records(book, { fromSeq: from.seq + 1, toSeq: head.seq, pageSize: 1000 })) {
    for (const { seq, record } of page) {
      verifier.push(record, seq);
      hashes.push(String(record.hash));
    }
  }
  const report = verifier.finish(head.seq, head.hash);
  if (!report.ok) return { status: "refused", book, breaks: report.breaks };

  const at = (options.clock ?? (() => new Date()))();
  const size = options.maxEntries ?? MAX_CHECKPOINT_ENTRIES;
  const taken: { seq: number; fromSeq: number }[] = [];
  for (let offset = 0; offset < hashes.length; offset += size) {
    const slice = hashes.slice(offset, offset + size);
    const statement = checkpointStatement(book, from.seq + 1 + offset, slice, at);
    const signature = await signer.sign(checkpointMessage(statement));
    await archive.put({ statement, hashes: slice, keyId: signer.keyId, algorithm: "Ed25519", signature });
    taken.push({ seq: statement.seq, fromSeq: statement.fromSeq });
  }
  return { status: "taken", book, checkpoints: taken };
}
