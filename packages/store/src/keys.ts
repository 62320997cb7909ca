/**
 * Every item kind and its key, in one place. Nothing outside this file builds a key string.
 *
 * journal table (book S, seq N)
 *   event              book = <book>                 seq = <seq>
 *
 * state table (pk S, sk S)
 *   book head          pk = BOOK#<book>              sk = HEAD
 *   idempotency record pk = IDEM#<book>#<key>        sk = IDEM
 *   uniqueness claim   pk = CLAIM#<book>#<kind>      sk = <value>
 *   entity             pk = ENTITY#<book>#<kind>#<id> sk = ENTITY   (a beneficiary's record; a sealed
 *                                                                 bank account, bank-account/<id>)
 *                      xKind = <book>#<kind>, xId = <id>  only for LISTED_KINDS (index byKind)
 *   handed-off command pk = MAIL#<book>               sk = <idempotency key>   (handoff.ts)
 *   its outcome        pk = OUTCOME#<book>#<key>     sk = OUTCOME
 *   combiner's lease   pk = LEASE#<book>             sk = LEASE
 *
 * journal indexes (tables.ts): xBeneficiary, xProgram, xProgramMonth, xUnit, xBatch
 *
 * The head is the one hot item of a book: every append conditions on it and rewrites it.
 * DynamoDB serves about 1,000 write units a second per partition, and a transactional write
 * costs two units per KB, so a book tops out near a few hundred transactions a second; group
 * commit (several commands per transaction) is how the journal gets more through. Idempotency
 * records get a partition of their own per key so that they add no load to the head's.
 */
export type StateKey = { readonly pk: string; readonly sk: string };

export const headKey = (book: string): StateKey => ({ pk: `BOOK#${book}`, sk: "HEAD" });

/**
 * The nightly verification's place in a book (verification/nightly.ts): the last seq it verified
 * and where its rotating slice of older history goes next. The only item the Verify function may
 * write: its role's PutItem is limited to keys that start with VERIFY# (infra/permissions.ts).
 */
export const verifyCursorKey = (book: string): StateKey => ({ pk: `VERIFY#${book}`, sk: "CURSOR" });

export const idempotencyKey = (book: string, key: string): StateKey => ({ pk: `IDEM#${book}#${key}`, sk: "IDEM" });

export const claimKey = (book: string, kind: string, value: string): StateKey => ({
  pk: `CLAIM#${book}#${kind}`,
  sk: value,
});

/**
 * Entities (beneficiary records) get a partition each: a 5,000-line relief batch rewrites
 * thousands of them, and one shared partition would meet DynamoDB's ~1,000 writes a second.
 */
export const entityKey = (book: string, kind: string, id: string): StateKey => ({
  pk: `ENTITY#${book}#${kind}#${id}`,
  sk: "ENTITY",
});

/**
 * Entity refs, as the domain names them: `event/<seq>` is a journal entry, `claim/<kind>/<value>`
 * a uniqueness claim (read only), `<kind>/<id>` an entity item in the state table.
 */
export type RefKey =
  | { readonly table: "journal"; readonly key: { book: string; seq: number } }
  | { readonly table: "state"; readonly key: StateKey };

export function refKey(book: string, ref: string): RefKey {
  const slash = ref.indexOf("/");
  const kind = ref.slice(0, slash);
  const id = ref.slice(slash + 1);
  if (slash <= 0 || id === "") throw new Error(`not an entity ref: ${ref}`);
  if (kind === "event") return { table: "journal", key: eventKey(book, Number(id)) };
  if (kind === "claim") {
    // `claim/<kind>/<value>` (core's claimRef): the claim item itself, read as `{ owner }`.
    const at = id.indexOf("/");
    if (at <= 0 || at === id.length - 1) throw new Error(`not a claim ref: ${ref}`);
    return { table: "state", key: claimKey(book, id.slice(0, at), id.slice(at + 1)) };
  }
  return { table: "state", key: entityKey(book, kind, id) };
}

export const eventKey = (book: string, seq: number) => ({ book, seq });

/** A key as one string, to spot two writes to the same item in one transaction. */
export const keyId = (table: string, key: Record<string, string | number>): string =>
  `${table}|${Object.entries(key)
    .map(([name, value]) => `${name}=${value}`)
    .join("|")}`;

