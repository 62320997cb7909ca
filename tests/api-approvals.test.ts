import { randomUUID } from "node:crypto";
import { closingBalances, createRollupFold, type JournalEvent, type Minor, type Rollup } from "@relief-ledger/core";
import { rollupsFor } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents } from "./support/books.ts";

/**
 * Maker-checker over HTTP, on DynamoDB Local: a money request under a policy answers 202 with a
 * proposal that reserves its money; approvers post it, reject it, or the proposer withdraws it.
 */

let api: Api;
let admin: string;
let finance: string;
let otherFinance: string;
let auditor: string;
let system: string;
/** Approvers by name: every one a different token subject. */
const approver = (name: string) => api.token("approver", "*", `approver-${name}`);

/** Every payout needs one approval; one above 500.00 two. */
const POLICY = [
  { over: "0.00", levels: 1 },
  { over: "500.00", levels: 2 },
];

beforeAll(async () => {
  api = await startApi();
  admin = await api.token("admin");
  finance = await api.token("finance", "*", "clerk-wang");
  otherFinance = await api.token("finance", "*", "clerk-zhao");
  auditor = await api.token("auditor");
  system = await api.token("system");
});

/** Sends a write that must succeed with the status given; answers its body. */
async function must(status: number, method: string, path: string, token: string, body?: unknown, key?: string) {
  const reply = await api.send(method, path, { token, body, ...(key ? { key } : {}) });
  expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(status);
  return reply;
}

/**
 * A book opened by the admin under POLICY, its relief fund holding `balance`, a programme opened by
 * finance without a policy of its own (so it takes the book's), and `households` registered.
 */
async function policyBook(book: string, balance: string, households = 3) {
  const base = `/v1/books/${book}`;
  await must(201, "POST", "/v1/books", admin, {
    id: book,
    name: "巴州区总工会",
    currency: "CNY",
    openedOn: "2010-01-01",
    approvals: POLICY,
  });
  await must(201, "POST", `${base}/funds`, finance, { id: "relief", name: "帮扶资金", restricted: true });
  await must(201, "POST", `${base}/collections`, finance, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: balance,
    receivedOn: "2010-01-05",
  });
  await must(201, "POST", `${base}/programs`, finance, { id: "winter", name: "送温暖", fundId: "relief" });
  for (let n = 0; n < households; n++) {
    await must(201, "POST", `${base}/beneficiaries`, finance, { id: `hh-${n}`, kind: "household", name: `困难户${n}` });
  }
  return base;
}

const payout = (amount: string, beneficiaryId = "hh-0", paidOn = "2010-01-20") => ({
  programId: "winter",
  beneficiaryId,
  amount,
  paidOn,
});

const fund = async (base: string) => (await must(200, "GET", `${base}/funds/relief`, auditor)).json;

