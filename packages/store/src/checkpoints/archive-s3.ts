import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { SignedCheckpoint } from "@relief-ledger/core";
import { type CheckpointArchive, checkpointName, type StoredCheckpoint } from "./archive.ts";

/** How many checkpoints are fetched at once when a book's are read. */
const PARALLEL_GETS = 16;

/**
 * Checkpoints in an S3 bucket created with Object Lock in compliance mode and a default retention
 * (infra/checkpoint.ts): every object is kept unaltered for the retention period, whoever asks.
 * A put is conditional (If-None-Match: *), so a second checkpoint of the same seq is refused and
 * the first stands. Only the checkpoint job's role may put; the readers' roles may list and get.
 */
export function s3CheckpointArchive(bucket: string, client: S3Client = new S3Client({})): CheckpointArchive {
  return {
    async put(checkpoint: SignedCheckpoint) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: checkpointName(checkpoint.statement.book, checkpoint.statement.seq),
            Body: JSON.stringify(checkpoint),
            ContentType: "application/json",
            IfNoneMatch: "*",
            // Object Lock requires an integrity checksum on every put.
            ChecksumAlgorithm: "SHA256",
          }),
        );
      } catch (error) {
        // 412: the seq is checkpointed already (two runs at once); the first one stands.
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412) return;
        throw error;
      }
    },
    async list(book: string): Promise<StoredCheckpoint[]> {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: `${book}/`,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key) names.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      names.sort();
      const stored: StoredCheckpoint[] = [];
      for (let start = 0; start < names.length; start += PARALLEL_GETS) {
        const batch = names.slice(start, start + PARALLEL_GETS);
        stored.push(
          ...(await Promise.all(
            batch.map(async (name) => {
              const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }));
              const text = (await object.Body?.transformToString("utf-8")) ?? "";
              let record: unknown;
              try {
                record = JSON.parse(text);
              } catch {
                record = text;
              }
              return { name, record };
            }),
          )),
        );
      }
      return stored;
    },
  };
}
