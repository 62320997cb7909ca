import { randomUUID } from "node:crypto";
import type { LedgerJournal } from "@relief-ledger/store";
import { expect } from "vitest";

/** What one request under fire was told: its key and amount, the status, and the seq of a 201. */
export type Shot = { readonly key: string; readonly amount: string; status: number; seq?: number; problem?: string };

export type Post = (key: string, amount: string) => Promise<{ status: number; json: unknown }>;

/**
 * Statuses a write may get while the database or the server is crashing: recorded, "try again", or
 * "accepted, not decided yet" (a handed-over write that outwaited its sender: sent again with its
 * key, it joins the same mail).
 */
const EXPECTED = new Set([201, 202, 503]);

/**
 * Writers sending collections, each with a fresh Idempotency-Key and an amount in whole fen, as
 * fast as they are answered, until `stop()`. As a real client does, a writer told 503 or 202 (or
 * left without an answer when the server died) sends the same request again, with the same key, a
 * moment later. Anything else but 201 fails the test: a crash is no excuse for a 500.
 */
export function fire(post: Post, writers: number) {
  const shots: Shot[] = [];
  let stopped = false;
  const writer = async () => {
    while (!stopped) {
      const fen = 100 + Math.floor(Math.random() * 99_900);
      const amount = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
      const shot: Shot = { key: randomUUID(), amount, status: 0 };
      shots.push(shot);
      while (!stopped && shot.status !== 201) {
        try {
          const { status, json } = await post(shot.key, shot.amount);
          shot.status = status;
          const body = json as { seq?: number; type?: string } | undefined;
          if (status === 201) shot.seq = body?.seq;
          else shot.problem = body?.type ?? JSON.stringify(json);
        } catch {
          // No answer: the server died under it.
          shot.status = 0;
        }
        if (shot.status !== 201) {
          if (shot.status !== 0) expect(EXPECTED, `${shot.status} ${shot.problem}`).toContain(shot.status);
          if (shot.status === 503) expect(shot.problem).toMatch(/database-unavailable|append-conflict/);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  };
  const running = Array.from({ length: writers }, writer);
  return {
    shots,
    /** Resolves once `count` more requests have been answered 201, and then a random moment later. */
    async acknowledged(count: number): Promise<void> {
      const target = shots.filter((shot) => shot.status === 201).length + count;
      while (shots.filter((shot) => shot.status === 201).length < target) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
    },
    async stop(): Promise<Shot[]> {
      stopped = true;
      await Promise.all(running);
      return shots;
    },
  };
}

/** Sends every request that got no 201 again with its key, as its client would, until it gets one. */
export async function settle(shots: readonly Shot[], post: Post): Promise<void> {
  for (const shot of shots.filter((s) => s.status !== 201)) {
    for (let attempt = 0; shot.status !== 201; attempt++) {
      if (attempt === 20) throw new Error(`${shot.key} was never answered 201 (last ${shot.status})`);
      const { status, json } = await post(shot.key, shot.amount).catch(() => ({ status: 0, json: undefined }));
      shot.status = status;
      if (status === 201) shot.seq = (json as { seq: number }).seq;
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const fen = (amount: string) => BigInt(amount.replace(".", ""));

/**
 * What "acknowledged means durable" promises, checked on the book's journal after the crashes:
 * every request answered 201 is there at the seq it was told, with its own key; every key is
 * recorded once; the chain verifies; and the fund holds exactly the sum of the requests made.
 */
export async function expectEveryAcknowledged(
  journal: LedgerJournal,
  book: string,
  fundId: string,
  acknowledged: readonly Shot[],
  all: readonly Shot[],
): Promise<void> {
  const bySeq = new Map<number, { key: string; amount: unknown }>();
  const keys: string[] = [];
  for await (const page of journal.read(book, { pageSize: 1000 })) {
    for (const event of page) {
      if (event.type !== "CollectionRecorded") continue;
      bySeq.set(event.seq, { key: event.idempotencyKey, amount: event.payload.amount });
      keys.push(event.idempotencyKey);
    }
  }
  const lost = acknowledged.filter((shot) => bySeq.get(shot.seq ?? 0)?.key !== shot.key);
  expect(lost, "acknowledged but not in the journal where the answer said").toEqual([]);
  expect(new Set(keys).size, "a request recorded twice").toBe(keys.length);
  expect(new Set(keys)).toEqual(new Set(all.map((shot) => shot.key)));
  expect(await journal.verify(book)).toMatchObject({ ok: true });
  const balance = (await journal.head(book)).state.funds[fundId]?.balance;
  expect(balance).toBe(all.reduce((sum, shot) => sum + fen(shot.amount), 0n));
}