describe("a payout under a policy", () => {
  let base: string;
  beforeAll(async () => {
    base = await policyBook("held", "1000.00");
  });

  it("answers 202 with a pending proposal that reserves the money, and moves none", async () => {
    const reply = await must(202, "POST", `${base}/payouts`, finance, payout("300.00"));
    expect(reply.json).toMatchObject({
      state: "pending",
      kind: "payout",
      amount: "300.00",
      reserved: "300.00",
      reserves: [{ fundId: "relief", amount: "300.00" }],
      needs: 1,
      approvals: [],
      proposer: "clerk-wang",
      programId: "winter",
      beneficiaryId: "hh-0",
    });
    const id = reply.json.id as number;
    expect(reply.headers.get("location")).toBe(`${base}/approvals/${id}`);
    const entry = await must(200, "GET", `${base}/entries/${id}`, auditor);
    expect(entry.json).toMatchObject({ type: "ProposalMade", payload: { proposer: "clerk-wang", needs: 1 } });
    expect((await fund(base)).balance).toBe("1000.00");
    const read = await must(200, "GET", `${base}/approvals/${id}`, auditor);
    expect(read.json).toMatchObject({ id, state: "pending", reserved: "300.00" });
    // Expiry counts from the day it was made: 30 days when the book names no other.
    const made = new Date(`${read.json.madeOn}T00:00:00Z`);
    expect(read.json.expiresOn).toBe(new Date(made.getTime() + 30 * 86_400_000).toISOString().slice(0, 10));
  });

  it("refuses a payout that would take reserved money, naming the overdraft", async () => {
    // 1000.00 held, 300.00 reserved above: 800.00 is more than the 700.00 left.
    const reply = await api.send("POST", `${base}/payouts`, { token: finance, body: payout("800.00", "hh-1") });
    expect(reply.status, reply.text).toBe(409);
    expect(reply.json).toMatchObject({ type: "/problems/fund-overdrawn", fundId: "relief" });
    expect((await fund(base)).balance).toBe("1000.00");
  });

  it("refuses a request as it would without a policy, and reserves nothing", async () => {
    const before = (await journalEvents(api, "held")).length;
    const reply = await api.send("POST", `${base}/payouts`, { token: finance, body: payout("10.00", "hh-none") });
    expect(reply.status, reply.text).toBe(422);
    expect(reply.json.type).toBe("/problems/beneficiary-not-found");
    expect(await journalEvents(api, "held")).toHaveLength(before);
  });

  it("is posted by one approval, by someone other than the proposer; the entry names both", async () => {
    const proposed = await must(202, "POST", `${base}/payouts`, finance, payout("200.00", "hh-2"));
    const id = proposed.json.id as number;
    // The same person holding an approver's token is still the proposer.
    const self = await api.token("approver", "*", "clerk-wang");
    const refused = await api.send("POST", `${base}/approvals/${id}/approve`, { token: self });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json).toMatchObject({ type: "/problems/self-approval", proposalId: id });
    // Finance may not approve, nor an auditor.
    for (const token of [finance, auditor]) {
      const reply = await api.send("POST", `${base}/approvals/${id}/approve`, { token });
      expect(reply.status, reply.text).toBe(403);
    }
    const key = randomUUID();
    const chair = await approver("chair");
    const posted = await must(201, "POST", `${base}/approvals/${id}/approve`, chair, undefined, key);
    expect(posted.json).toMatchObject({
      type: "PayoutRecorded",
      payload: {
        amount: "200.00",
        beneficiaryId: "hh-2",
        proposal: { proposalId: id, proposer: "clerk-wang", approvers: ["approver-chair"] },
      },
    });
    expect(posted.headers.get("location")).toBe(`${base}/entries/${posted.json.seq}`);
    // A retry with the same key answers the first answer.
    const again = await must(201, "POST", `${base}/approvals/${id}/approve`, chair, undefined, key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(posted.json);
    // Another approval, with another key, finds it posted.
    const late = await api.send("POST", `${base}/approvals/${id}/approve`, { token: await approver("head") });
    expect(late.status, late.text).toBe(409);
    expect(late.json).toMatchObject({ type: "/problems/proposal-not-pending", state: "posted" });
    expect((await fund(base)).balance).toBe("800.00");
    expect((await must(200, "GET", `${base}/approvals/${id}`, auditor)).json).toMatchObject({
      state: "posted",
      reserved: "0.00",
      approvals: [{ by: "approver-chair" }],
      posted: { seq: posted.json.seq, location: `${base}/entries/${posted.json.seq}` },
    });
  });
});

describe("two levels", () => {
  it("needs two different approvers above 500.00; the second posts", async () => {
    const base = await policyBook("levels", "5000.00");
    const proposed = await must(202, "POST", `${base}/payouts`, finance, payout("800.00"));
    const id = proposed.json.id as number;
    expect(proposed.json.needs).toBe(2);
    const chair = await approver("chair");
    const first = await must(201, "POST", `${base}/approvals/${id}/approve`, chair);
    expect(first.json).toMatchObject({
      type: "ProposalApproved",
      payload: { proposalId: id, approver: "approver-chair", level: 1, needs: 2 },
    });
    const twice = await api.send("POST", `${base}/approvals/${id}/approve`, { token: chair });
    expect(twice.status, twice.text).toBe(409);
    expect(twice.json.type).toBe("/problems/already-approved");
    expect((await fund(base)).balance).toBe("5000.00");
    const second = await must(201, "POST", `${base}/approvals/${id}/approve`, await approver("head"));
    expect(second.json).toMatchObject({
      type: "PayoutRecorded",
      payload: { proposal: { proposalId: id, approvers: ["approver-chair", "approver-head"] } },
    });
    expect((await fund(base)).balance).toBe("4200.00");
  });
});

