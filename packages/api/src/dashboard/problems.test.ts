import { describe, expect, it } from "vitest";
import { PROBLEM_BASE, problemCatalogue } from "../problem.ts";
import { LANGS } from "./labels.ts";
import { PROBLEM_TEXTS } from "./problem-texts.ts";
import { describeProblem, problemText, problemTitle } from "./problems.ts";

const CJK = /\p{Script=Han}/u;
const problem = (code: string, members: Record<string, unknown> = {}) => ({
  type: `${PROBLEM_BASE}${code}`,
  title: "English title from the API",
  detail: "English detail from the API",
  ...members,
});

describe("the dashboard's words for the API's problems", () => {
  it("has a Chinese and an English title for every problem code in the API's registry", () => {
    const codes = problemCatalogue().map(({ code }) => code);
    expect(codes.length).toBeGreaterThan(50);
    for (const code of codes) {
      const [zh, en] = PROBLEM_TEXTS[code] ?? [];
      expect(zh?.[0], code).toMatch(CJK);
      expect(en?.[0], code).toMatch(/\w/);
      expect(en?.[0], code).not.toMatch(CJK);
      // As many detail templates in both languages, naming the same members.
      const members = (texts: readonly string[] = []) => texts.slice(1).map((text) => text.match(/\{\w+\}/g)?.sort());
      expect(members(zh), code).toEqual(members(en));
      for (const text of zh?.slice(1) ?? []) expect(text.replace(/\{\w+\}|`[^`]+`/g, ""), code).not.toMatch(/[A-Za-z]/);
    }
    expect(Object.keys(PROBLEM_TEXTS).sort()).toEqual([...codes].sort());
  });

  it("says a problem by its code in the reader's language, with the problem's members filled in", () => {
    const notFound = problem("entry-not-found", { seq: 99 });
    const zh = describeProblem("zh-CN", notFound);
    expect(zh.title).toBe("未找到记录");
    expect(String(zh.detail)).toBe("账簿中没有第 99 条记录。");
    expect(zh.code).toBe("entry-not-found");
    expect(String(describeProblem("en", notFound).detail)).toBe("The book has no entry 99.");

    const overdrawn = problem("fund-overdrawn", { fundId: "relief", balance: "10.00", requested: "2500.00" });
    expect(String(describeProblem("zh-CN", overdrawn).detail)).toBe(
      "资金 <code>relief</code> 余额 ¥10.00，本次需 ¥2,500.00。",
    );
    // Nothing reserved reads as before; money reserved by pending proposals is named, with what is left.
    const unreserved = { ...overdrawn, reserved: "0.00", available: "10.00" };
    expect(String(describeProblem("zh-CN", unreserved).detail)).toBe(
      "资金 <code>relief</code> 余额 ¥10.00，本次需 ¥2,500.00。",
    );
    const reserved = { ...overdrawn, balance: "1000.00", reserved: "800.00", available: "200.00", requested: "300.00" };
    expect(String(describeProblem("en", reserved).detail)).toBe(
      "Fund <code>relief</code> holds ¥1,000.00, of which ¥800.00 is reserved by proposals awaiting approval (¥200.00 available); ¥300.00 was asked for.",
    );
    expect(String(describeProblem("zh-CN", reserved).detail)).toBe(
      "资金 <code>relief</code> 余额 ¥1,000.00，其中待审批申请占用 ¥800.00，可用 ¥200.00；本次需 ¥300.00。",
    );
    const budget = problem("budget-exceeded", {
      programId: "village",
      budget: "3000.00",
      paid: "0.00",
      reserved: "2000.00",
      requested: "1500.00",
    });
    expect(String(describeProblem("en", budget).detail)).toBe(
      "Programme <code>village</code> has a budget of ¥3,000.00, has paid ¥0.00, has ¥2,000.00 proposed and awaiting approval, and was asked for ¥1,500.00.",
    );
    const invalid = problem("validation-failed", {
      errors: [
        { path: "from", message: "Invalid date" },
        { path: "limit", message: "Too big" },
      ],
    });
    expect(String(describeProblem("zh-CN", invalid).detail)).toBe("<code>from</code>、<code>limit</code> 的取值无效。");
  });

  it("takes the first detail whose members the problem has, and else shows the title alone", () => {
    expect(String(describeProblem("zh-CN", problem("forbidden", { book: "b-1" })).detail)).toBe(
      "此令牌不能访问账簿 <code>b-1</code>。",
    );
    expect(String(describeProblem("zh-CN", problem("forbidden", { permission: "money" })).detail)).toBe(
      "此角色无权进行这项操作。",
    );
    expect(describeProblem("zh-CN", problem("malformed-json"))).toEqual({
      title: "请求内容格式错误",
      code: "malformed-json",
    });
  });

  it("falls back to the API's own words only for a code it does not know", () => {
    const unknown = describeProblem("zh-CN", problem("something-new"));
    expect(unknown).toEqual({
      title: "English title from the API",
      detail: "English detail from the API",
      code: "something-new",
    });
    expect(describeProblem("en", {}, 502).title).toBe("Cannot show this (502)");
    expect(problemTitle("zh-CN", "beneficiary-not-found")).toBe("未找到受助人");
    expect(problemTitle("zh-CN", "something-new")).toBeUndefined();
  });

  it("gives plain text for the script's sign-in message", () => {
    for (const lang of LANGS) {
      const { title, detail } = problemText(lang, problem("unauthorized"));
      expect(title).not.toBe("English title from the API");
      expect(detail).not.toContain("<");
    }
    expect(problemText("zh-CN", problem("forbidden", { book: "a&b" })).detail).toBe("此令牌不能访问账簿 a&b。");
  });
});
