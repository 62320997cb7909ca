import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import type { SealedFields } from "@relief-ledger/core";

/**
 * What seals personal data kept in the registry (a beneficiary's bank account), field by field,
 * with AES-256-GCM. `context` binds a sealed value to where it belongs (book and beneficiary): it
 * is each field's additional authenticated data, so a value copied to another beneficiary's item
 * does not open. Locally the key is a file under the data directory; in AWS each data key is made
 * by KMS and kept beside the values only as KMS encrypted it (envelope encryption), so whoever
 * reads the table without kms:Decrypt on the key reads nothing.
 */
export interface DataKey {
  seal(fields: Readonly<Record<string, string>>, context: string): Promise<SealedFields>;
  open(sealed: SealedFields, context: string): Promise<Record<string, string>>;
}

/** A 256-bit key and the name a sealed value records it by. */
type Key = { readonly id: string; readonly bytes: Buffer };

function sealWith(key: Key, fields: Readonly<Record<string, string>>, context: string): SealedFields {
  const sealed: SealedFields["fields"] = {};
  for (const [name, value] of Object.entries(fields)) {
    // A fresh 96-bit nonce per field: GCM must never see one twice under a key.
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
    cipher.setAAD(Buffer.from(`${context}|${name}`, "utf8"));
    const data = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    sealed[name] = {
      iv: iv.toString("base64"),
      data: data.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
    };
  }
  return { v: 1, key: key.id, fields: sealed };
}

function openWith(key: Key, sealed: SealedFields, context: string): Record<string, string> {
  const opened: Record<string, string> = {};
  for (const [name, field] of Object.entries(sealed.fields)) {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(field.iv, "base64"));
    decipher.setAAD(Buffer.from(`${context}|${name}`, "utf8"));
    decipher.setAuthTag(Buffer.from(field.tag, "base64"));
    opened[name] = Buffer.concat([decipher.update(Buffer.from(field.data, "base64")), decipher.final()]).toString(
      "utf8",
    );
  }
  return opened;
}

/** One fixed key: the local file's, or a test's. Its id is a fingerprint, never the key. */
function fixedKey(bytes: Buffer): DataKey {
  const key = { id: `local:${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`, bytes };
  return {
    seal: async (fields, context) => sealWith(key, fields, context),
    open: async (sealed, context) => {
      if (sealed.key !== key.id) throw new Error(`sealed under another data key (${sealed.key})`);
      return openWith(key, sealed, context);
    },
  };
}

/** A key that lives as long as the process: for tests. */
export const memoryDataKey = (): DataKey => fixedKey(randomBytes(32));

const KEY_FILE = "data-key";

/**
 * The local data key: `<dir>/data-key` (32 random bytes, base64, mode 600), generated on first
 * use. Beside DynamoDB Local's files, not in them: a copy of the tables alone opens nothing. Lose
 * the file and the accounts sealed under it are lost (they are entered again).
 */
export function localDataKey(dir: string): DataKey {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // "wx": of two processes starting at once, one key wins and the other reads it.
    try {
      writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(file, 0o600);
  const bytes = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (bytes.length !== 32) throw new Error(`${file} does not hold a 256-bit key`);
  return fixedKey(bytes);
}

/** KMS binds every data key to this; a Decrypt without it fails, so the key serves this purpose only. */
export const DATA_KEY_CONTEXT = { purpose: "relief-ledger/personal-data" } as const;

/**
 * How long a data key KMS made is used to seal before another is asked for, and how many values
 * it seals at most: a roster of 10,000 accounts costs one GenerateDataKey, not 10,000 (the AWS
 * Encryption SDK's data key caching, by hand). A process also keeps the data keys it opened, so a
 * 5,000-line disbursement file costs as many Decrypt calls as there are data keys among its
 * accounts, not one per line.
 */
const SEAL_FOR_MS = 15 * 60_000;
const SEAL_AT_MOST = 100_000;
const OPENED_KEPT = 1000;

/** Envelope encryption under a KMS key (infra/data-key.ts): kms:GenerateDataKey to seal, kms:Decrypt to open. */
export function kmsDataKey(keyId: string, client: Pick<KMSClient, "send"> = new KMSClient({})): DataKey {
  // A promise, so that values sealed at once (a roster's) share one GenerateDataKey.
  let current: Promise<{ key: Key; until: number; left: number }> | undefined;
  const opened = new Map<string, Buffer>();
  const prefix = "kms:";
  const generate = async () => {
    const made = await client.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: { ...DATA_KEY_CONTEXT } }),
    );
    if (!made.Plaintext || !made.CiphertextBlob) throw new Error(`KMS made no data key under ${keyId}`);
    const id = `${prefix}${Buffer.from(made.CiphertextBlob).toString("base64")}`;
    const bytes = Buffer.from(made.Plaintext);
    opened.set(id, bytes);
    return { key: { id, bytes }, until: Date.now() + SEAL_FOR_MS, left: SEAL_AT_MOST };
  };
  return {
    async seal(fields, context) {
      let use = current ? await current.catch(() => undefined) : undefined;
      if (!use || use.until < Date.now() || use.left <= 0) {
        const made = generate();
        current = made;
        use = await made;
      }
      use.left -= 1;
      return sealWith(use.key, fields, context);
    },
    async open(sealed, context) {
      if (!sealed.key.startsWith(prefix)) throw new Error(`not sealed under KMS (${sealed.key.slice(0, 24)})`);
      let bytes = opened.get(sealed.key);
      if (!bytes) {
        const answer = await client.send(
          new DecryptCommand({
            KeyId: keyId,
            CiphertextBlob: Buffer.from(sealed.key.slice(prefix.length), "base64"),
            EncryptionContext: { ...DATA_KEY_CONTEXT },
          }),
        );
        if (!answer.Plaintext) throw new Error(`KMS did not open a data key under ${keyId}`);
        bytes = Buffer.from(answer.Plaintext);
        if (opened.size >= OPENED_KEPT) opened.delete(opened.keys().next().value as string);
        opened.set(sealed.key, bytes);
      }
      return openWith({ id: sealed.key, bytes }, sealed, context);
    },
  };
}

/** The data key a Lambda function is given (LEDGER_DATA_KEY_ID, infra/data-key.ts); undefined when none is. */
export const dataKeyFromEnv = (env: NodeJS.ProcessEnv = process.env): DataKey | undefined =>
  env.LEDGER_DATA_KEY_ID ? kmsDataKey(env.LEDGER_DATA_KEY_ID) : undefined;
