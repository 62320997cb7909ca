/**
 * The functions' permissions, statement by statement, and nothing more.
 *
 * What the store really calls (packages/store/src; tests/infra-iam.test.ts fails if that changes):
 *   GetItem        state: a book's head, an idempotency record
 *   BatchGetItem   journal and state: entries and entities by key (beneficiaries, rollups)
 *   Query          journal table: a book's events by seq; journal indexes: auditors' filters;
 *                  state index byKind: the books, audits and findings lists; state table: a
 *                  book's pending handed-over commands (handoff.ts), writers only
 *   TransactWriteItems, whose items are Puts: events, the head, idempotency records, claims,
 *                  entities, and a handoff's mail, outcomes and lease; and Deletes: a handoff's
 *                  mail, consumed as it is decided. IAM has no TransactWriteItems action: each
 *                  item is authorised as dynamodb:PutItem or DeleteItem on its table, with the
 *                  condition key dynamodb:EnclosingOperation = TransactWriteItems.
 *
 * And for checkpoints (packages/store/src/checkpoints;
 * tests/infra-iam-checkpoint.test.ts fails if those change):
 *   kms:GetPublicKey   the key's public half, to check checkpoints against: the API and the job
 *   kms:Sign           a checkpoint's statement (RAW, ED25519_SHA_512): the checkpoint job alone
 *   s3:ListBucket      ListObjectsV2 of a book's checkpoints: the API and the job
 *   s3:GetObject       each checkpoint: the API and the job
 *   s3:PutObject       a new checkpoint, only if none has its name (If-None-Match: *): the job alone
 *   lambda:InvokeFunction  the checkpoint function, asynchronously, after a month is closed: Api, Rollup
 *
 * The functions are deliberately not `link`ed to the tables, the bucket or the key: SST's link on
 * a Dynamo table grants dynamodb:* on the table and everything under it (on a Bucket, s3:*). They
 * get the names through their environment and these statements as their role.
 */
export type Tables = { readonly journal: SstResource; readonly state: SstResource };

/** What infra/checkpoint.ts makes: the signing key, the Object Lock bucket and the checkpoint job. */
export type CheckpointStore = { readonly key: { readonly arn: SstInput<string> }; readonly bucket: SstResource };
export type Checkpoints = CheckpointStore & { readonly job: SstResource };

const actions = (...names: string[]) => names.map((name) => `dynamodb:${name}`);
const indexesOf = (table: SstResource) => $interpolate`${table.arn}/index/*`;
const objectsOf = (bucket: SstResource) => $interpolate`${bucket.arn}/*`;

/**
 * Every way to change or remove a journal item once written: in place (UpdateItem), outright
 * (DeleteItem), in a batch (BatchWriteItem's DeleteRequest, or its PutRequest over an existing key),
 * through PartiQL (UPDATE, DELETE), or with the table itself (UpdateTable could drop its stream or
 * its deletion protection; DeleteTable). A journal Put is only ever a new seq under
 * attribute_not_exists(seq), which IAM cannot express; the hash chain catches any overwrite.
 */
export const JOURNAL_MUTATIONS = actions(
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "PartiQLUpdate",
  "PartiQLDelete",
  "UpdateTable",
  "DeleteTable",
);

/** DENY, on every function role: no journal mutation, whatever any other statement (or a later link) allows. */
export const denyJournalMutation = ({ journal }: Tables): SstPermission => ({
  effect: "deny",
  actions: JOURNAL_MUTATIONS,
  resources: [journal.arn, indexesOf(journal)],
});

/** ALLOW: read a book's events in seq order (Query) and single entries by key (BatchGetItem). */
export const readJournal = ({ journal }: Tables): SstPermission => ({
  actions: actions("Query", "BatchGetItem"),
  resources: [journal.arn],
});

/**
 * ALLOW: Query the journal's indexes (byBeneficiary, byProgram, byProgramMonth, byUnit: the entry
 * filters; byBatch: a payout batch's chunks, for its bank file and results).
 */
export const queryJournalIndexes = ({ journal }: Tables): SstPermission => ({
  actions: actions("Query"),
  resources: [indexesOf(journal)],
});

/** ALLOW: read heads, idempotency records and entities (GetItem, BatchGetItem). */
export const readState = ({ state }: Tables): SstPermission => ({
  actions: actions("GetItem", "BatchGetItem"),
  resources: [state.arn],
});

