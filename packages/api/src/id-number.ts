import { createHmac } from "node:crypto";
import { isCalendarDate } from "@relief-ledger/core";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** Upper-cases the check letter and drops spaces, so that one person has one spelling. */
export const normaliseIdNumber = (text: string): string => text.replace(/\s+/g, "").toUpperCase();

/**
 * Whether a text is a well-formed 18-digit resident identity number (GB 11643-1999): a real
 * birth date in digits 7–14 and the ISO 7064 MOD 11-2 check character at the end.
 */
export function isResidentIdNumber(text: string): boolean {
  if (!/^\d{17}[\dX]$/.test(text)) return false;
  const birth = `${text.slice(6, 10)}-${text.slice(10, 12)}-${text.slice(12, 14)}`;
  if (!isCalendarDate(birth)) return false;
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(text[index]), 0);
  return CHECK[sum % 11] === text[17];
}

/**
 * The keyed hash stored instead of an ID number: HMAC-SHA256 under a key derived per book from
 * the deployment's key. Equal numbers in one book give equal hashes (so a second registration is
 * caught); without the key nobody can test a guessed number against the table.
 */
export function hashIdNumber(idHashKey: string, book: string, idNumber: string): string {
  const bookKey = createHmac("sha256", idHashKey).update(`relief-ledger/book/${book}`).digest();
  return createHmac("sha256", bookKey).update(normaliseIdNumber(idNumber)).digest("hex");
}