/**
 * Entity kinds that are listed (audits, findings, proposals and books); their items carry the
 * byKind index keys. Audits, findings and proposals are listed per book; books across the
 * deployment, in one partition (a federation has dozens of books, not millions), so that the
 * monthly job can find them all. A proposal's id is a seq, padded so that the index sorts them in
 * the order they were made.
 */
export const LISTED_KINDS: ReadonlySet<string> = new Set(["audit", "finding", "proposal", "book"]);

export const kindIndexKey = (book: string, kind: string) => (kind === "book" ? "#books" : `${book}#${kind}`);

export const kindIndexId = (book: string, id: string, kind: string) =>
  kind === "book" ? book : kind === "proposal" ? id.padStart(PROPOSAL_ID_DIGITS, "0") : id;

const PROPOSAL_ID_DIGITS = 15;

/** The journal index attributes of an event: derived, never chosen, and checked by verify. */
export function journalIndexKeys(event: {
  readonly book: string;
  readonly type: string;
  readonly occurredOn: string;
  readonly payload: Readonly<Record<string, unknown>>;
}): Record<string, string> {
  const { book, occurredOn, payload } = event;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const beneficiaryId = text(payload.beneficiaryId);
  const programId = text(payload.programId);
  const unitId = text(payload.unitId);
  const batchId = BATCH_DESCRIBED_BY.has(event.type) ? text(payload.batchId) : undefined;
  return {
    ...(beneficiaryId ? { xBeneficiary: `${book}#${beneficiaryId}` } : {}),
    ...(programId
      ? { xProgram: `${book}#${programId}`, xProgramMonth: `${book}#${programId}#${occurredOn.slice(0, 7)}` }
      : {}),
    ...(unitId ? { xUnit: `${book}#${unitId}` } : {}),
    ...(batchId ? { xBatch: batchIndexKey(book, batchId) } : {}),
  };
}

/** The byBatch index's key of a batch: its events are queried by it (journal-read.ts). */
export const batchIndexKey = (book: string, batchId: string) => `${book}#${batchId}`;

/**
 * The events that describe a payout batch and go in its index (xBatch): a chunk's summary, a
 * chunk held for approval, a disbursement file taken, a bank's result chunk. A batch's payouts stay
 * out of it: each chunk's are the `recorded` entries just before its summary (one decision), read
 * from the journal itself by seq (store's batches.ts), so the index costs one item per 48 lines.
 */
export const BATCH_DESCRIBED_BY: ReadonlySet<string> = new Set([
  "PayoutBatchChunkRecorded",
  "ProposalMade",
  "BankFileIssued",
  "BankResultsRecorded",
]);

export const INDEX_ATTRIBUTES = ["xBeneficiary", "xProgram", "xProgramMonth", "xUnit", "xBatch"] as const;

/**
 * When an index attribute was first derived: an event recorded before then was written without it,
 * and the journal is never rewritten, so verify accepts it absent there (and nowhere else).
 */
export const INDEXED_SINCE: Readonly<Partial<Record<(typeof INDEX_ATTRIBUTES)[number], string>>> = {
  xBatch: "2026-12-03T00:00:00.000Z",
};

/**
 * A command handed over to whichever instance combines the book (handoff.ts). Pending ones only:
 * deciding one deletes it in the same transaction, so a Query of the partition is the queue.
 * Keyed by the idempotency key, so that a retry of the same request finds (and can settle) it.
 * One partition per book: a put and a delete per handed-over command, so about 500 commands a
 * second before the partition's 1,000 write units. A book that needs more would spread its mail
 * over several partitions (a suffix per sender) and have the combiner query each.
 */
export const mailKey = (book: string, key: string): StateKey => ({ pk: `MAIL#${book}`, sk: key });

/** What became of a handed-off command, for the instance that handed it over to read. */
export const outcomeKey = (book: string, key: string): StateKey => ({ pk: `OUTCOME#${book}#${key}`, sk: "OUTCOME" });

/** Which instance combines a book's handed-off commands, and until when. */
export const leaseKey = (book: string): StateKey => ({ pk: `LEASE#${book}`, sk: "LEASE" });
