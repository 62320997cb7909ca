import { createHash, createPublicKey, verify as verifySignature } from "node:crypto";
import { z } from "zod";
import { canonicalJson, sha256Hex } from "./canonical.ts";
import { BookId } from "./ids.ts";
import { Hash } from "./journal-event.ts";

/**
 * A checkpoint anchors a book's chain outside the database: a statement that at `at` the book's
 * journal ran to `seq` ending in `hash`, signed with a key the table writers do not hold (KMS in
 * AWS, a key file under the data dir locally) and kept where they cannot write (an S3 bucket under
 * Object Lock, files outside DynamoDB Local).
 *
 * An insider who rewrites an entry and re-seals every later hash and the head still cannot change
 * what a checkpoint attests. So that `verify` can name the entry itself, not only "something
 * before seq N", a checkpoint also carries the hash of every entry since the previous one
 * (`hashes`, for seqs `fromSeq`…`seq`): 64 characters per entry, the statement signs their digest.
 */
export const CheckpointStatement = z.strictObject({
  book: BookId,
  seq: z.int().positive(),
  hash: Hash,
  at: z.iso.datetime(),
  /** The first seq whose hash this checkpoint lists (the previous checkpoint's seq + 1). */
  fromSeq: z.int().positive(),
  /** SHA-256 of the listed hashes, joined by newlines: what binds the list to the signature. */
  hashesDigest: Hash,
});
export type CheckpointStatement = z.infer<typeof CheckpointStatement>;

/** Ed25519 (RFC 8032) over the statement's canonical JSON: KMS calls it ED25519_SHA_512. */
export const CHECKPOINT_ALGORITHM = "Ed25519";

export const SignedCheckpoint = z.strictObject({
  statement: CheckpointStatement,
  hashes: z.array(Hash).min(1),
  /** Names the public key that checks the signature: its fingerprint (checkpointKeyId). */
  keyId: z.string().min(1).max(200),
  algorithm: z.literal(CHECKPOINT_ALGORITHM),
  /** base64 */
  signature: z.string().min(1).max(200),
});
export type SignedCheckpoint = z.infer<typeof SignedCheckpoint>;

export const digestHashes = (hashes: readonly string[]): string => sha256Hex(hashes.join("\n"));

/** The bytes that are signed: small (well under KMS's 4 KB for a raw message) and canonical. */
export const checkpointMessage = (statement: CheckpointStatement): Buffer =>
  Buffer.from(canonicalJson(statement), "utf8");

/** The statement for the entries `fromSeq`…`fromSeq + hashes.length - 1`, whose hashes are given. */
export function checkpointStatement(
  book: string,
  fromSeq: number,
  hashes: readonly string[],
  at: Date,
): CheckpointStatement {
  const last = hashes.at(-1);
  if (!last) throw new Error("a checkpoint covers at least one entry");
  return {
    book,
    seq: fromSeq + hashes.length - 1,
    hash: last,
    at: at.toISOString(),
    fromSeq,
    hashesDigest: digestHashes(hashes),
  };
}

/** A public key's id: the SHA-256 of its DER (SubjectPublicKeyInfo), in hex. */
export const checkpointKeyId = (publicKeyPem: string): string =>
  createHash("sha256")
    .update(createPublicKey(publicKeyPem).export({ type: "spki", format: "der" }))
    .digest("hex");

export type CheckpointCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/**
 * Whether a stored checkpoint is what the key signed: its shape, its key, its signature, and that
 * its list of hashes is the one the statement names. A checkpoint that fails proves nothing and is
 * itself a finding (someone wrote where only the checkpoint job writes).
 */
export function checkCheckpoint(record: unknown, publicKeyPem: string): CheckpointCheck {
  const parsed = SignedCheckpoint.safeParse(record);
  if (!parsed.success) return { ok: false, problem: "not a well-formed signed checkpoint" };
  const { statement, hashes, keyId, signature } = parsed.data;
  if (keyId !== checkpointKeyId(publicKeyPem)) return { ok: false, problem: `signed with another key (${keyId})` };
  const signed = verifySignature(
    null,
    checkpointMessage(statement),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, "base64"),
  );
  if (!signed) return { ok: false, problem: "the signature does not match the statement" };
  if (statement.seq - statement.fromSeq + 1 !== hashes.length || hashes.at(-1) !== statement.hash) {
    return { ok: false, problem: "the listed hashes do not span the statement's seqs" };
  }
  if (digestHashes(hashes) !== statement.hashesDigest) return { ok: false, problem: "the listed hashes were altered" };
  return { ok: true };
}
