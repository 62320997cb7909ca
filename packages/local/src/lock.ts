import { readFileSync, rmSync, writeFileSync } from "node:fs";

/** What the lock file holds: the server's pid, and its URL once it listens. */
export type Lock = { pid: number; url?: string };

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

const readLock = (file: string): Lock | undefined => {
  try {
    const lock = JSON.parse(readFileSync(file, "utf8")) as Lock;
    return Number.isInteger(lock.pid) ? lock : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One server per data directory: `<dataDir>/server.lock` holds the pid (and, once it listens, the
 * URL). Created with "wx", so of two starts only one gets it; a lock whose pid is dead is stale
 * (a crash, a kill -9) and is taken over.
 */
export function takeLock(file: string): { ok: true } | { ok: false; holder: Lock } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: "wx" });
      return { ok: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readLock(file);
      if (holder && holder.pid !== process.pid && alive(holder.pid)) return { ok: false, holder };
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
