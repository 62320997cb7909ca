import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CURRENCIES, formatAmount, MAX_ENTRY_MINOR, parseAmount, readSignedAmount, sumMinor } from "./money.ts";

const CNY = CURRENCIES.CNY;
const entry = fc.bigInt({ min: 1n, max: MAX_ENTRY_MINOR });

describe("money", () => {
  it("parses the seed's figures to exact fen", () => {
    expect(parseAmount("1051100.00", CNY)).toEqual({ ok: true, value: 105_110_000n });
    expect(parseAmount("1051100", CNY)).toEqual({ ok: true, value: 105_110_000n });
    expect(parseAmount("0.01", CNY)).toEqual({ ok: true, value: 1n });
    expect(parseAmount("190000.5", CNY)).toEqual({ ok: true, value: 19_000_050n });
  });

  it.each([
    ["-1", "format"],
    ["0", "not-positive"],
    ["0.00", "not-positive"],
    ["1.001", "too-many-decimals"],
    ["1e3", "format"],
    ["99999999999999999", "too-large"],
    ["1".repeat(33), "too-large"],
    ["10000000000.00", "too-large"],
    ["", "format"],
    [" 1", "format"],
    ["01", "format"],
    ["1.", "format"],
    [".5", "format"],
    ["+1", "format"],
    ["1,000", "format"],
    ["NaN", "format"],
    ["١٢", "format"],
  ])("refuses %j as %s", (text, reason) => {
    const result = parseAmount(text, CNY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe(reason);
      expect(result.error.message).not.toBe("");
    }
  });

  it("reads at most 32 characters, refusing anything longer as too large before reading it", () => {
    const refusal = (text: string) => {
      const result = parseAmount(text, CNY);
      return result.ok ? undefined : result.error.reason;
    };
    expect(refusal("x".repeat(32))).toBe("format");
    expect(refusal(`0.${"0".repeat(30)}`)).toBe("too-many-decimals");
    expect(refusal("x".repeat(33))).toBe("too-large");
    expect(refusal(`0.${"0".repeat(31)}`)).toBe("too-large");
  });

  it("names the currency, and the largest amount it takes, when it refuses one", () => {
    expect(parseAmount("1.001", CNY)).toMatchObject({ ok: false, error: { message: expect.stringContaining("CNY") } });
    expect(parseAmount("10000000000.00", CNY)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("9999999999.99") },
    });
  });

  it("accepts the largest entry and refuses one fen more", () => {
    expect(parseAmount(formatAmount(MAX_ENTRY_MINOR, CNY), CNY)).toEqual({ ok: true, value: MAX_ENTRY_MINOR });
    expect(parseAmount(formatAmount(MAX_ENTRY_MINOR + 1n, CNY), CNY).ok).toBe(false);
  });

  it("formats with exactly the currency's digits", () => {
    expect(formatAmount(105_110_000n, CNY)).toBe("1051100.00");
    expect(formatAmount(1n, CNY)).toBe("0.01");
    expect(formatAmount(0n, CNY)).toBe("0.00");
    expect(formatAmount(-250n, CNY)).toBe("-2.50");
    expect(formatAmount(7n, { code: "JPY", digits: 0 })).toBe("7");
  });

  it("round-trips every entry amount through its decimal string without losing a fen", () => {
    fc.assert(
      fc.property(entry, (minor) => {
        const text = formatAmount(minor, CNY);
        expect(parseAmount(text, CNY)).toEqual({ ok: true, value: minor });
        expect(readSignedAmount(text, CNY)).toBe(minor);
        expect(readSignedAmount(formatAmount(-minor, CNY), CNY)).toBe(-minor);
      }),
    );
  });

  it("sums any number of entries exactly, where floats would drift", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 200 }), (amounts) => {
        const total = sumMinor(amounts);
        // Summing the decimal strings digit by digit (as a person would) gives the same total.
        const viaStrings = amounts
          .map((amount) => formatAmount(amount, CNY))
          .reduce((acc, text) => acc + BigInt(text.replace(".", "")), 0n);
        expect(total).toBe(viaStrings);
      }),
    );
    // The classic float failure, which bigint fen do not have.
    const tenths = Array.from({ length: 10 }, () => parseAmount("0.10", CNY));
    expect(sumMinor(tenths.map((result) => (result.ok ? result.value : 0n)))).toBe(100n);
  });

  it("never reads a signed amount it did not write", () => {
    expect(() => readSignedAmount("1.5", CNY)).toThrow();
    expect(() => readSignedAmount("1e3", CNY)).toThrow('"1e3"');
    expect(() => readSignedAmount("100", CNY)).toThrow('"100"');
  });

  it("reads the amounts of a currency without minor digits", () => {
    const JPY = { code: "JPY", digits: 0 };
    expect(readSignedAmount("7", JPY)).toBe(7n);
    expect(readSignedAmount("-7", JPY)).toBe(-7n);
    expect(() => readSignedAmount("7.0", JPY)).toThrow('"7.0"');
    expect(parseAmount("7", JPY)).toEqual({ ok: true, value: 7n });
  });
});
