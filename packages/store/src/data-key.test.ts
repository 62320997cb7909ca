import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DecryptCommand, GenerateDataKeyCommand } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { DATA_KEY_CONTEXT, kmsDataKey, localDataKey, memoryDataKey } from "./data-key.ts";

const account = { bank: "中国农业银行巴中分行", accountName: "张某", accountNumber: "6228480000000001234" };

describe("the data key", () => {
  it("seals each field on its own, and opens them only in the context they were sealed in", async () => {
    const key = memoryDataKey();
    const sealed = await key.seal(account, "bazhou/hh-a");
    expect(Object.keys(sealed.fields)).toEqual(["bank", "accountName", "accountNumber"]);
    expect(JSON.stringify(sealed)).not.toContain("1234");
    expect(await key.open(sealed, "bazhou/hh-a")).toEqual(account);
    await expect(key.open(sealed, "bazhou/hh-b")).rejects.toThrow();
    await expect(memoryDataKey().open(sealed, "bazhou/hh-a")).rejects.toThrow(/another data key/);
  });

  it("generates the local key file on first use (mode 600) and reads the same key afterwards", async () => {
    const dir = mkdtempSync(join(tmpdir(), "data-key-"));
    const sealed = await localDataKey(dir).seal(account, "b/1");
    expect(statSync(join(dir, "data-key")).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(join(dir, "data-key"), "utf8"), "base64")).toHaveLength(32);
    expect(await localDataKey(dir).open(sealed, "b/1")).toEqual(account);
  });

  it("under KMS, asks for one data key for many values and opens each data key once", async () => {
    // A stand-in for KMS: wraps data keys with a key of its own, checks the encryption context.
    const master = randomBytes(32);
    const calls: string[] = [];
    const send = async (command: GenerateDataKeyCommand | DecryptCommand) => {
      expect(command.input.EncryptionContext).toEqual(DATA_KEY_CONTEXT);
      if (command instanceof GenerateDataKeyCommand) {
        calls.push("GenerateDataKey");
        const plain = randomBytes(32);
        const iv = randomBytes(12);
        const cipher = createCipheriv("aes-256-gcm", master, iv);
        const blob = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return { Plaintext: plain, CiphertextBlob: blob };
      }
      calls.push("Decrypt");
      const blob = Buffer.from(command.input.CiphertextBlob as Uint8Array);
      const decipher = createDecipheriv("aes-256-gcm", master, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(blob.length - 16));
      return { Plaintext: Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]) };
    };
    const kms = { send } as never;
    const writer = kmsDataKey("arn:aws:kms:key/data", kms);
    const sealed = await Promise.all([1, 2, 3].map((n) => writer.seal(account, `b/${n}`)));
    expect(calls).toEqual(["GenerateDataKey"]);
    expect(sealed[0]?.key.startsWith("kms:")).toBe(true);
    // Another instance (the API reading a file) opens the data key once for every value sealed under it.
    const reader = kmsDataKey("arn:aws:kms:key/data", kms);
    for (const [index, value] of sealed.entries()) expect(await reader.open(value, `b/${index + 1}`)).toEqual(account);
    expect(calls).toEqual(["GenerateDataKey", "Decrypt"]);
  });
});
