import { Role } from "@relief-ledger/core";
import { describe, expect, it } from "vitest";
import { can, ROLE_PERMISSIONS, reachesBook } from "./permissions.ts";

describe("permissions", () => {
  it("gives every role read access and a table entry", () => {
    for (const role of Role.options) expect(can(role, "read")).toBe(true);
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...Role.options].sort());
  });

  it("segregates duties: one role moves money, another approves it, a third judges it", () => {
    const holders = (permission: Parameters<typeof can>[1]) => Role.options.filter((role) => can(role, permission));
    expect(holders("money")).toEqual(["finance"]);
    expect(holders("approve")).toEqual(["approver"]);
    expect(holders("audit")).toEqual(["audit-committee"]);
    expect(holders("book:create")).toEqual(["admin"]);
    expect(holders("rollup")).toEqual(["system"]);
  });

  it('reaches a book only when the token names it or says "*"', () => {
    expect(reachesBook({ books: ["bazhou"] }, "bazhou")).toBe(true);
    expect(reachesBook({ books: ["bazhou"] }, "enyang")).toBe(false);
    expect(reachesBook({ books: [] }, "bazhou")).toBe(false);
    expect(reachesBook({ books: "*" }, "anything")).toBe(true);
  });
});