describe("re-checked at the approval that posts it", () => {
  it("voids a proposal whose programme closed meanwhile, answers the refusal, and answers it again on retry", async () => {
    const base = await policyBook("recheck", "1000.00");
    const id = (await must(202, "POST", `${base}/payouts`, finance, payout("100.00"))).json.id as number;
    await must(201, "POST", `${base}/programs/winter/closure`, finance, { reason: "年度结束" });
    const key = randomUUID();
    const chair = await approver("chair");
    const refused = await api.send("POST", `${base}/approvals/${id}/approve`, { token: chair, key });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json).toMatchObject({ type: "/problems/program-closed", proposalId: id });
    const voidedSeq = refused.json.voidedSeq as number;
    expect((await must(200, "GET", `${base}/entries/${voidedSeq}`, auditor)).json).toMatchObject({
      type: "ProposalVoided",
      payload: { proposalId: id, reason: "recheck-failed", by: "approver-chair", refusal: { code: "program-closed" } },
    });
    const again = await api.send("POST", `${base}/approvals/${id}/approve`, { token: chair, key });
    // The same refusal; each answer names its own request.
    expect(again.json.requestId).not.toBe(refused.json.requestId);
    const body = (json: Record<string, unknown>) => ({ ...json, requestId: "{requestId}" });
    expect({ status: again.status, body: body(again.json) }).toEqual({
      status: refused.status,
      body: body(refused.json),
    });
    expect((await must(200, "GET", `${base}/approvals/${id}`, auditor)).json).toMatchObject({
      state: "voided",
      reserved: "0.00",
      voided: { reason: "recheck-failed", refusal: { code: "program-closed" } },
    });
    expect((await fund(base)).balance).toBe("1000.00");
  });
});

describe("reject, withdraw", () => {
  it("voids the proposal and releases its reservation; a voided one cannot be approved", async () => {
    const base = await policyBook("voids", "1000.00");
    const first = (await must(202, "POST", `${base}/payouts`, finance, payout("600.00"))).json.id as number;
    // 600.00 reserved: 500.00 more does not fit.
    const full = await api.send("POST", `${base}/payouts`, { token: finance, body: payout("500.00", "hh-1") });
    expect(full.status, full.text).toBe(409);
    const chair = await approver("chair");
    const rejected = await must(201, "POST", `${base}/approvals/${first}/reject`, chair, { reason: "材料不全" });
    expect(rejected.json).toMatchObject({
      type: "ProposalVoided",
      payload: { proposalId: first, reason: "rejected", by: "approver-chair", note: "材料不全" },
    });
    const second = (await must(202, "POST", `${base}/payouts`, finance, payout("500.00", "hh-1"))).json.id as number;
    const notMine = await api.send("POST", `${base}/approvals/${second}/withdraw`, { token: otherFinance });
    expect(notMine.status, notMine.text).toBe(403);
    expect(notMine.json.type).toBe("/problems/not-the-proposer");
    const withdrawn = await must(201, "POST", `${base}/approvals/${second}/withdraw`, finance);
    expect(withdrawn.json).toMatchObject({
      type: "ProposalVoided",
      payload: { reason: "withdrawn", by: "clerk-wang" },
    });
    for (const id of [first, second]) {
      const reply = await api.send("POST", `${base}/approvals/${id}/approve`, { token: chair });
      expect(reply.status, reply.text).toBe(409);
      expect(reply.json).toMatchObject({ type: "/problems/proposal-not-pending", state: "voided" });
    }
    const missing = await api.send("POST", `${base}/approvals/999/approve`, { token: chair });
    expect(missing.status, missing.text).toBe(404);
    // Nothing reserved, nothing paid: the whole balance is there to propose again.
    expect((await fund(base)).balance).toBe("1000.00");
    await must(202, "POST", `${base}/payouts`, finance, payout("1000.00", "hh-2"));
  });
});

