import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Actor, Command, JournalEvent } from "@relief-ledger/core";
import {
  createLedgerJournal,
  EXPIRY_ACTOR,
  expireProposals,
  expiryKey,
  type LedgerJournal,
  ledgerAppend,
} from "@relief-ledger/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

/**
 * The daily proposal expiry (packages/store/src/proposals) on DynamoDB Local: payouts proposed
 * under a programme's policy reserve their amounts until the book's approvalTtlDays have passed,
 * and then the job voids them, 25 at a time, recording each as ProposalVoided with reason expired.
 * Everything is asserted on what the journal holds afterwards.
 */
const ADMIN: Actor = { sub: "admin-li", role: "admin" };
const FINANCE: Actor = { sub: "cashier-wang", role: "finance" };
const POLICY = [{ over: "0.00", levels: 1 }];

/** Noon in Shanghai on a date. */
const noon = (date: string) => () => new Date(`${date}T04:00:00Z`);
/** 23:00 on 8 March in Shanghai: the last hour of the seventh day after 1 March. */
const lastHourOfTtl = () => new Date("2010-03-08T15:00:00Z");
/** 00:30 on 9 March in Shanghai: the eighth day, when a 7-day proposal of 1 March has expired. */
const afterTtl = () => new Date("2010-03-08T16:30:00Z");

let client: DynamoDBClient;
let journal: LedgerJournal;
let keys = 0;

beforeAll(async () => {
  const fresh = await freshTables();
  client = fresh.client;
  journal = createLedgerJournal({ client, tables: fresh.tables });
});
afterAll(() => client?.destroy());

async function append(book: string, actor: Actor, command: Command, clock = noon("2010-03-01")) {
  const result = await journal.append(
    book,
    ledgerAppend(book, command, { idempotencyKey: `k-${++keys}`, actor, clock }),
  );
  if (!result.ok) throw new Error(`${command.type}: ${result.error.code} ${result.error.message}`);
  return result.value.events;
}

/** A book whose relief fund holds `balance` and whose programme `winter` needs one approval for every payout. */
async function bookWithPolicy(book: string, balance: string, approvalTtlDays?: number) {
  const opening = noon("2010-01-05");
  await append(
    book,
    ADMIN,
    {
      type: "open-book",
      name: "巴州区总工会",
      currency: "CNY",
      timeZone: "Asia/Shanghai",
      approvals: POLICY,
      ...(approvalTtlDays ? { approvalTtlDays } : {}),
      on: "2010-01-01",
    },
    opening,
  );
  await append(book, FINANCE, { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true }, opening);
  await append(
    book,
    FINANCE,
    { type: "record-collection", fundId: "relief", source: "upper-subsidy", amount: balance, receivedOn: "2010-01-05" },
    opening,
  );
  await append(
    book,
    FINANCE,
    {
      type: "open-program",
      programId: "winter",
      name: "送温暖",
      fundId: "relief",
      requiresHardshipFile: false,
      approvals: POLICY,
    },
    opening,
  );
  for (const id of ["hh-1", "hh-2", "hh-3"]) {
    await append(
      book,
      FINANCE,
      { type: "register-beneficiary", beneficiaryId: id, kind: "household", name: `困难户${id}` },
      opening,
    );
  }
}

/** The finance office's payouts on 1 March, each of which the policy makes a proposal; their ids. */
async function propose(book: string, count: number, amount: string): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 0; n < count; n++) {
    const request: Command = {
      type: "record-payout",
      programId: "winter",
      beneficiaryId: `hh-${(n % 3) + 1}`,
      amount,
      paidOn: "2010-03-01",
    };
    const [made] = await append(book, FINANCE, request);
    expect(made?.type).toBe("ProposalMade");
    ids.push(made?.seq ?? 0);
  }
  return ids;
}

async function eventsOf(book: string): Promise<JournalEvent[]> {
  const all: JournalEvent[] = [];
  for await (const page of journal.read(book, { pageSize: 1000 })) all.push(...page);
  return all;
}

const voidsIn = (events: readonly JournalEvent[]) => events.filter((event) => event.type === "ProposalVoided");

