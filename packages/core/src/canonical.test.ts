import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, fingerprint, withSortedKeys } from "./canonical.ts";

/** Rebuilds a JSON value with every object's keys in a shuffled order. */
const shuffleKeys = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, seed));
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    const shuffled = entries
      .map(([key, member], index) => ({ key, member, order: (index * 7919 + seed) % (entries.length + 13) }))
      .sort((a, b) => a.order - b.order || (a.key < b.key ? 1 : -1));
    return Object.fromEntries(shuffled.map(({ key, member }) => [key, shuffleKeys(member, seed + 1)]));
  }
  return value;
};

describe("canonical JSON", () => {
  it("sorts keys at every depth and writes no white space", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("gives the same text whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(1000), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it("is stable across a JSON round trip, so number spelling cannot change a hash", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
      }),
    );
    expect(canonicalJson(JSON.parse('{"n":1.0,"m":1e2,"k":-0}'))).toBe('{"k":0,"m":100,"n":1}');
  });

  it("leaves out undefined members but refuses what JSON cannot carry", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: 1n })).toThrow();
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
  });

  it("keeps Chinese text exact and distinct", () => {
    expect(canonicalJson({ name: "送温暖" })).toBe('{"name":"送温暖"}');
    expect(fingerprint({ name: "送温暖" })).not.toBe(fingerprint({ name: "送溫暖" }));
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
  });
});

describe("withSortedKeys", () => {
  it("orders members at every depth one way, whatever order they came in", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(1000), (value, seed) => {
        expect(JSON.stringify(withSortedKeys(shuffleKeys(value, seed)))).toBe(JSON.stringify(withSortedKeys(value)));
      }),
    );
  });

  it("orders them as canonical JSON does, but for index-like keys, which an object always lists first", () => {
    expect(JSON.stringify(withSortedKeys({ b: [{ z: 1, y: undefined, x: 2 }], a: "送温暖", B: null }))).toBe(
      '{"B":null,"a":"送温暖","b":[{"x":2,"z":1}]}',
    );
    expect(JSON.stringify(withSortedKeys({ b: 1, "10": 2, a: 3, "9": 4 }))).toBe('{"9":4,"10":2,"a":3,"b":1}');
  });

  it("leaves the value it was given as it was", () => {
    const value = { b: { d: 1, c: 2 }, a: [3] };
    withSortedKeys(value);
    expect(JSON.stringify(value)).toBe('{"b":{"d":1,"c":2},"a":[3]}');
  });
});

describe("canonical JSON's fixed forms", () => {
  it("writes the literals as JSON does", () => {
    expect(canonicalJson([true, false, null])).toBe("[true,false,null]");
    expect(canonicalJson(false)).toBe("false");
  });

  it("orders keys by UTF-16 code units, not by code points or locale", () => {
    // z U+007A, é U+00E9, 😀 U+1F600 (written D83D DE00), ｚ U+FF5A: the surrogate sorts before U+FF5A.
    expect(canonicalJson({ ｚ: 4, "😀": 3, é: 2, z: 1, Z: 0 })).toBe('{"Z":0,"z":1,"é":2,"😀":3,"ｚ":4}');
  });

  it("sorts the keys of an object larger than a sort's insertion run", () => {
    const keys = Array.from({ length: 80 }, (_, n) => `k${String(n).padStart(2, "0")}`);
    const scrambled = Object.fromEntries(keys.map((_, n) => [keys[(n * 37) % 80], n]));
    const expected = keys.map((key) => `"${key}":${(Number(key.slice(1)) * 13) % 80}`).join(",");
    expect(canonicalJson(scrambled)).toBe(`{${expected}}`);
  });
});