describe("listing proposals", () => {
  it("lists pending ones and decisions, newest first, by state and programme, page by page", async () => {
    const base = await policyBook("listing", "5000.00");
    const ids: number[] = [];
    for (let n = 0; n < 5; n++) {
      ids.push((await must(202, "POST", `${base}/payouts`, finance, payout(`${10 + n}.00`, `hh-${n % 3}`))).json.id);
    }
    await must(201, "POST", `${base}/approvals/${ids[1]}/approve`, await approver("chair"));
    await must(201, "POST", `${base}/approvals/${ids[3]}/reject`, await approver("chair"), { reason: "重复申请" });
    const all = await must(200, "GET", `${base}/approvals`, auditor);
    expect(all.json.proposals.map((p: { id: number }) => p.id)).toEqual([...ids].reverse());
    const pending = await must(200, "GET", `${base}/approvals?state=pending`, auditor);
    expect(pending.json.proposals.map((p: { id: number }) => p.id)).toEqual([ids[4], ids[2], ids[0]]);
    const posted = await must(200, "GET", `${base}/approvals?state=posted&programId=winter`, auditor);
    expect(posted.json.proposals).toMatchObject([{ id: ids[1], state: "posted" }]);
    expect((await must(200, "GET", `${base}/approvals?programId=other`, auditor)).json.proposals).toEqual([]);
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await must(200, "GET", `${base}/approvals?limit=2${cursor ? `&cursor=${cursor}` : ""}`, auditor);
      pages.push(...page.json.proposals.map((p: { id: number }) => p.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(pages).toEqual([...ids].reverse());
    const bad = await api.send("GET", `${base}/approvals?state=approved`, { token: auditor });
    expect(bad.status).toBe(400);
  });
});

describe("policies are the admin's", () => {
  it("lets the admin set a programme's policy and the book's, and nobody else", async () => {
    const base = await policyBook("policies", "1000.00");
    for (const token of [finance, await approver("chair"), auditor]) {
      const reply = await api.send("PUT", `${base}/programs/winter/approval-policy`, {
        token,
        body: { approvals: [] },
        key: randomUUID(),
      });
      expect(reply.status, reply.text).toBe(403);
    }
    const set = await must(
      201,
      "PUT",
      `${base}/programs/winter/approval-policy`,
      admin,
      { approvals: [] },
      randomUUID(),
    );
    expect(set.json).toMatchObject({ type: "ApprovalPolicySet", payload: { programId: "winter", approvals: [] } });
    // Emptied: money moves at once again.
    await must(201, "POST", `${base}/payouts`, finance, payout("10.00"));
    await must(201, "PUT", `${base}/approval-policy`, admin, { approvals: POLICY, approvalTtlDays: 7 }, randomUUID());
    const book = await must(200, "GET", base, auditor);
    expect(book.json).toMatchObject({ approvals: POLICY, approvalTtlDays: 7 });
    const program = async (id: string) =>
      ((await must(200, "GET", `${base}/programs`, auditor)).json.programs as { id: string }[]).find(
        (found) => found.id === id,
      );
    expect(await program("winter")).toMatchObject({
      approvals: [],
      approvalsFrom: "programme",
    });
    // A programme without a policy of its own follows the book's, as it is now.
    await must(201, "POST", `${base}/programs`, finance, { id: "spring", name: "春送岗位", fundId: "relief" });
    expect(await program("spring")).toMatchObject({
      approvals: POLICY,
      approvalsFrom: "book",
    });
    await must(202, "POST", `${base}/payouts`, finance, { ...payout("10.00"), programId: "spring" });
    const missingKey = await api.send("PUT", `${base}/approval-policy`, { token: admin, body: { approvals: [] } });
    expect(missingKey.status).toBe(400);
    // A transfer is the book's to hold.
    await must(201, "POST", `${base}/funds`, finance, { id: "general", name: "工会经费", restricted: false });
    const transfer = await must(202, "POST", `${base}/transfers`, finance, {
      fromFundId: "relief",
      toFundId: "general",
      amount: "20.00",
      on: "2010-02-01",
    });
    expect(transfer.json).toMatchObject({ kind: "transfer", reserves: [{ fundId: "relief", amount: "20.00" }] });
  });
});

describe("a month with a proposal pending", () => {
  it("cannot close until the proposal is decided; its rollups are a replay of the events", async () => {
    const base = await policyBook("closing", "1000.00");
    const id = (await must(202, "POST", `${base}/payouts`, finance, payout("100.00", "hh-0", "2010-01-20"))).json
      .id as number;
    const refused = await api.send("POST", `${base}/rollups/2010-01`, { token: system });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json).toMatchObject({ type: "/problems/proposals-pending", proposalIds: [id] });
    await must(201, "POST", `${base}/approvals/${id}/approve`, await approver("chair"));
    const other = (await must(202, "POST", `${base}/payouts`, finance, payout("50.00", "hh-1", "2010-01-25"))).json
      .id as number;
    await must(201, "POST", `${base}/approvals/${other}/reject`, await approver("chair"), { reason: "不符合条件" });
    const closed = await api.send("POST", `${base}/rollups/2010-01`, { token: system });
    expect(closed.status, closed.text).toBe(201);

    // The stored rollup is what folding the raw journal gives: proposals move no money.
    const events = await journalEvents(api, "closing");
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(["ProposalMade", "PayoutRecorded", "ProposalVoided"]),
    );
    const [stored] = await rollupsFor(api.journal, "closing", "2010-01", "2010-01");
    expect(stored).toEqual(replay(events, "closing", "2010-01"));
    const folded = stored as Rollup;
    expect(closingBalances(folded).relief).toBe(90_000n);
  });
});

