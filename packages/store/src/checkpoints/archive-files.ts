import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SignedCheckpoint } from "@relief-ledger/core";
import { type CheckpointArchive, checkpointName, type StoredCheckpoint } from "./archive.ts";

/**
 * Checkpoints as files, `<dir>/<book>/<seq>.json`, for the local server. Each is written once
 * ("wx") and flushed to disk with its directory before the put returns. The files sit outside
 * DynamoDB Local's data, so rewriting the tables does not reach them; they guard a local book
 * against someone who can write the database but not this directory.
 */
export function fileCheckpointArchive(dir: string): CheckpointArchive {
  return {
    async put(checkpoint: SignedCheckpoint) {
      const file = join(dir, checkpointName(checkpoint.statement.book, checkpoint.statement.seq));
      mkdirSync(dirname(file), { recursive: true });
      let fd: number;
      try {
        fd = openSync(file, "wx", 0o444);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
        throw error;
      }
      try {
        writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      const folder = openSync(dirname(file), "r");
      try {
        fsyncSync(folder);
      } finally {
        closeSync(folder);
      }
    },
    async list(book: string): Promise<StoredCheckpoint[]> {
      const folder = join(dir, book);
      let names: string[];
      try {
        names = readdirSync(folder).filter((name) => name.endsWith(".json"));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      return names.sort().map((name) => {
        const text = readFileSync(join(folder, name), "utf8");
        let record: unknown;
        try {
          record = JSON.parse(text);
        } catch {
          record = text;
        }
        return { name: `${book}/${name}`, record };
      });
    },
  };
}
