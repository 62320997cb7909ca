import { describe, expect, it } from "vitest";
import { quarterRollups } from "../rollup/quarter.test-support.ts";
import { rollupHash } from "../rollup/rollup.ts";
import { Command, CommandSchemas } from "./commands.ts";
import { household, openBook, warmthFund, winterWarmth } from "./scenario.test-support.ts";

// Commands are schemas, as events are: what crosses HTTP, or comes back from the state table as a
// command handed to another instance, is parsed with them before it is decided.

const payout = {
  type: "record-payout",
  programId: "winter-warmth",
  beneficiaryId: "hh-wang-guilan",
  amount: "800",
  paidOn: "2010-01-20",
};

describe("the command schemas", () => {
  it("file each schema under the type it parses", () => {
    for (const [type, schema] of Object.entries(CommandSchemas)) {
      expect(schema.shape.type.value).toBe(type);
    }
  });

  it("give back the commands the scenarios record, unchanged", () => {
    for (const command of [openBook, warmthFund, winterWarmth, household("hh-wang-guilan", "王桂兰"), payout]) {
      expect(Command.parse(JSON.parse(JSON.stringify(command)))).toEqual(command);
    }
  });

  it("give back a month's close with its rollup unchanged, so that the close records the same hash", () => {
    const { january, march } = quarterRollups();
    for (const rollup of [january, march]) {
      const parsed = Command.parse(JSON.parse(JSON.stringify({ type: "close-period", period: rollup.period, rollup })));
      expect(parsed).toEqual({ type: "close-period", period: rollup.period, rollup });
      expect(parsed.type === "close-period" && rollupHash(parsed.rollup)).toBe(rollupHash(rollup));
    }
  });

  it.each([
    ["an amount sent as a number", { ...payout, amount: 12.5 }, ["amount"]],
    ["a type no command has", { ...payout, type: "pay-everyone" }, ["type"]],
    ["no type at all", { programId: "winter-warmth" }, ["type"]],
    ["a field the command does not have", { ...payout, approvedBy: "chair" }, [""]],
    ["a blank memo", { ...payout, memo: "   " }, ["memo"]],
    ["an id that is not a slug", { ...payout, beneficiaryId: "Wang Guilan" }, ["beneficiaryId"]],
    ["a date that does not exist", { ...payout, paidOn: "2010-02-30" }, ["paidOn"]],
    ["a method the ledger does not know", { ...payout, method: "crypto" }, ["method"]],
    ["a close whose rollup lacks its figures", { type: "close-period", period: "2010-01", rollup: {} }, ["rollup"]],
  ])("refuses %s, naming where", (_, command, paths) => {
    const parsed = Command.safeParse(command);
    expect(parsed.success).toBe(false);
    const named = (parsed.error?.issues ?? []).map((issue) => issue.path.join("."));
    for (const path of paths) expect(named.some((at) => at === path || at.startsWith(`${path}.`))).toBe(true);
  });

  it("trims text as a request's body is trimmed, and keeps a chunk's lines as sent", () => {
    expect(Command.parse({ ...payout, memo: "  元旦慰问  " })).toMatchObject({ memo: "元旦慰问" });
    const chunk = {
      type: "record-payout-chunk",
      batchId: "winter-day-1",
      programId: "winter-warmth",
      paidOn: "2010-01-20",
      chunk: 0,
      firstLine: 0,
      totalLines: 2,
      lines: [
        { beneficiaryId: "hh-wang-guilan", amount: "800" },
        { beneficiaryId: "hh-li-xiulan", amount: "600", reference: "B-2" },
      ],
    };
    expect(Command.parse(chunk)).toEqual(chunk);
    expect(Command.safeParse({ ...chunk, lines: [] }).success).toBe(false);
  });
});