/** January folded from the raw events, without anything stored. */
function replay(events: readonly JournalEvent[], book: string, month: string): Rollup {
  const opening: Record<string, Minor> = {};
  const fold = createRollupFold(book, month, "CNY", opening);
  for (const event of events) if (event.occurredOn.startsWith(month) && event.type !== "PeriodClosed") fold.add(event);
  return fold.result();
}

type Reply = Awaited<ReturnType<Api["send"]>>;

/**
 * Sends a write until it is decided: a 202 that says the book was busy is asked after at its
 * Location, a 503 is sent again with the same key. Racing writers may see either.
 */
async function decided(send: (key: string) => Promise<Reply>, token: string): Promise<Reply> {
  const key = randomUUID();
  let reply = await send(key);
  for (let tries = 0; tries < 100; tries++) {
    if (reply.status === 503) reply = await send(key);
    else if (reply.status === 202 && reply.json?.status === "pending") {
      await new Promise((resolve) => setTimeout(resolve, 200));
      reply = await api.send("GET", reply.headers.get("location") ?? "", { token });
    } else return reply;
  }
  throw new Error(`never decided: ${reply.status} ${reply.text}`);
}

describe("racing", () => {
  it("lets 32 proposals racing for a fund reserve no more than it holds", async () => {
    const base = await policyBook("race-proposals", "1000.00", 32);
    const other = api.sibling();
    const replies = await Promise.all(
      Array.from({ length: 32 }, (_, n) =>
        decided(
          (key) =>
            api.send("POST", `${base}/payouts`, {
              token: finance,
              body: payout("100.00", `hh-${n}`),
              key,
              ...(n % 2 ? { via: other } : {}),
            }),
          finance,
        ),
      ),
    );
    const proposed = replies.filter((reply) => reply.status === 202 || reply.status === 200);
    const refused = replies.filter((reply) => reply.status === 409);
    expect(proposed.map((reply) => reply.json.state)).toEqual(Array(10).fill("pending"));
    expect(refused).toHaveLength(22);
    for (const reply of refused) expect(reply.json.type).toBe("/problems/fund-overdrawn");
    const pending = await must(200, "GET", `${base}/approvals?state=pending`, auditor);
    expect(pending.json.proposals).toHaveLength(10);
    const reserved = pending.json.proposals.reduce(
      (sum: bigint, p: { reserved: string }) => sum + BigInt(p.reserved.replace(".", "")),
      0n,
    );
    expect(reserved).toBe(100_000n);
    expect((await fund(base)).balance).toBe("1000.00");
  });

  it("records one entry for 20 approvals of one proposal racing from 20 approvers", async () => {
    const base = await policyBook("race-approvals", "1000.00");
    const id = (await must(202, "POST", `${base}/payouts`, finance, payout("400.00"))).json.id as number;
    const other = api.sibling();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, n) => approver(`racer-${n}`)));
    const replies = await Promise.all(
      tokens.map((token, n) =>
        decided(
          (key) =>
            api.send("POST", `${base}/approvals/${id}/approve`, { token, key, ...(n % 2 ? { via: other } : {}) }),
          token,
        ),
      ),
    );
    const posted = replies.filter((reply) => reply.status === 201 || reply.status === 200);
    expect(posted.map((reply) => reply.json.type)).toEqual(["PayoutRecorded"]);
    const losers = replies.filter((reply) => reply.status === 409);
    expect(losers).toHaveLength(19);
    for (const reply of losers) expect(reply.json).toMatchObject({ type: "/problems/proposal-not-pending" });
    const entries = (await journalEvents(api, "race-approvals")).filter(
      (event) => (event.payload.proposal as { proposalId?: number } | undefined)?.proposalId === id,
    );
    expect(entries).toHaveLength(1);
    expect((await fund(base)).balance).toBe("600.00");
  });
});

