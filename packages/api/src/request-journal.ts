import type { LedgerJournal } from "@relief-ledger/store";

/** What a request's appends recorded, for its log line and metrics (observe.ts). */
export type Recorded = { appends: number; seqs: number[] };

/**
 * The journal as one request sees it: every append it makes, through any route or store function
 * (a payout, a roster import's chunks, a month's close), carries the request's id into the events
 * it records (JournalEvent's `requestId`), and what it recorded is noted for the request's log
 * line. Everything else is the process's journal itself.
 */
export function requestJournal(journal: LedgerJournal, requestId: string, recorded: Recorded): LedgerJournal {
  const append: LedgerJournal["append"] = async (book, command) => {
    // A copy that keeps the command's getters (its `wire` is built only if it is handed over).
    const tagged = Object.defineProperties(
      {},
      { ...Object.getOwnPropertyDescriptors(command), requestId: { value: requestId, enumerable: true } },
    ) as typeof command;
    const result = await journal.append(book, tagged);
    if (result.ok && !result.value.replayed && result.value.events.length > 0) {
      recorded.appends += 1;
      recorded.seqs.push(...result.value.events.map((event) => event.seq));
    }
    return result;
  };
  return new Proxy(journal, {
    get(target, property) {
      if (property === "append") return append;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
