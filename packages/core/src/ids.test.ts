import { afterEach, describe, expect, it, vi } from "vitest";
import { BusinessDate, isCalendarDate, localDate, Period, periodOf, Slug, TimeZone } from "./ids.ts";

describe("a slug", () => {
  it.each(["bazhou-2010", "0", "a-", "a".repeat(64)])("takes %j", (text) => {
    expect(Slug.safeParse(text).success).toBe(true);
  });

  it.each(["", "a".repeat(65), "-bazhou", "Bazhou", "ba zhou", "bazhou:2010", "bazhou#1", "bazhou-2010\n", "巴州"])(
    "refuses %j",
    (text) => {
      expect(Slug.safeParse(text).success).toBe(false);
    },
  );
});

describe("a calendar date", () => {
  it.each(["2010-12-31", "2012-02-29", "2000-02-29", "2010-01-01"])("takes %s, which exists", (text) => {
    expect(isCalendarDate(text)).toBe(true);
    expect(BusinessDate.safeParse(text).success).toBe(true);
  });

  it.each([
    ["2010-02-29", "not a leap year"],
    ["1900-02-29", "not a leap year either"],
    ["2010-04-31", "April has 30 days"],
    ["2010-12-32", "no month has 32 days"],
    ["2010-12-00", "there is no day 0"],
    ["2010-13-01", "there is no month 13"],
    ["2010-00-15", "there is no month 0"],
  ])("refuses %s: %s", (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });

  it.each(["2010-2-28", "x2010-02-28", "2010-02-28x", "2010-02-28T00:00", "12/31/2010", ""])(
    "refuses %j, which is not written YYYY-MM-DD",
    (text) => {
      expect(isCalendarDate(text)).toBe(false);
      expect(BusinessDate.safeParse(text).success).toBe(false);
    },
  );
});

describe("a period", () => {
  it.each(["2010-01", "2010-09", "2010-10", "2010-11", "2010-12"])("takes %s", (text) => {
    expect(Period.safeParse(text).success).toBe(true);
  });

  it.each(["2010-00", "2010-13", "2010-1", "x2010-12", "2010-120", "2010-12-01"])("refuses %j", (text) => {
    expect(Period.safeParse(text).success).toBe(false);
  });

  it("is the month of a business date", () => {
    expect(periodOf("2010-12-31")).toBe("2010-12");
  });
});

describe("a time zone", () => {
  it("is one the runtime knows", () => {
    expect(TimeZone.safeParse("Asia/Shanghai").success).toBe(true);
    expect(TimeZone.safeParse("UTC").success).toBe(true);
    expect(TimeZone.safeParse("Mars/Olympus_Mons").success).toBe(false);
  });
});

describe("the local date", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is the calendar date at an instant in the book's zone", () => {
    // 16:30 UTC on 31 December is 00:30 on 1 January in Shanghai (UTC+8) and 11:30 in New York (UTC−5).
    const at = new Date("2010-12-31T16:30:00Z");
    expect(localDate("Asia/Shanghai", at)).toBe("2011-01-01");
    expect(localDate("America/New_York", at)).toBe("2010-12-31");
    expect(localDate("Asia/Shanghai", new Date("2010-06-30T15:59:59Z"))).toBe("2010-06-30");
  });

  it("builds one formatter per zone and reuses it", () => {
    const built = vi.spyOn(Intl, "DateTimeFormat");
    expect(localDate("Asia/Kolkata", new Date("2010-12-31T18:29:59Z"))).toBe("2010-12-31");
    expect(localDate("Asia/Kolkata", new Date("2010-12-31T18:30:00Z"))).toBe("2011-01-01");
    expect(built).toHaveBeenCalledTimes(1);
  });
});