describe("a payout batch under a policy", () => {
  const batch = (lines: { beneficiaryId: string; amount: string }[], programId = "winter") => ({
    programId,
    paidOn: "2010-01-25",
    lines,
  });

  it("is proposed as a whole, one proposal a chunk, and paid whole by one approval of any of them", async () => {
    const base = await policyBook("batched", "1000.00", 100);
    const lines = Array.from({ length: 100 }, (_, n) => ({ beneficiaryId: `hh-${n}`, amount: "4.00" }));
    const key = randomUUID();
    const proposed = await must(
      202,
      "POST",
      `${base}/payout-batches`,
      finance,
      batch([...lines, { beneficiaryId: "hh-none", amount: "1.00" }]),
      key,
    );
    expect(proposed.json).toMatchObject({
      lines: 101,
      recorded: 0,
      proposed: 100,
      refused: 1,
      amountProposed: "400.00",
    });
    const ids = proposed.json.proposalIds as number[];
    expect(ids).toHaveLength(3);
    expect(proposed.headers.get("location")).toBe(`${base}/approvals/${ids[0]}`);
    expect(proposed.json.results[100]).toMatchObject({ line: 100, status: "refused", code: "beneficiary-not-found" });
    expect(proposed.json.results[50]).toMatchObject({ line: 50, status: "proposed", proposalId: ids[1] });
    // The same batch again with its key answers the same, proposing nothing twice.
    const again = await must(
      202,
      "POST",
      `${base}/payout-batches`,
      finance,
      batch([...lines, { beneficiaryId: "hh-none", amount: "1.00" }]),
      key,
    );
    expect(again.json).toEqual(proposed.json);
    expect((await fund(base)).balance).toBe("1000.00");
    // 400.00 is reserved: 700.00 more does not fit.
    const over = await api.send("POST", `${base}/payouts`, { token: finance, body: payout("700.00", "hh-1") });
    expect(over.status, over.text).toBe(409);

    const approveKey = randomUUID();
    const chair = await approver("chair");
    const approved = await must(201, "POST", `${base}/approvals/${ids[1]}/approve`, chair, undefined, approveKey);
    expect(approved.json).toMatchObject({
      proposalIds: ids,
      state: "posted",
      recorded: 100,
      amountRecorded: "400.00",
      voided: [],
    });
    const replayed = await must(201, "POST", `${base}/approvals/${ids[1]}/approve`, chair, undefined, approveKey);
    expect(replayed.json).toEqual(approved.json);
    expect((await fund(base)).balance).toBe("600.00");
    const posted = await must(200, "GET", `${base}/approvals?state=posted`, auditor);
    expect(posted.json.proposals.map((p: { id: number }) => p.id).sort()).toEqual([...ids].sort());
    const payouts = (await journalEvents(api, "batched")).filter((event) => event.type === "PayoutRecorded");
    expect(payouts).toHaveLength(100);
    for (const event of payouts) {
      expect(event.payload.proposal).toMatchObject({ proposer: "clerk-wang", approvers: ["approver-chair"] });
    }
  });

  it("lists a line that no longer passes at approval and does not pay it; a rejection voids the whole batch", async () => {
    const base = await policyBook("batch-recheck", "1000.00", 3);
    await must(201, "POST", `${base}/programs`, finance, {
      id: "aid",
      name: "困难帮扶",
      fundId: "relief",
      requiresHardshipFile: true,
    });
    for (const id of ["hh-0", "hh-1", "hh-2"]) {
      await must(201, "POST", `${base}/beneficiaries/${id}/hardship-file`, finance, {
        tier: "deep",
        cause: "因病致困",
        openedOn: "2010-01-02",
        validUntil: "2010-12-31",
      });
    }
    const lines = ["hh-0", "hh-1"].map((beneficiaryId) => ({ beneficiaryId, amount: "50.00" }));
    const [id] = (await must(202, "POST", `${base}/payout-batches`, finance, batch(lines, "aid"))).json.proposalIds;
    await must(201, "POST", `${base}/beneficiaries/hh-1/hardship-file/closure`, finance, {
      closedOn: "2010-01-20",
      reason: "已再就业",
    });
    const approved = await must(201, "POST", `${base}/approvals/${id}/approve`, await approver("chair"));
    expect(approved.json).toMatchObject({
      state: "posted",
      recorded: 1,
      amountRecorded: "50.00",
      results: [
        { line: 0, status: "recorded", beneficiaryId: "hh-0" },
        { line: 1, status: "refused", code: "hardship-file-required" },
      ],
    });
    expect((await fund(base)).balance).toBe("950.00");

    const other = (
      await must(
        202,
        "POST",
        `${base}/payout-batches`,
        finance,
        batch([{ beneficiaryId: "hh-2", amount: "70.00" }], "aid"),
      )
    ).json.proposalIds[0];
    const rejected = await must(201, "POST", `${base}/approvals/${other}/reject`, await approver("head"), {
      reason: "名单未公示",
    });
    expect(rejected.json).toMatchObject({
      state: "voided",
      recorded: 0,
      voided: [{ proposalId: other, reason: "rejected" }],
    });
    expect(await fund(base)).toMatchObject({ balance: "950.00", reserved: "0.00", available: "950.00" });
  });
});