/** ALLOW: Query the state table's byKind index (books, audits, findings). */
export const queryStateIndexes = ({ state }: Tables): SstPermission => ({
  actions: actions("Query"),
  resources: [indexesOf(state)],
});

/**
 * ALLOW: the append transaction, and only it: PutItem on both tables when the Put is an item of a
 * TransactWriteItems (a journal event never goes in without its head moving in the same transaction).
 */
export const appendTransaction = ({ journal, state }: Tables): SstPermission => ({
  actions: actions("PutItem"),
  resources: [journal.arn, state.arn],
  conditions: [
    { test: "ForAnyValue:StringEquals", variable: "dynamodb:EnclosingOperation", values: ["TransactWriteItems"] },
  ],
});

/**
 * ALLOW: the handoff's mail (packages/store/src/handoff.ts): Query a book's pending mail, and
 * Delete a mail item inside the transaction that decides it. The state table only; the journal
 * keeps its deny.
 */
export const handoffMail = ({ state }: Tables): SstPermission[] => [
  { actions: actions("Query"), resources: [state.arn] },
  {
    actions: actions("DeleteItem"),
    resources: [state.arn],
    conditions: [
      { test: "ForAnyValue:StringEquals", variable: "dynamodb:EnclosingOperation", values: ["TransactWriteItems"] },
    ],
  },
];

/** ALLOW: read checkpoints (list a book's, get each) and the public key that checks them. */
export const readCheckpoints = ({ key, bucket }: CheckpointStore): SstPermission[] => [
  { actions: ["s3:ListBucket"], resources: [bucket.arn] },
  { actions: ["s3:GetObject"], resources: [objectsOf(bucket)] },
  { actions: ["kms:GetPublicKey"], resources: [key.arn] },
];

/** ALLOW, to the checkpoint job alone: sign a checkpoint and store it. */
export const writeCheckpoints = ({ key, bucket }: CheckpointStore): SstPermission[] => [
  { actions: ["kms:Sign"], resources: [key.arn] },
  { actions: ["s3:PutObject"], resources: [objectsOf(bucket)] },
];

/**
 * Every way to remove, hide or shorten the life of a stored checkpoint: delete it (or hide it behind
 * a delete marker), shorten its retention or the bucket's default, or bypass a governance lock.
 * Compliance mode refuses most of these to anyone anyway; a delete marker it does not refuse.
 */
export const CHECKPOINT_TAMPERING = [
  "s3:DeleteObject*",
  "s3:PutObjectRetention",
  "s3:BypassGovernanceRetention",
  "s3:PutBucketObjectLockConfiguration",
];

/** DENY, on every role, the checkpoint job's included: no tampering with stored checkpoints. */
export const denyCheckpointTampering = ({ bucket }: CheckpointStore): SstPermission => ({
  effect: "deny",
  actions: CHECKPOINT_TAMPERING,
  resources: [bucket.arn, objectsOf(bucket)],
});

/**
 * DENY, on every role but the checkpoint job's: signing and storing checkpoints. A checkpoint only
 * means something if whoever can rewrite the tables cannot sign one: the functions that append
 * (Api, Rollup) and those that read must never hold kms:Sign, whatever a later statement or link allows.
 */
export const denyCheckpointWriting = ({ key, bucket }: CheckpointStore): SstPermission => ({
  effect: "deny",
  actions: ["kms:Sign", "s3:PutObject"],
  resources: [key.arn, objectsOf(bucket)],
});

/** ALLOW: start the checkpoint function for a book whose month was just closed (it alone may sign). */
export const invokeCheckpoint = ({ job }: Checkpoints): SstPermission => ({
  actions: ["lambda:InvokeFunction"],
  resources: [job.arn],
});

/**
 * The API function behind every non-GET route (finance's money, registry and rectification,
 * the committee's audits, closing a month): reads, the append transaction, the deny; it reads
 * checkpoints (verify) and starts the checkpoint job after a close, but cannot sign one.
 */
export const apiWriterPermissions = (tables: Tables, checkpoints: Checkpoints): SstPermission[] => [
  readJournal(tables),
  queryJournalIndexes(tables),
  readState(tables),
  queryStateIndexes(tables),
  appendTransaction(tables),
  ...handoffMail(tables),
  ...readCheckpoints(checkpoints),
  invokeCheckpoint(checkpoints),
  denyJournalMutation(tables),
  denyCheckpointWriting(checkpoints),
  denyCheckpointTampering(checkpoints),
];

