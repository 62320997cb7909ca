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
