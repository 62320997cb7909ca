/**
 * The functions' DynamoDB permissions, statement by statement, and nothing more.
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
 * The functions are deliberately not `link`ed to the tables: SST's link on a Dynamo table grants
 * dynamodb:* on the table and everything under it. They get the table names through their
 * environment and these statements as their role.
 */
export type Tables = { readonly journal: SstResource; readonly state: SstResource };

const actions = (...names: string[]) => names.map((name) => `dynamodb:${name}`);
const indexesOf = (table: SstResource) => $interpolate`${table.arn}/index/*`;

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

/** ALLOW: Query the journal's indexes (byBeneficiary, byProgram, byProgramMonth, byUnit): the entry filters. */
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

/**
 * The API function behind every non-GET route (finance's money, registry and rectification,
 * the committee's audits, closing a month): reads, the append transaction, the deny.
 */
export const apiWriterPermissions = (tables: Tables): SstPermission[] => [
  readJournal(tables),
  queryJournalIndexes(tables),
  readState(tables),
  queryStateIndexes(tables),
  appendTransaction(tables),
  ...handoffMail(tables),
  denyJournalMutation(tables),
];

/**
 * The API function behind GET routes: the whole auditor path (auditors only read) and every other
 * role's reads. It cannot write anything at all, whatever the app's role checks say.
 */
export const apiReaderPermissions = (tables: Tables): SstPermission[] => [
  readJournal(tables),
  queryJournalIndexes(tables),
  readState(tables),
  queryStateIndexes(tables),
  denyJournalMutation(tables),
];

/**
 * The monthly rollup: lists the books (state index), folds each month from the journal table
 * (no index), and appends PeriodClosed through the same transaction as the API.
 */
export const rollupPermissions = (tables: Tables): SstPermission[] => [
  readJournal(tables),
  readState(tables),
  queryStateIndexes(tables),
  appendTransaction(tables),
  // Its PeriodClosed may lose the head race to the API and be handed over like any append.
  ...handoffMail(tables),
  denyJournalMutation(tables),
];
