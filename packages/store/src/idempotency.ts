import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/**
 * What the journal keeps per idempotency key: a fingerprint of the request and the seqs it
 * recorded. A retry is answered from the journal itself (those seqs), so the record stays small
 * however large the original response was.
 */
export type IdempotencyRecord = {
  readonly requestHash: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly recordedAt: string;
};

export function readIdempotencyRecord(item: Record<string, AttributeValue>): IdempotencyRecord {
  const { requestHash, firstSeq, lastSeq, recordedAt } = item;
  if (!requestHash?.S || !firstSeq?.N || !lastSeq?.N) throw new Error("malformed idempotency record");
  return {
    requestHash: requestHash.S,
    firstSeq: Number(firstSeq.N),
    lastSeq: Number(lastSeq.N),
    recordedAt: recordedAt?.S ?? "",
  };
}
