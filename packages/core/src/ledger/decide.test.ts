import { describe, expect, it } from "vitest";
import { chainEvents, EMPTY_HEAD, type JournalEvent } from "../journal-event.ts";
import { checkBalanced } from "../postings.ts";
import type { Command } from "./commands.ts";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { type BookState, decodeState, encodeState, initialState } from "./state.ts";

const actor = { sub: "finance-office", role: "finance" as const };

/** Given these commands were recorded, the state they lead to (and the events). */
function given(commands: Command[]): { state: BookState; events: JournalEvent[] } {
  let state = initialState();
  let head = EMPTY_HEAD;
  const events: JournalEvent[] = [];
  commands.forEach((command, index) => {
    const decision = decide(command, state, "bazhou");
    if (!decision.ok) throw new Error(`given: ${decision.error.code}`);
    const chained = chainEvents(head, decision.value, {
      book: "bazhou",
      recordedAt: "2010-01-01T00:00:00.000Z",
      actor,
      idempotencyKey: `g-${index}`,
    });
    events.push(...chained.events);
    state = chained.events.reduce(evolve, state);
    head = chained.head;
  });
  return { state, events };
}

const opened: Command[] = [
  { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
  { type: "open-fund", fundId: "relief", name: "帮扶资金", restricted: true, on: "2010-01-01" },
];

const collect = (amount: string): Command => ({
  type: "record-collection",
  fundId: "relief",
  source: "upper-subsidy",
  amount,
  receivedOn: "2010-01-15",
});

describe("the ledger decider", () => {
  it("records a collection as balanced postings into the fund", () => {
    const { state, events } = given([...opened, collect("1051100.00")]);
    const collection = events.at(-1);
    expect(collection?.type).toBe("CollectionRecorded");
    expect(collection?.payload.postings).toEqual([
      { account: "source:upper-subsidy", amount: "-1051100.00" },
      { account: "fund:relief", amount: "1051100.00" },
    ]);
    expect(state.funds.relief?.balance).toBe(105_110_000n);
  });

  it("refuses money before the book exists and a second book under the same id", () => {
    const none = decide(collect("1.00"), initialState(), "bazhou");
    expect(none).toMatchObject({ ok: false, error: { code: "book-not-found" } });
    const { state } = given(opened);
    expect(decide(opened[0] as Command, state, "bazhou")).toMatchObject({ ok: false, error: { code: "book-exists" } });
  });

  it("refuses bad amounts with the field named, and unknown funds", () => {
    const { state } = given(opened);
    for (const amount of ["-1", "0", "1.001", "1e3", "99999999999999999"]) {
      expect(decide(collect(amount), state, "bazhou")).toMatchObject({
        ok: false,
        error: { code: "invalid-amount", field: "amount" },
      });
    }
    expect(decide({ ...collect("1.00"), fundId: "nope" } as Command, state, "bazhou")).toMatchObject({
      ok: false,
      error: { code: "fund-not-found", fundId: "nope" },
    });
  });

  it("refuses postings that do not sum to zero", () => {
    expect(
      checkBalanced([
        { account: "fund:a", amount: 5n },
        { account: "source:dues", amount: -4n },
      ]).ok,
    ).toBe(false);
    expect(checkBalanced([{ account: "fund:a", amount: 5n }]).ok).toBe(false);
    expect(
      checkBalanced([
        { account: "fund:a", amount: 5n },
        { account: "source:dues", amount: -5n },
      ]).ok,
    ).toBe(true);
  });

  it("keeps the state through the head item's JSON unchanged", () => {
    const { state } = given([...opened, collect("0.01"), collect("300000.00")]);
    expect(decodeState(JSON.parse(JSON.stringify(encodeState(state))))).toEqual(state);
  });
});
