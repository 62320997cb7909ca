import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetPublicKeyCommand, KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { checkpointKeyId } from "@relief-ledger/core";

/**
 * What signs checkpoints. Only the checkpoint job holds one: in AWS a KMS key whose Sign its role
 * alone may call (the API's and the rollup's roles may not), locally a key file under the data
 * directory, which DynamoDB Local's files do not include.
 */
export type CheckpointSigner = {
  readonly keyId: string;
  readonly publicKeyPem: string;
  /** An Ed25519 signature of the message, base64. */
  sign(message: Buffer): Promise<string>;
};

const PRIVATE_FILE = "checkpoint-ed25519.pem";
const PUBLIC_FILE = "checkpoint-ed25519.pub.pem";

/**
 * The local signing key: `<dir>/checkpoint-ed25519.pem` (mode 600), generated on first use, and its
 * public half beside it. Keep the directory out of reach of whoever may write DynamoDB Local.
 */
export function localCheckpointSigner(dir: string): CheckpointSigner {
  const privateFile = join(dir, PRIVATE_FILE);
  if (!existsSync(privateFile)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    // "wx": of two processes starting at once, one key wins and the other reads it.
    try {
      writeFileSync(privateFile, privateKey.export({ type: "pkcs8", format: "pem" }), { flag: "wx", mode: 0o600 });
      writeFileSync(join(dir, PUBLIC_FILE), publicKey.export({ type: "spki", format: "pem" }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(privateFile, 0o600);
  const privateKey = createPrivateKey(readFileSync(privateFile, "utf8"));
  const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  return {
    keyId: checkpointKeyId(publicKeyPem),
    publicKeyPem,
    sign: async (message) => sign(null, message, privateKey).toString("base64"),
  };
}

/** The local public key alone, for whoever only checks checkpoints; undefined before the first. */
export function localCheckpointPublicKey(dir: string): string | undefined {
  const privateFile = join(dir, PRIVATE_FILE);
  if (!existsSync(privateFile)) return undefined;
  return createPublicKey(createPrivateKey(readFileSync(privateFile, "utf8")))
    .export({ type: "spki", format: "pem" })
    .toString();
}

/** A KMS key's public half as PEM (kms:GetPublicKey, which the readers' roles may call). */
export async function kmsPublicKey(keyId: string, client: KMSClient = new KMSClient({})): Promise<string> {
  const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
  if (!PublicKey) throw new Error(`KMS key ${keyId} has no public key`);
  return createPublicKey({ key: Buffer.from(PublicKey), format: "der", type: "spki" })
    .export({ type: "spki", format: "pem" })
    .toString();
}

/**
 * A KMS key of spec ECC_NIST_EDWARDS25519 with usage SIGN_VERIFY (infra/checkpoint.ts). The message
 * is the statement itself (RAW, under KMS's 4 KB limit), signed with ED25519_SHA_512: the same
 * Ed25519 signature the local key makes, so one verifier serves both.
 */
export async function kmsCheckpointSigner(
  keyId: string,
  client: KMSClient = new KMSClient({}),
): Promise<CheckpointSigner> {
  const publicKeyPem = await kmsPublicKey(keyId, client);
  return {
    keyId: checkpointKeyId(publicKeyPem),
    publicKeyPem,
    sign: async (message) => {
      const { Signature } = await client.send(
        new SignCommand({ KeyId: keyId, Message: message, MessageType: "RAW", SigningAlgorithm: "ED25519_SHA_512" }),
      );
      if (!Signature) throw new Error(`KMS returned no signature for key ${keyId}`);
      return Buffer.from(Signature).toString("base64");
    },
  };
}
