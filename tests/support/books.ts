import type { JournalEvent } from "@relief-ledger/core";
import type { Api } from "./api.ts";

/** Tokens that set a book up: an admin opens it, the finance office does the rest. */
export type SetUpTokens = { readonly admin: string; readonly finance: string };

/** A POST that must succeed: setting a book up is not what the test is about. */
export type Post = (path: string, body: unknown) => Promise<JournalEvent>;

export function poster(api: Api, tokens: SetUpTokens): Post {
  return async (path, body) => {
    const response = await api.send("POST", path, {
      token: path === "/v1/books" ? tokens.admin : tokens.finance,
      body,
    });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.json as JournalEvent;
  };
}

export type ReliefBookOptions = {
  /** The restricted relief fund's opening collection, e.g. "1000.00". */
  readonly balance: string;
  /** The programme paying from the fund: its id, name and any other field of its command. */
  readonly program: { readonly id: string; readonly name: string } & Record<string, unknown>;
  /** Households registered as hh-0000, hh-0001, … */
  readonly households?: number;
};

/**
 * A fresh book as the federation opens one: the restricted relief fund (帮扶资金) with one upper
 * subsidy collected into it, one programme paying from it, and `households` registered.
 */
export async function reliefBook(api: Api, tokens: SetUpTokens, book: string, options: ReliefBookOptions) {
  const base = `/v1/books/${book}`;
  const ok = poster(api, tokens);
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: options.balance,
    receivedOn: "2010-01-05",
  });
  await ok(`${base}/programs`, { fundId: "relief", ...options.program });
  const ids = Array.from({ length: options.households ?? 0 }, (_, n) => `hh-${String(n).padStart(4, "0")}`);
  await Promise.all(ids.map((id, n) => ok(`${base}/beneficiaries`, { id, kind: "household", name: `困难户${n}` })));
  return { book, base, ok, ids };
}

/** Every event of a book, in journal order, read straight from the journal. */
export async function journalEvents(api: Api, book: string): Promise<JournalEvent[]> {
  const all: JournalEvent[] = [];
  for await (const page of api.journal.read(book, { pageSize: 1000 })) all.push(...page);
  return all;
}

/** Text a spreadsheet would run as a formula (OWASP, "CSV Injection"), as an attacker sent it. */
export const HOSTILE_MEMO = "-2+3+cmd|' /C calc'!A0";

/**
 * A book with something in every export, including text that starts like a formula: a unit that
 * pays dues, a reversed collection, a payout, a budget, a finding and the year's audit plan, all
 * in the first half of 2010.
 */
export async function bookForExports(api: Api, tokens: SetUpTokens & { readonly committee: string }, book: string) {
  const relief = await reliefBook(api, tokens, book, {
    balance: "2000.00",
    households: 2,
    program: { id: "winter", name: "=送温暖", budget: "5000.00" },
  });
  const { base, ok, ids } = relief;
  await ok(`${base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
  const collection = await ok(`${base}/collections`, {
    fundId: "relief",
    source: "dues",
    unitId: "textile",
    amount: "500.00",
    receivedOn: "2010-02-01",
    reference: "-5",
    memo: HOSTILE_MEMO,
  });
  const payout = await ok(`${base}/payouts`, {
    programId: "winter",
    beneficiaryId: ids[0],
    amount: "800.00",
    paidOn: "2010-03-01",
    memo: "@SUM(A1:A9)",
  });
  const reversal = await ok(`${base}/entries/${collection.seq}/reversal`, { reason: "重复入账" });
  const byCommittee = async (path: string, body: unknown) => {
    const reply = await api.send("POST", `${base}${path}`, { token: tokens.committee, body });
    if (reply.status !== 201) throw new Error(`${path}: ${reply.status} ${reply.text}`);
  };
  await byCommittee("/audit-plans", { year: 2010, targetCount: 5 });
  await byCommittee("/audit-findings", {
    id: "f-1",
    unitId: "textile",
    category: "incomplete-vouchers",
    severity: "low",
    amountInQuestion: "1200",
    description: "-1200元无签收单",
    recordedOn: "2010-04-01",
  });
  return { ...relief, collection, payout, reversal };
}

/**
 * A book with two funds (relief 9,000,000.00, general 12,000.00), a unit, two programmes (winter and
 * aid, paid from relief) and `households` households hh-0 … registered with the unit: ready to pay.
 */
export async function payingBook(api: Api, tokens: SetUpTokens, book: string, households: number) {
  const base = `/v1/books/${book}`;
  const ok = poster(api, tokens);
  await ok("/v1/books", { id: book, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/funds`, { id: "general", name: "工会经费", restricted: false });
  await ok(`${base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: "9000000.00",
    receivedOn: "2010-01-04",
  });
  await ok(`${base}/collections`, {
    fundId: "general",
    source: "dues",
    unitId: "textile",
    amount: "12000.00",
    receivedOn: "2010-01-05",
  });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief" });
  await ok(`${base}/programs`, { id: "aid", name: "金秋助学", fundId: "relief" });
  const ids = Array.from({ length: households }, (_, n) => `hh-${n}`);
  await Promise.all(
    ids.map((id, n) => ok(`${base}/beneficiaries`, { id, kind: "household", name: `困难户${n}`, unitId: "textile" })),
  );
  return { book, base, ids, ok };
}

/**
 * Filters of the entries list, each with what it must match, as a fold of the whole journal would
 * decide it: for books made by payingBook (funds relief and general, programmes winter and aid, unit
 * textile, households hh-0 …).
 */
export const ENTRY_FILTERS: readonly [string, (event: JournalEvent) => boolean][] = [
  ["type=PayoutRecorded", (e) => e.type === "PayoutRecorded"],
  [
    "fundId=general",
    (e) => JSON.stringify(e.payload.postings ?? []).includes("fund:general") || e.payload.fundId === "general",
  ],
  ["programId=winter", (e) => e.payload.programId === "winter"],
  ["programId=aid&from=2010-01-01&to=2010-02-28", (e) => e.payload.programId === "aid" && e.occurredOn <= "2010-02-28"],
  ["beneficiaryId=hh-2", (e) => e.payload.beneficiaryId === "hh-2"],
  ["unitId=textile", (e) => e.payload.unitId === "textile"],
  ["from=2010-02-01&to=2010-02-28", (e) => e.occurredOn >= "2010-02-01" && e.occurredOn <= "2010-02-28"],
  ["fromSeq=5&toSeq=12", (e) => e.seq >= 5 && e.seq <= 12],
];
