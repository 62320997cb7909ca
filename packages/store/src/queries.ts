import { type AttributeValue, type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import {
  JournalEvent,
  type Json,
  monthsFrom,
  type ProposalRecord,
  parsePeriod,
  periodsThrough,
} from "@relief-ledger/core";
import { fromItem, itemToRecord, toItem } from "./codec.ts";
import { kindIndexId, kindIndexKey } from "./keys.ts";
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

/** Oldest first (journal order, the default) or newest first. */
export type EntryOrder = "asc" | "desc";

export type EntryPageRequest = {
  /** Entries per page at most. */
  readonly limit: number;
  readonly order?: EntryOrder;
  /** Oldest first: where the previous page stopped (the next page holds only higher seqs). */
  readonly after?: number;
  /** Newest first: where the previous page stopped (the next page holds only lower seqs). */
  readonly before?: number;
  /** Stops a scan that has found nothing yet (the request's deadline); it throws the signal's reason. */
  readonly signal?: AbortSignal;
};

export type EntryPage = {
  readonly events: JournalEvent[];
  /**
   * Where the next page continues, the last seq examined: pass it as `after` (oldest first) or
   * `before` (newest first). Absent when nothing is left. Never present on an empty page.
   */
  readonly next?: number;
  /** DynamoDB requests this page cost. */
  readonly reads: number;
};

/**
 * Requests a page may make before it returns what it has, with a cursor, when that is at least
 * one entry. A page that has found nothing reads on until it finds one or the range ends, stopped
 * only by the caller's signal: an empty page with a cursor would tell a client that stops at an
 * empty page that the filter matches nothing more. Each request asks for twice as many items as
 * the one before (up to 1,000, and DynamoDB's 1 MB a response), so a sparse filter crosses a large
 * book in a few dozen requests.
 */
const MAX_READS_PER_PAGE = 25;

type Source = { readonly index?: JournalIndex; readonly key: string; readonly value: string };

/**
 * Which key serves a filter, most selective first. Every source is sorted by seq (and read
 * forwards or backwards), so every page is in seq order and a cursor is simply the last seq examined:
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
 * One page of journal entries matching a filter, oldest first (after seq `after`) or newest first
 * (before seq `before`). New entries appended meanwhile have higher seqs, so paging oldest first
 * never repeats or skips one; paging newest first leaves them out (they are above its first page).
 */
export async function queryEntries(
  client: DynamoDBClient,
  tables: TableNames,
  book: string,
  filter: EntryFilter,
  page: EntryPageRequest,
): Promise<EntryPage> {
  const desc = page.order === "desc";
  // The seqs of the page lie in (lower, upper].
  const lower = Math.max(page.after ?? 0, (filter.fromSeq ?? 1) - 1);
  const upper = Math.min(
    page.before !== undefined ? page.before - 1 : Number.MAX_SAFE_INTEGER,
    filter.toSeq ?? Number.MAX_SAFE_INTEGER,
  );
  // Nothing lies between: DynamoDB refuses a BETWEEN whose bounds are reversed.
  if (lower >= upper) return { events: [], reads: 0 };
  const range = { lower, upper, desc, first: page.limit + 1 };
  const streams = planSources(book, filter).map((source) => sourceStream(client, tables, source, range));
  const found: JournalEvent[] = [];
  let reads = 0;
  let last = lower;
  // Merge the sources by seq (one source but for a programme over several months).
  const heads: (JournalEvent | undefined)[] = [];
  const pull = async (index: number) => {
    page.signal?.throwIfAborted();
    const next = await streams[index]?.next();
    if (next && !next.done) reads += next.value.reads;
    heads[index] = next && !next.done ? next.value.event : undefined;
  };
  const before = (a: JournalEvent, b: JournalEvent) => (desc ? a.seq > b.seq : a.seq < b.seq);
  await Promise.all(streams.map((_, index) => pull(index)));
  while (found.length < page.limit) {
    let best = -1;
    heads.forEach((event, index) => {
      if (event && (best < 0 || before(event, heads[best] as JournalEvent))) best = index;
    });
    if (best < 0) return { events: found, reads };
    const event = heads[best] as JournalEvent;
    last = event.seq;
    if (matches(event, filter)) found.push(event);
    if (reads >= MAX_READS_PER_PAGE && found.length > 0 && found.length < page.limit)
      return { events: found, next: last, reads };
    await pull(best);
  }
  const more = heads.some((event) => event !== undefined);
  return { events: found, ...(more ? { next: last } : {}), reads };
}

/** Largest number of items one Query asks for: a page of a sparse filter grows its requests to this. */
const MAX_QUERY_ITEMS = 1000;

/**
 * Events of one source in seq order (descending when `desc`), each with the DynamoDB requests it
 * took to fetch it. The first request asks for `first` items (a page and one more, so that a dense
 * page needs one request); each next request for twice as many, up to MAX_QUERY_ITEMS.
 */
async function* sourceStream(
  client: DynamoDBClient,
  tables: TableNames,
  source: Source,
  range: { lower: number; upper: number; desc: boolean; first: number },
): AsyncGenerator<{ event: JournalEvent; reads: number }> {
  let startKey: Record<string, AttributeValue> | undefined;
  let size = Math.min(MAX_QUERY_ITEMS, range.first);
  do {
    const answer = await client.send(
      new QueryCommand({
        TableName: tables.journal,
        ...(source.index ? { IndexName: JOURNAL_INDEXES[source.index].name } : { ConsistentRead: true }),
        KeyConditionExpression: "#key = :value AND #seq BETWEEN :lower AND :upper",
        ExpressionAttributeNames: { "#key": source.key, "#seq": "seq" },
        ExpressionAttributeValues: toItem({ ":value": source.value, ":lower": range.lower + 1, ":upper": range.upper }),
        ScanIndexForward: !range.desc,
        Limit: size,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    startKey = answer.LastEvaluatedKey;
    size = Math.min(MAX_QUERY_ITEMS, size * 2);
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

/** Which proposals to list: by state and programme, newest first, in pages. */
export type ProposalFilter = {
  readonly state?: "pending" | "posted" | "voided";
  readonly programId?: string;
  /** Only the chunks of this payout batch. */
  readonly batchId?: string;
  /** Only proposals made before this one (the previous page's `nextCursor`). */
  readonly before?: number;
  readonly limit: number;
};

/** Proposals per index page: a page of the listing is usually one read. */
const PROPOSAL_PAGE = 100;

/**
 * A book's proposals (ProposalRecord values), newest first, filtered by state and programme, and
 * where the next page starts. The filter is applied as the index is read: proposals are few
 * beside entries (one per money request under a policy).
 */
export async function listProposals(
  client: DynamoDBClient,
  tables: TableNames,
  book: string,
  filter: ProposalFilter,
): Promise<{ proposals: ProposalRecord[]; nextCursor?: number }> {
  const proposals: ProposalRecord[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  const below = filter.before === undefined ? undefined : kindIndexId(book, String(filter.before), "proposal");
  do {
    const answer = await client.send(
      new QueryCommand({
        TableName: tables.state,
        IndexName: STATE_INDEXES.byKind.name,
        KeyConditionExpression: below === undefined ? "xKind = :kind" : "xKind = :kind AND xId < :below",
        ExpressionAttributeValues: toItem({
          ":kind": kindIndexKey(book, "proposal"),
          ...(below === undefined ? {} : { ":below": below }),
        }),
        ScanIndexForward: false,
        Limit: PROPOSAL_PAGE,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    startKey = answer.LastEvaluatedKey;
    for (const item of answer.Items ?? []) {
      const { value } = fromItem(item);
      if (typeof value !== "string") continue;
      const proposal = JSON.parse(value) as ProposalRecord;
      if (filter.state !== undefined && proposal.status !== filter.state) continue;
      const { programId } = proposal.request as { programId?: string };
      if (filter.programId !== undefined && programId !== filter.programId) continue;
      if (filter.batchId !== undefined && proposal.batchId !== filter.batchId) continue;
      const last = proposals.at(-1);
      if (proposals.length === filter.limit && last) return { proposals, nextCursor: last.id };
      proposals.push(proposal);
    }
  } while (startKey);
  return { proposals };
}