describe("the OpenAPI document", () => {
  it("describes the approval routes and the 202 that answers a request held for approval", async () => {
    const document = (await must(200, "GET", "/openapi.json", auditor)).json;
    const op = (path: string, method: string) => document.paths[`/v1${path}`]?.[method];
    for (const [path, method] of [
      ["/books/{book}/approvals", "get"],
      ["/books/{book}/approvals/{proposalId}", "get"],
      ["/books/{book}/approvals/{proposalId}/approve", "post"],
      ["/books/{book}/approvals/{proposalId}/reject", "post"],
      ["/books/{book}/approvals/{proposalId}/withdraw", "post"],
      ["/books/{book}/approval-policy", "put"],
      ["/books/{book}/programs/{program}/approval-policy", "put"],
    ] as const) {
      expect(op(path, method)?.tags, `${method} ${path}`).toEqual(["Approvals"]);
    }
    for (const path of ["/books/{book}/payouts", "/books/{book}/transfers", "/books/{book}/entries/{seq}/reversal"]) {
      const held = op(path, "post")?.responses["202"];
      expect(JSON.stringify(held.content["application/json"].schema), path).toContain("#/components/schemas/Proposal");
    }
    expect(op("/books/{book}/payout-batches", "post")?.responses["202"].description).toContain("Held for approval");
    expect(document.components.schemas.Proposal.properties.state.enum).toEqual(["pending", "posted", "voided"]);
  });
});
