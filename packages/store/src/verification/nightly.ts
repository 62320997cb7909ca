import { type DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { ChainBreak } from "@relief-ledger/core";
import { fromItem, toItem } from "../codec.ts";
import { verifyCursorKey } from "../keys.ts";
import type { LedgerJournal } from "../ledger-journal.ts";
import type { Logger } from "../observe/log.ts";
import { type LedgerMetrics, METRIC } from "../observe/metrics.ts";
import type { TableNames } from "../tables.ts";
import { FRESH_CURSOR, planVerification, type SeqRange, type VerifyCursor } from "./plan.ts";

/** Where each book's cursor is kept: the state table (verifyCursorKey), or memory in a test. */
export type CursorStore = {
  get(book: string): Promise<VerifyCursor | undefined>;
  put(book: string, cursor: VerifyCursor, at: Date): Promise<void>;
};

export function dynamoCursors(client: DynamoDBClient, tables: TableNames): CursorStore {
  return {
    async get(book) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tables.state, Key: toItem(verifyCursorKey(book)), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { lastVerifiedSeq, offset } = fromItem(Item);
      if (typeof lastVerifiedSeq !== "number" || typeof offset !== "number") return undefined;
      return { lastVerifiedSeq, offset };
    },
    async put(book, cursor, at) {
      // A plain put of the job's own item: the one write its role allows (infra/permissions.ts).
      await client.send(
        new PutItemCommand({
          TableName: tables.state,
          Item: toItem({ ...verifyCursorKey(book), ...cursor, verifiedAt: at.toISOString() }),
        }),
      );
    },
  };
}

export type NightlyVerification = {
  readonly book: string;
  readonly ranges: readonly SeqRange[];
  readonly checked: number;
  readonly ok: boolean;
  readonly firstBreak?: ChainBreak;
  readonly breakCount: number;
};

/**
 * The nightly chain verification of every book (planVerification says which seqs): re-reads and
 * recomputes the chain over tonight's ranges, logs a line per book and, for a broken chain, the
 * first bad seq at error; counts runs, entries and failures (the alarm watches the failures). A
 * broken book's cursor is not moved, so that every night finds the break again until someone acts.
 */
export async function verifyBooksNightly(
  journal: LedgerJournal,
  cursors: CursorStore,
  options: { log: Logger; metrics: LedgerMetrics; clock?: () => Date },
): Promise<NightlyVerification[]> {
  const { log, metrics } = options;
  const clock = options.clock ?? (() => new Date());
  const results: NightlyVerification[] = [];
  for (const { id: book } of await journal.books()) {
    const started = performance.now();
    const head = await journal.head(book);
    const cursor = (await cursors.get(book)) ?? FRESH_CURSOR;
    const { ranges, next } = planVerification(cursor, head.seq);
    let checked = 0;
    let firstBreak: ChainBreak | undefined;
    let breakCount = 0;
    for (const range of ranges) {
      const report = await journal.verify(book, range);
      checked += report.checked;
      breakCount += report.breakCount;
      firstBreak ??= report.firstBreak;
    }
    const ok = breakCount === 0;
    if (ok) await cursors.put(book, next, clock());
    const result: NightlyVerification = {
      book,
      ranges,
      checked,
      ok,
      breakCount,
      ...(firstBreak ? { firstBreak } : {}),
    };
    results.push(result);
    const fields = {
      book,
      ranges: ranges.map((range) => `${range.fromSeq}-${range.toSeq}`),
      headSeq: head.seq,
      checked,
      durationMs: Math.round(performance.now() - started),
    };
    if (ok) log.info({ message: "chain verified", ...fields });
    else {
      log.error({
        message: "chain broken",
        ...fields,
        firstBadSeq: firstBreak?.seq,
        reason: firstBreak?.reason,
        breaks: breakCount,
      });
    }
    metrics.count(METRIC.chainVerifications);
    metrics.count(METRIC.chainEntriesVerified, checked);
    // A zero too: the alarm then tells a night that verified from a night that did not run.
    metrics.count(METRIC.chainVerificationFailures, ok ? 0 : 1);
  }
  metrics.flush();
  return results;
}
