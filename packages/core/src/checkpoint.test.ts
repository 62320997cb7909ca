import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkCheckpoint,
  checkpointKeyId,
  checkpointMessage,
  checkpointStatement,
  digestHashes,
  type SignedCheckpoint,
} from "./checkpoint.ts";

const keys = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, pem: publicKey.export({ type: "spki", format: "pem" }).toString() };
};
const hashes = ["a", "b", "c"].map((c) => c.repeat(64));

function signed(key = keys(), list = hashes): { checkpoint: SignedCheckpoint; pem: string } {
  const statement = checkpointStatement("bazhou-2010", 4, list, new Date("2026-12-01T00:00:00Z"));
  const signature = sign(null, checkpointMessage(statement), key.privateKey).toString("base64");
  return {
    checkpoint: { statement, hashes: list, keyId: checkpointKeyId(key.pem), algorithm: "Ed25519", signature },
    pem: key.pem,
  };
}

describe("a signed checkpoint", () => {
  it("attests the seqs its hashes span, ending at the last one", () => {
    const { checkpoint, pem } = signed();
    expect(checkpoint.statement).toMatchObject({ book: "bazhou-2010", fromSeq: 4, seq: 6, hash: "c".repeat(64) });
    expect(checkCheckpoint(checkpoint, pem)).toEqual({ ok: true });
  });

  it("fails when any attested hash is changed, though the statement is intact", () => {
    const { checkpoint, pem } = signed();
    const altered = { ...checkpoint, hashes: [hashes[0], "d".repeat(64), hashes[2]] as string[] };
    expect(checkCheckpoint(altered, pem)).toMatchObject({ ok: false, problem: "the listed hashes were altered" });
  });

  it("fails when the statement is changed, even re-digested, because the signature no longer matches", () => {
    const { checkpoint, pem } = signed();
    const moved = { ...checkpoint, statement: { ...checkpoint.statement, at: "2027-01-01T00:00:00.000Z" } };
    expect(checkCheckpoint(moved, pem)).toMatchObject({ ok: false, problem: expect.stringContaining("signature") });
  });

  it("fails under another key, and when hashes are dropped from the list", () => {
    const { checkpoint } = signed();
    expect(checkCheckpoint(checkpoint, keys().pem)).toMatchObject({
      ok: false,
      problem: expect.stringContaining("another key"),
    });
    const key = keys();
    const short = signed(key);
    const dropped = { ...short.checkpoint, hashes: short.checkpoint.hashes.slice(1) };
    expect(checkCheckpoint(dropped, short.pem)).toMatchObject({ ok: false, problem: expect.stringContaining("span") });
  });

  it("is a finding, not a crash, when it is not a checkpoint at all", () => {
    const notWellFormed = { ok: false, problem: expect.stringContaining("well-formed") };
    expect(checkCheckpoint("garbage", keys().pem)).toEqual(notWellFormed);
    expect(checkCheckpoint({ statement: {} }, keys().pem)).toEqual(notWellFormed);
  });

  it("fails when its statement, though signed, ends on another hash than the last one listed", () => {
    const key = keys();
    const statement = {
      ...checkpointStatement("bazhou-2010", 4, hashes, new Date("2026-12-01T00:00:00Z")),
      hash: "f".repeat(64),
    };
    const signature = sign(null, checkpointMessage(statement), key.privateKey).toString("base64");
    const checkpoint = { statement, hashes, keyId: checkpointKeyId(key.pem), algorithm: "Ed25519", signature };
    expect(checkCheckpoint(checkpoint, key.pem)).toMatchObject({ ok: false, problem: expect.stringContaining("span") });
  });
});

describe("a checkpoint statement", () => {
  it("binds its hashes by the SHA-256 of their lines, which anyone can recompute", () => {
    const lines = `${"a".repeat(64)}\n${"b".repeat(64)}`;
    const expected = createHash("sha256").update(lines, "utf8").digest("hex");
    expect(digestHashes(["a".repeat(64), "b".repeat(64)])).toBe(expected);
    expect(checkpointStatement("bazhou-2010", 1, ["a".repeat(64), "b".repeat(64)], new Date(0)).hashesDigest).toBe(
      expected,
    );
  });

  it("covers at least one entry", () => {
    expect(() => checkpointStatement("bazhou-2010", 4, [], new Date(0))).toThrow();
  });
});
