import type { LedgerJournal } from "@relief-ledger/store";
import type { AuthVariables } from "./auth/env.ts";
import type { DeadlineVariables } from "./deadline.ts";

/** What the app needs from outside: the journal, the secrets, and a clock. */
export type Ledger = {
  readonly journal: LedgerJournal;
  /** Signs and verifies access tokens (HS256). */
  readonly jwtSecret: string;
  /** Keys the hash of beneficiaries' ID numbers; the numbers themselves are never stored. */
  readonly idHashKey: string;
  readonly clock?: () => Date;
};

/** What every handler reaches through `c.var`. */
export type AppEnv = { Variables: AuthVariables & DeadlineVariables & { ledger: Ledger } };
