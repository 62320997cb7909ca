import type { CheckpointReader, DataKey, LedgerJournal } from "@relief-ledger/store";
import type { AuthVariables } from "./auth/env.ts";
import type { DeadlineVariables } from "./deadline.ts";
import type { ObserveVariables } from "./observe.ts";

/** What the app needs from outside: the journal, the secrets, and a clock. */
export type Ledger = {
  readonly journal: LedgerJournal;
  /** Signs and verifies access tokens (HS256). */
  readonly jwtSecret: string;
  /** Keys the hash of beneficiaries' ID numbers; the numbers themselves are never stored. */
  readonly idHashKey: string;
  readonly clock?: () => Date;
  /**
   * Seals and opens beneficiaries' bank accounts in the registry (store's data-key.ts): a key file
   * under the data dir locally, KMS in AWS. Without one, the bank-account and bank-file routes
   * answer 500: nothing personal is ever kept unsealed.
   */
  readonly dataKey?: DataKey;
  /** Where checkpoints are kept and the key that checks them; verify holds the chain to them. */
  readonly checkpoints?: CheckpointReader;
  /** Runs after a month is closed through the API: locally a checkpoint, in AWS a request for one. */
  readonly afterClose?: (book: string) => Promise<void>;
  /** A book being loaded behind the running server (`npm start`'s demo), and how far it has got. */
  readonly loading?: () => Loading | undefined;
};

/** How far a load has got: steps done of the total. */
export type Loading = { readonly book: string; readonly done: number; readonly total: number };

/** What every handler reaches through `c.var`. */
export type AppEnv = { Variables: AuthVariables & DeadlineVariables & ObserveVariables & { ledger: Ledger } };
