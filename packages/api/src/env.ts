import type { LedgerJournal } from "@relief-ledger/store";

/** What every handler reaches through `c.var`. */
export type Ledger = { readonly journal: LedgerJournal };

export type AppEnv = { Variables: { ledger: Ledger } };
