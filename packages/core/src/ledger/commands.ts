import type { CurrencyCode } from "../money.ts";
import type { CollectionSource } from "./events.ts";

/**
 * What callers ask the ledger to do. Amounts arrive as the decimal strings the caller sent:
 * they are parsed in decide, where the book's currency is known.
 */
export type Command =
  | {
      readonly type: "open-book";
      readonly name: string;
      readonly currency: CurrencyCode;
      readonly timeZone: string;
      readonly on: string;
    }
  | {
      readonly type: "open-fund";
      readonly fundId: string;
      readonly name: string;
      readonly restricted: boolean;
      readonly purpose?: string;
      readonly on: string;
    }
  | {
      readonly type: "record-collection";
      readonly fundId: string;
      readonly source: CollectionSource;
      readonly unitId?: string;
      readonly amount: string;
      readonly receivedOn: string;
      readonly reference?: string;
      readonly memo?: string;
    };
