import { describe, expect, it } from "vitest";
import {
  currencyName,
  daysBetween,
  formatCount,
  formatInstant,
  formatYuan,
  fromMinor,
  sumDecimals,
  toMinor,
  zoneName,
} from "./format.ts";

describe("dashboard number formats", () => {
  it("writes yuan with a sign, a ¥, thousands separators and the fen exactly as given", () => {
    expect(formatYuan("1051100.00")).toBe("¥1,051,100.00");
    expect(formatYuan("0.00")).toBe("¥0.00");
    expect(formatYuan("999.99")).toBe("¥999.99");
    expect(formatYuan("-2500000.10")).toBe("-¥2,500,000.10");
    expect(formatYuan("-0.00")).toBe("¥0.00");
    expect(formatYuan("007.50")).toBe("¥7.50");
    expect(formatYuan("1234567")).toBe("¥1,234,567");
  });

  it("never rounds through a float: sixteen significant digits stay as they are", () => {
    expect(formatYuan("90071992547409.93")).toBe("¥90,071,992,547,409.93");
    expect(sumDecimals(["90071992547409.93", "0.01"])).toBe("90071992547409.94");
  });

  it("shows what is not a decimal as it came, and a missing amount as a dash", () => {
    expect(formatYuan("n/a")).toBe("n/a");
    expect(formatYuan(null)).toBe("—");
    expect(formatCount(1300)).toBe("1,300");
    expect(formatCount(undefined)).toBe("—");
  });

  it("sums decimal strings exactly, at the widest scale", () => {
    expect(sumDecimals([])).toBe("0.00");
    expect(sumDecimals(["0.10", "0.20"])).toBe("0.30");
    expect(sumDecimals(["100.00", "-250.50", "1.5"])).toBe("-149.00");
    expect(toMinor("-12.34")).toEqual({ minor: -1234n, scale: 2 });
    expect(fromMinor(5n, 2)).toBe("0.05");
    expect(fromMinor(-5n, 2)).toBe("-0.05");
  });
});

describe("times", () => {
  it("writes an instant as the wall clock of the book's time zone, the zone named in the reader's language", () => {
    expect(formatInstant("2010-03-01T02:00:00.000Z", "Asia/Shanghai", "zh-CN")).toBe(
      "2010-03-01 10:00:00（中国标准时间）",
    );
    expect(formatInstant("2010-03-01T16:30:05Z", "Asia/Shanghai", "en")).toBe(
      "2010-03-02 00:30:05 (China Standard Time)",
    );
    expect(formatInstant("2010-07-01T12:00:00Z", "Europe/London", "en")).toBe(
      "2010-07-01 13:00:00 (British Summer Time)",
    );
  });

  it("shows what is not an instant, or a zone it does not know, as it came", () => {
    expect(formatInstant("yesterday", "Asia/Shanghai", "en")).toBe("yesterday");
    expect(formatInstant("2010-03-01T02:00:00Z", "Mars/Olympus", "zh-CN")).toBe("2010-03-01T02:00:00Z");
  });

  it("names a time zone and a currency in the reader's language, and keeps an unknown one's code", () => {
    expect(zoneName("Asia/Shanghai", "zh-CN")).toBe("中国标准时间");
    expect(zoneName("Mars/Olympus", "en")).toBe("Mars/Olympus");
    expect(currencyName("CNY", "zh-CN")).toBe("人民币");
    expect(currencyName("CNY", "en")).toBe("Chinese Yuan");
    expect(currencyName("not a code", "en")).toBe("not a code");
  });

  it("counts whole days between business dates, across months and leap days, and none between what are not dates", () => {
    expect(daysBetween("2010-06-01", "2010-06-11")).toBe(10);
    expect(daysBetween("2012-02-28", "2012-03-01")).toBe(2);
    expect(daysBetween("2010-12-31", "2010-12-31")).toBe(0);
    expect(daysBetween("2010-06-11", "2010-06-01")).toBe(-10);
    expect(daysBetween("yesterday", "2010-06-01")).toBeUndefined();
    expect(daysBetween("2010-06-01", "2010-13-45")).toBeUndefined();
  });
});
