import type { Role } from "@relief-ledger/core";
import type { Principal } from "./principal.ts";

/** What a route may ask of a token's role. Books are checked separately (`reachesBook`). */
export type Permission =
  | "book:create"
  | "policy"
  | "read"
  | "registry"
  | "money"
  | "approve"
  | "audit"
  | "rectify"
  | "close"
  | "rollup";

/**
 * Duties are segregated: who moves money (finance) does not judge it (audit-committee), auditors
 * only read, and the admin who creates books and mints access moves no money. Approvers (审批人)
 * approve or reject what finance proposes, and propose nothing themselves. Approval policies are
 * the admin's: the office whose payouts they hold cannot loosen them, nor when its months close; the
 * finance office closes a month (月结) once its bank statement is in.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ["book:create", "policy", "read"],
  finance: ["read", "registry", "money", "rectify", "close"],
  approver: ["read", "approve"],
  "audit-committee": ["read", "audit"],
  auditor: ["read"],
  system: ["read", "rollup"],
};

export const can = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);

/** A token never reaches a book it does not name, unless it names every book ("*"). */
export const reachesBook = (principal: Pick<Principal, "books">, book: string): boolean =>
  principal.books === "*" || principal.books.includes(book);