describe("the daily expiry of proposals", () => {
  const book = "expiry-book";
  let ids: number[];

  beforeAll(async () => {
    await bookWithPolicy(book, "1000.00", 7);
    ids = await propose(book, 3, "300.00");
  });

  it("makes the finance office's payouts proposals that reserve their amounts", async () => {
    const { state } = await journal.head(book);
    expect(Object.keys(state.pending ?? {}).map(Number)).toEqual(ids);
    // 900.00 of the 1,000.00 is reserved: a payout of 200.00 is refused while they wait.
    const refused = await journal.append(
      book,
      ledgerAppend(
        book,
        { type: "record-payout", programId: "winter", beneficiaryId: "hh-1", amount: "200.00", paidOn: "2010-03-02" },
        { idempotencyKey: "too-much", actor: FINANCE, clock: noon("2010-03-02") },
      ),
    );
    expect(refused.ok).toBe(false);
  });

  it("voids nothing and records nothing while the book's approvalTtlDays have not passed", async () => {
    const before = await eventsOf(book);
    const [result, ...others] = await expireProposals(journal, { clock: lastHourOfTtl });
    expect(others).toEqual([]);
    expect(result).toEqual({ book, on: "2010-03-08", expired: 0, proposalIds: [], seqs: [] });
    expect(await eventsOf(book)).toEqual(before);
    expect(Object.keys((await journal.head(book)).state.pending ?? {})).toHaveLength(3);
  });

  it("voids each proposal as expired once they have passed, as the system, and releases what they reserved", async () => {
    const before = await eventsOf(book);
    const [result] = await expireProposals(journal, { clock: afterTtl });
    const after = await eventsOf(book);
    const added = after.slice(before.length);
    expect(added.map((event) => event.type)).toEqual(["ProposalVoided", "ProposalVoided", "ProposalVoided"]);
    for (const [n, event] of added.entries()) {
      expect(event).toMatchObject({
        occurredOn: "2010-03-09",
        actor: EXPIRY_ACTOR,
        idempotencyKey: expiryKey(book, "2010-03-09", 1),
        payload: { proposalId: ids[n], reason: "expired", amount: "300.00", proposedOn: "2010-03-01" },
      });
    }
    expect(result).toEqual({
      book,
      on: "2010-03-09",
      expired: 3,
      proposalIds: ids,
      seqs: added.map((event) => event.seq),
    });
    const { state } = await journal.head(book);
    expect(state.pending ?? {}).toEqual({});
    // The proposals' own items say so, and the whole 1,000.00 is available again.
    const { proposals } = await journal.proposals(book, { state: "voided", limit: 10 });
    // Listed newest first.
    expect(proposals).toEqual(
      [...ids]
        .reverse()
        .map((id) =>
          expect.objectContaining({ id, status: "voided", voided: expect.objectContaining({ reason: "expired" }) }),
        ),
    );
    const [payout] = await append(
      book,
      FINANCE,
      { type: "record-payout", programId: "winter", beneficiaryId: "hh-1", amount: "1000.00", paidOn: "2010-03-09" },
      afterTtl,
    );
    expect(payout).toMatchObject({ type: "ProposalMade", payload: { amount: "1000.00" } });
  });

  it("records nothing more when it runs again the same day", async () => {
    const before = await eventsOf(book);
    const [result] = await expireProposals(journal, { clock: () => new Date("2010-03-09T10:00:00Z") });
    expect(result).toMatchObject({ on: "2010-03-09", expired: 0, proposalIds: [] });
    expect(await eventsOf(book)).toEqual(before);
    expect(voidsIn(before)).toHaveLength(3);
  });

  it("checks out as an unbroken chain", async () => {
    const report = await journal.verify(book);
    expect(report).toMatchObject({ ok: true });
  });
});

describe("a backlog of expired proposals", () => {
  const backlog = "expiry-backlog";
  const young = "expiry-young";
  let ids: number[];
  let youngIds: number[];

  beforeAll(async () => {
    await bookWithPolicy(backlog, "100000.00", 7);
    ids = await propose(backlog, 31, "10.00");
    // The default 30 days: on 9 March its proposals of 1 March are still waiting.
    await bookWithPolicy(young, "1000.00");
    youngIds = await propose(young, 2, "10.00");
  });

  it("voids them 25 at a time, in rounds of their own keys, oldest first, until none is left", async () => {
    const before = await eventsOf(backlog);
    const results = await expireProposals(journal, { clock: afterTtl });
    const added = (await eventsOf(backlog)).slice(before.length);
    expect(added).toHaveLength(31);
    expect(added.every((event) => event.type === "ProposalVoided" && event.payload.reason === "expired")).toBe(true);
    expect(added.map((event) => event.payload.proposalId)).toEqual(ids);
    const rounds = added.map((event) => event.idempotencyKey);
    expect(rounds.filter((key) => key === expiryKey(backlog, "2010-03-09", 1))).toHaveLength(25);
    expect(rounds.slice(25)).toEqual(Array(6).fill(expiryKey(backlog, "2010-03-09", 2)));
    expect(Object.keys((await journal.head(backlog)).state.pending ?? {})).toEqual([]);
    const report = results.find((result) => result.book === backlog);
    expect(report).toMatchObject({ expired: 31, proposalIds: ids, seqs: added.map((event) => event.seq) });
  });

  it("leaves a book whose approvalTtlDays have not passed alone", async () => {
    expect(voidsIn(await eventsOf(young))).toEqual([]);
    const { state } = await journal.head(young);
    expect(Object.keys(state.pending ?? {}).map(Number)).toEqual(youngIds);
  });

  it("records nothing twice when the day's run is repeated: its rounds are replayed, not decided again", async () => {
    const before = { backlog: await eventsOf(backlog), young: await eventsOf(young) };
    const results = await expireProposals(journal, { clock: afterTtl });
    for (const result of results) expect(result, result.book).toMatchObject({ expired: 0, proposalIds: [] });
    expect(results.map((result) => result.book).sort()).toEqual(["expiry-book", backlog, young].sort());
    expect(await eventsOf(backlog)).toEqual(before.backlog);
    expect(await eventsOf(young)).toEqual(before.young);
  });

  it("expires the other book's proposals once its own 30 days have passed", async () => {
    // 1 March + 30 days is 31 March: expired on 1 April.
    const [onTheLastDay] = (await expireProposals(journal, { clock: noon("2010-03-31") })).filter(
      (result) => result.book === young,
    );
    expect(onTheLastDay?.expired).toBe(0);
    await expireProposals(journal, { clock: noon("2010-04-01") });
    const voids = voidsIn(await eventsOf(young));
    expect(voids.map((event) => [event.payload.proposalId, event.payload.reason, event.occurredOn])).toEqual(
      youngIds.map((id) => [id, "expired", "2010-04-01"]),
    );
  });
});