/**
 * The API function behind GET routes: the whole auditor path (auditors only read) and every other
 * role's reads, checkpoints and their public key included. It cannot write anything at all,
 * whatever the app's role checks say.
 */
export const apiReaderPermissions = (tables: Tables, checkpoints: CheckpointStore): SstPermission[] => [
  readJournal(tables),
  queryJournalIndexes(tables),
  readState(tables),
  queryStateIndexes(tables),
  ...readCheckpoints(checkpoints),
  denyJournalMutation(tables),
  denyCheckpointWriting(checkpoints),
  denyCheckpointTampering(checkpoints),
];

/**
 * The monthly rollup: lists the books (state index), folds each month from the journal table
 * (no index), and appends PeriodClosed through the same transaction as the API; then starts the
 * checkpoint job for the book.
 */
export const rollupPermissions = (tables: Tables, checkpoints: Checkpoints): SstPermission[] => [
  readJournal(tables),
  readState(tables),
  queryStateIndexes(tables),
  appendTransaction(tables),
  // Its PeriodClosed may lose the head race to the API and be handed over like any append.
  ...handoffMail(tables),
  invokeCheckpoint(checkpoints),
  denyJournalMutation(tables),
  denyCheckpointWriting(checkpoints),
  denyCheckpointTampering(checkpoints),
];

/**
 * The checkpoint job: reads a book's head (GetItem on state) and its events since the last
 * checkpoint (Query on the journal), lists the books (state index), reads the checkpoints, and
 * alone signs and stores new ones. It writes nothing to the tables.
 */
export const checkpointPermissions = (tables: Tables, checkpoints: CheckpointStore): SstPermission[] => [
  { actions: actions("Query"), resources: [tables.journal.arn] },
  { actions: actions("GetItem"), resources: [tables.state.arn] },
  queryStateIndexes(tables),
  ...readCheckpoints(checkpoints),
  ...writeCheckpoints(checkpoints),
  denyJournalMutation(tables),
  denyCheckpointTampering(checkpoints),
];

/**
 * The daily proposal expiry: lists the books (state index) and appends expire-proposals, which is
 * exactly an append: it reads the head and the proposals' and payees' items (state), replays a
 * round already recorded from the journal (by key), and may lose the head race to the API and be
 * handed over. It folds nothing, closes nothing and so starts no checkpoint.
 */
export const expiryPermissions = (tables: Tables, checkpoints: CheckpointStore): SstPermission[] => [
  readJournal(tables),
  readState(tables),
  queryStateIndexes(tables),
  appendTransaction(tables),
  ...handoffMail(tables),
  denyJournalMutation(tables),
  denyCheckpointWriting(checkpoints),
  denyCheckpointTampering(checkpoints),
];

/**
 * The nightly chain verification: reads a book's events (Query on the journal), its head (GetItem),
 * the books (state index), and keeps its cursor per book: GetItem and PutItem on the state table,
 * the put only on items whose partition key starts with VERIFY# (dynamodb:LeadingKeys), so that the
 * one write it has cannot touch a head, an idempotency record or an entity. Nothing else: no
 * transaction, no checkpoint, no invoke.
 */
export const verifyPermissions = (tables: Tables, checkpoints: CheckpointStore): SstPermission[] => [
  { actions: actions("Query"), resources: [tables.journal.arn] },
  { actions: actions("GetItem"), resources: [tables.state.arn] },
  queryStateIndexes(tables),
  {
    actions: actions("PutItem"),
    resources: [tables.state.arn],
    conditions: [{ test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["VERIFY#*"] }],
  },
  denyJournalMutation(tables),
  denyCheckpointWriting(checkpoints),
  denyCheckpointTampering(checkpoints),
];

/** ALLOW: what active tracing needs of every function's role: sending its segments to X-Ray. */
export const writeTraces: SstPermission = {
  actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
  resources: ["*"],
};

/** ALLOW: the rollup's failed runs land in its dead-letter queue (its on-failure destination). */
export const sendToDeadLetters = (queue: SstResource): SstPermission => ({
  actions: ["sqs:SendMessage"],
  resources: [queue.arn],
});
