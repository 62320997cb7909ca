import { describe, expect, it } from "vitest";
import { CURRENCIES } from "./money.ts";
import {
  account,
  checkBalanced,
  decodePostings,
  encodePostings,
  fundOf,
  movement,
  type Posting,
  StoredPosting,
} from "./postings.ts";

const general = account("fund", "general");
const donors = account("source", "donors");
const relief = account("fund", "relief");

const refusal = (postings: readonly Posting[]) => {
  const result = checkBalanced(postings);
  return result.ok ? undefined : result.error;
};

describe("balanced postings", () => {
  it("take a movement: money out of one account is money into the other", () => {
    const postings = movement(donors, general, 105_110_000n);
    expect(postings).toEqual([
      { account: "source:donors", amount: -105_110_000n },
      { account: "fund:general", amount: 105_110_000n },
    ]);
    expect(checkBalanced(postings)).toEqual({ ok: true, value: postings });
  });

  it("take more than two postings that sum to zero", () => {
    const postings = [
      { account: donors, amount: -300n },
      { account: general, amount: 200n },
      { account: relief, amount: 100n },
    ];
    expect(checkBalanced(postings)).toEqual({ ok: true, value: postings });
  });

  it("need at least two postings, so that no entry is empty", () => {
    expect(refusal([])).toMatchObject({ code: "unbalanced-postings" });
    expect(refusal([{ account: general, amount: 100n }])).toMatchObject({ code: "unbalanced-postings" });
  });

  it("refuse a posting of zero, even when the rest balance", () => {
    expect(
      refusal([
        { account: donors, amount: -100n },
        { account: general, amount: 100n },
        { account: relief, amount: 0n },
      ]),
    ).toMatchObject({ code: "unbalanced-postings", message: expect.stringContaining("fund:relief") });
  });

  it("refuse postings that do not sum to zero, naming the signed imbalance", () => {
    const more = refusal([
      { account: donors, amount: -100n },
      { account: general, amount: 105n },
    ]);
    expect(more?.code).toBe("unbalanced-postings");
    expect(more?.message.match(/-?\d+ minor units/)?.[0]).toBe("5 minor units");
    const less = refusal([
      { account: donors, amount: -105n },
      { account: general, amount: 100n },
    ]);
    expect(less?.message.match(/-?\d+ minor units/)?.[0]).toBe("-5 minor units");
  });
});

describe("stored postings", () => {
  it("carry amounts as signed decimal strings and read back to the same minor units", () => {
    const postings = movement(donors, general, 19_000_050n);
    const stored = encodePostings(postings, CURRENCIES.CNY);
    expect(stored).toEqual([
      { account: "source:donors", amount: "-190000.50" },
      { account: "fund:general", amount: "190000.50" },
    ]);
    expect(decodePostings(stored, CURRENCIES.CNY)).toEqual(postings);
  });

  it.each(["fund:general", "source:donors", "beneficiary:b-17", "unit:0"])("take the account %s", (name) => {
    expect(StoredPosting.safeParse({ account: name, amount: "1.00" }).success).toBe(true);
  });

  it.each(["myfund:general", "fund:general x", "fund:General", "fund:", "fund:-x", "bank:general", "general"])(
    "refuse the account %j",
    (name) => {
      expect(StoredPosting.safeParse({ account: name, amount: "1.00" }).success).toBe(false);
    },
  );

  it("name the fund of a fund account only", () => {
    expect(fundOf(general)).toBe("general");
    expect(fundOf(donors)).toBeUndefined();
  });
});
