import { ledgerAppend } from "@relief-ledger/store";
import type { Api } from "./api.ts";
import { payingBook, type SetUpTokens } from "./books.ts";

/**
 * Appends in flight at once, as the demo load keeps them (packages/jobs/src/demo/load.ts): the
 * book's writer commits up to 64 queued commands per transaction (fewer when their items pass
 * DynamoDB's 100), so a few transactions' worth keeps each one full without a long queue.
 */
const IN_FLIGHT = 256;

/** Runs `task` on every item, at most `inFlight` at once, and fails with the first task that fails. */
export async function inPool<T>(
  items: readonly T[],
  inFlight: number,
  task: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) await task(items[index] as T, index);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}

export type Household = { readonly id: string; readonly name: string; readonly unitId?: string };

/**
 * Registers households as the finance office (finance-user), through the store's journal rather
 * than one POST each: thousands of them are a test's set-up, not what it is about, and a request
 * apiece costs the test's process about four times the CPU of the append alone (2,000 households:
 * 2.4 s against 0.6 s here). The command is the one the beneficiaries route appends, so the book
 * holds the events the route would record.
 */
export async function registerHouseholds(api: Api, book: string, households: readonly Household[]): Promise<void> {
  await inPool(households, IN_FLIGHT, async ({ id, name, unitId }) => {
    const command = { type: "register-beneficiary" as const, beneficiaryId: id, kind: "household" as const, name };
    const result = await api.journal.append(
      book,
      ledgerAppend(book, unitId ? { ...command, unitId } : command, {
        idempotencyKey: `register-${id}`,
        actor: { sub: "finance-user", role: "finance" },
      }),
    );
    if (!result.ok) throw new Error(`registering ${id}: ${result.error.code}: ${result.error.message}`);
  });
}

/**
 * A book as payingBook (support/books.ts) makes it, its `households` hh-0 … (same names, same
 * unit) registered through the journal rather than one POST each.
 */
export async function payingBookWithHouseholds(api: Api, tokens: SetUpTokens, book: string, households: number) {
  const paying = await payingBook(api, tokens, book, 0);
  const ids = Array.from({ length: households }, (_, n) => `hh-${n}`);
  await registerHouseholds(
    api,
    book,
    ids.map((id, n) => ({ id, name: `困难户${n}`, unitId: "textile" })),
  );
  return { ...paying, ids };
}
