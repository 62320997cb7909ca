import { type AttributeValue, type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import { JournalEvent, type Json, monthsFrom, parsePeriod, periodsThrough } from "@relief-ledger/core";
import { fromItem, itemToRecord, toItem } from "./codec.ts";
import { kindIndexKey } from "./keys.ts";
import { JOURNAL_INDEXES, type JournalIndex, STATE_INDEXES, type TableNames } from "./tables.ts";

/** What auditors filter the journal by. Dates are business dates; seqs bound the journal order. */
export type EntryFilter = {
  readonly type?: string;
  readonly fundId?: string;
  readonly programId?: string;
  readonly beneficiaryId?: string;
  readonly unitId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly fromSeq?: number;
  readonly toSeq?: number;
};

export type EntryPage = {
  readonly events: JournalEvent[];
  /** Where the next page starts (the last seq examined); absent when nothing is left. */
  readonly after?: number;
  /** DynamoDB requests this page cost. */
  readonly reads: number;
};

/** Requests one page may make before it returns what it has, with a cursor, however few matched. */
const MAX_READS_PER_PAGE = 25;

type Source = { readonly index?: JournalIndex; readonly key: string; readonly value: string };

/**
 * Which key serves a filter, most selective first. Every source is sorted by seq, so every page
 * is in journal order and a cursor is simply the last seq examined:
 *   beneficiaryId           → byBeneficiary
 *   programId + month range → byProgramMonth, one stream per month, merged by seq
 *   programId               → byProgram
 *   unitId                  → byUnit
 *   otherwise               → the book's own partition (seq range)
 * The remaining filters (fund, dates, type) are applied to what the source returns. A fund has no
 * index: a fund's entries are most of a book, so reading the book is the honest cost.
 */
export function planSources(book: string, filter: EntryFilter): Source[] {
  if (filter.beneficiaryId)
    return [{ index: "byBeneficiary", key: "xBeneficiary", value: `${book}#${filter.beneficiaryId}` }];
  if (filter.programId) {
    const months = filter.from && filter.to ? programMonths(filter.from, filter.to) : undefined;
    if (months) {
      return months.map((month) => ({
        index: "byProgramMonth",
        key: "xProgramMonth",
        value: `${book}#${filter.programId}#${month}`,
      }));
    }
    return [{ index: "byProgram", key: "xProgram", value: `${book}#${filter.programId}` }];
  }
  if (filter.unitId) return [{ index: "byUnit", key: "xUnit", value: `${book}#${filter.unitId}` }];
  return [{ key: "book", value: book }];
}

/**
 * The months of a date range, when there are few enough to read one index stream each (a page
 * merges them all, and each costs a read): 24 at most; undefined for more, or for dates that are
 * not YYYY-MM-DD. Counted as month numbers before any is listed (see core's period.ts).
 */
export function programMonths(from: string, to: string): string[] | undefined {
  const [first, last] = [from.slice(0, 7), to.slice(0, 7)];
  if (parsePeriod(first) === undefined || parsePeriod(last) === undefined) return undefined;
  return monthsFrom(first, last) < 24 ? periodsThrough(first, last) : undefined;
}

const matches = (event: JournalEvent, filter: EntryFilter): boolean => {
  const payload = event.payload as Record<string, unknown>;
  if (filter.type && event.type !== filter.type) return false;
  if (filter.from && event.occurredOn < filter.from) return false;
  if (filter.to && event.occurredOn > filter.to) return false;
  if (filter.programId && payload.programId !== filter.programId) return false;
  if (filter.unitId && payload.unitId !== filter.unitId) return false;
  if (filter.beneficiaryId && payload.beneficiaryId !== filter.beneficiaryId) return false;
  if (filter.fundId) {
    const postings = Array.isArray(payload.postings) ? (payload.postings as { account?: unknown }[]) : [];
    const touches = postings.some((posting) => posting.account === `fund:${filter.fundId}`);
    if (!touches && payload.fundId !== filter.fundId) return false;
  }
  return true;
};

/**
 * One page of journal entries matching a filter, in journal order, starting after seq `after`.
 * New entries appended meanwhile have higher seqs, so paging on never repeats or skips one.
 */
export async function queryEntries(
  client: DynamoDBClient,
  tables: TableNames,
  book: string,
  filter: EntryFilter,
  page: { after?: number; limit: number },
): Promise<EntryPage> {
  const lower = Math.max(page.after ?? 0, (filter.fromSeq ?? 1) - 1);
  const upper = filter.toSeq ?? Number.MAX_SAFE_INTEGER;
  // Nothing lies between: DynamoDB refuses a BETWEEN whose bounds are reversed.
  if (lower >= upper) return { events: [], reads: 0 };
  const streams = planSources(book, filter).map((source) =>
    sourceStream(client, tables, source, lower, upper, page.limit),
  );
  const found: JournalEvent[] = [];
  let reads = 0;
  let last = lower;
  // Merge the sources by seq (one source but for a programme over several months).
  const heads: (JournalEvent | undefined)[] = [];
  const pull = async (index: number) => {
    const next = await streams[index]?.next();
    if (next && !next.done) reads += next.value.reads;
    heads[index] = next && !next.done ? next.value.event : undefined;
  };
  await Promise.all(streams.map((_, index) => pull(index)));
  while (found.length < page.limit) {
    let best = -1;
    heads.forEach((event, index) => {
      if (event && (best < 0 || event.seq < (heads[best] as JournalEvent).seq)) best = index;
    });
    if (best < 0) return { events: found, reads };
    const event = heads[best] as JournalEvent;
    last = event.seq;
    if (matches(event, filter)) found.push(event);
    if (reads >= MAX_READS_PER_PAGE && found.length < page.limit) return { events: found, after: last, reads };
    await pull(best);
  }
  const more = heads.some((event) => event !== undefined);
  return { events: found, ...(more ? { after: last } : {}), reads };
}

/** Events of one source in seq order, each with the DynamoDB requests it took to fetch it. */
async function* sourceStream(
  client: DynamoDBClient,
  tables: TableNames,
  source: Source,
  lower: number,
  upper: number,
  pageSize: number,
): AsyncGenerator<{ event: JournalEvent; reads: number }> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const answer = await client.send(
      new QueryCommand({
        TableName: tables.journal,
        ...(source.index ? { IndexName: JOURNAL_INDEXES[source.index].name } : { ConsistentRead: true }),
        KeyConditionExpression: "#key = :value AND #seq BETWEEN :lower AND :upper",
        ExpressionAttributeNames: { "#key": source.key, "#seq": "seq" },
        ExpressionAttributeValues: toItem({ ":value": source.value, ":lower": lower + 1, ":upper": upper }),
        // Enough for a page and a little more, so that a filtered page rarely needs a second request.
        Limit: Math.min(1000, pageSize + 1),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    startKey = answer.LastEvaluatedKey;
    let reads = 1;
    for (const item of answer.Items ?? []) {
      yield { event: JournalEvent.parse(itemToRecord(item).record), reads };
      reads = 0;
    }
  } while (startKey);
}

/** Every entity of a listed kind (audits, findings) in a book, by id. */
export async function listEntities(
  client: DynamoDBClient,
  tables: TableNames,
  book: string,
  kind: string,
): Promise<Json[]> {
  const values: Json[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const answer = await client.send(
      new QueryCommand({
        TableName: tables.state,
        IndexName: STATE_INDEXES.byKind.name,
        KeyConditionExpression: "xKind = :kind",
        ExpressionAttributeValues: toItem({ ":kind": kindIndexKey(book, kind) }),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    startKey = answer.LastEvaluatedKey;
    for (const item of answer.Items ?? []) {
      const { value } = fromItem(item);
      if (typeof value === "string") values.push(JSON.parse(value) as Json);
    }
  } while (startKey);
  return values;
}
