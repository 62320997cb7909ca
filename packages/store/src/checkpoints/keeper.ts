import { join } from "node:path";
import type { CheckpointArchive } from "./archive.ts";
import { fileCheckpointArchive } from "./archive-files.ts";
import { s3CheckpointArchive } from "./archive-s3.ts";
import {
  type CheckpointSigner,
  kmsCheckpointSigner,
  kmsPublicKey,
  localCheckpointPublicKey,
  localCheckpointSigner,
} from "./signer.ts";

/** What checks checkpoints: where they are kept and the key that signed them (undefined before any). */
export type CheckpointReader = {
  readonly archive: CheckpointArchive;
  publicKey(): Promise<string | undefined>;
};

/** What takes them: a reader that also holds the signing key. */
export type CheckpointKeeper = CheckpointReader & { signer(): Promise<CheckpointSigner> };

const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
};

/**
 * Locally: the key under `<dataDir>/keys`, the checkpoints under `<dataDir>/checkpoints`, both
 * outside DynamoDB Local's `<dataDir>/dynamodb`.
 */
export function localCheckpoints(dataDir: string): CheckpointKeeper {
  const keys = join(dataDir, "keys");
  const signer = once(async () => localCheckpointSigner(keys));
  return {
    archive: fileCheckpointArchive(join(dataDir, "checkpoints")),
    publicKey: async () => localCheckpointPublicKey(keys),
    signer,
  };
}

/** In AWS: the bucket and the KMS key the stage made (infra/checkpoint.ts); Sign only works for the job's role. */
export function awsCheckpoints(options: { bucket: string; keyId: string }): CheckpointKeeper {
  const publicKey = once(() => kmsPublicKey(options.keyId));
  return {
    archive: s3CheckpointArchive(options.bucket),
    publicKey,
    signer: once(() => kmsCheckpointSigner(options.keyId)),
  };
}

/** The checkpoints a deployed function reads, from its environment; undefined where none are configured. */
export function checkpointsFromEnv(env: NodeJS.ProcessEnv = process.env): CheckpointKeeper | undefined {
  const bucket = env.LEDGER_CHECKPOINT_BUCKET;
  const keyId = env.LEDGER_CHECKPOINT_KEY_ID;
  if (bucket && keyId) return awsCheckpoints({ bucket, keyId });
  if (env.LEDGER_DATA_DIR) return localCheckpoints(env.LEDGER_DATA_DIR);
  return undefined;
}
