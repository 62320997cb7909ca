import type { CurrencyCode } from "../money.ts";
import type { Rollup } from "../rollup/rollup.ts";
import type {
  BeneficiaryKind,
  CollectionSource,
  FindingCategory,
  FindingOutcome,
  FindingSeverity,
  HardshipTier,
  PaymentMethod,
  UnitKind,
} from "./vocabulary.ts";

/**
 * What callers ask the ledger to do. Amounts arrive as the decimal strings the caller sent: they
 * are parsed in decide, where the book's currency is known. `on`, the date a registry change is
 * filed under, defaults to today in the book's time zone.
 */
export type Command =
  | {
      readonly type: "open-book";
      readonly name: string;
      readonly currency: CurrencyCode;
      readonly timeZone: string;
      readonly on?: string;
    }
  | {
      readonly type: "open-fund";
      readonly fundId: string;
      readonly name: string;
      readonly restricted: boolean;
      readonly purpose?: string;
      readonly on?: string;
    }
  | {
      readonly type: "add-unit";
      readonly unitId: string;
      readonly name: string;
      readonly kind: UnitKind;
      readonly on?: string;
    }
  | {
      readonly type: "open-program";
      readonly programId: string;
      readonly name: string;
      readonly fundId: string;
      readonly budget?: string;
      readonly requiresHardshipFile: boolean;
      readonly methods?: readonly PaymentMethod[];
      readonly cap?: {
        readonly perPayment?: string;
        readonly perBeneficiaryPerYear?: { readonly count?: number; readonly amount?: string };
      };
      readonly on?: string;
    }
  | { readonly type: "close-program"; readonly programId: string; readonly reason: string; readonly on?: string }
  | {
      readonly type: "register-beneficiary";
      readonly beneficiaryId: string;
      readonly kind: BeneficiaryKind;
      readonly name: string;
      readonly idNumberHash?: string;
      readonly unitId?: string;
      readonly householdId?: string;
      readonly tags?: readonly string[];
      readonly on?: string;
    }
  | {
      readonly type: "open-hardship-file";
      readonly beneficiaryId: string;
      readonly tier: HardshipTier;
      readonly cause: string;
      readonly openedOn: string;
      readonly validUntil: string;
    }
  | {
      readonly type: "review-hardship-file";
      readonly beneficiaryId: string;
      readonly reviewedOn: string;
      readonly validUntil: string;
      readonly tier?: HardshipTier;
      readonly note?: string;
    }
  | {
      readonly type: "close-hardship-file";
      readonly beneficiaryId: string;
      readonly closedOn: string;
      readonly reason: string;
    }
  | {
      readonly type: "record-collection";
      readonly fundId: string;
      readonly source: CollectionSource;
      readonly unitId?: string;
      readonly amount: string;
      readonly currency?: string;
      readonly receivedOn: string;
      readonly reference?: string;
      readonly memo?: string;
    }
  | {
      readonly type: "record-payout";
      readonly programId: string;
      readonly beneficiaryId: string;
      readonly amount: string;
      readonly currency?: string;
      readonly paidOn: string;
      readonly method?: PaymentMethod;
      readonly reference?: string;
      readonly memo?: string;
    }
  | {
      /** One chunk of a payout batch; the API splits a batch so that each chunk fits one transaction. */
      readonly type: "record-payout-chunk";
      readonly batchId: string;
      readonly programId: string;
      readonly paidOn: string;
      readonly method?: PaymentMethod;
      readonly chunk: number;
      readonly firstLine: number;
      readonly totalLines: number;
      readonly lines: readonly {
        readonly beneficiaryId: string;
        readonly amount: string;
        readonly reference?: string;
      }[];
      /**
       * A chunk none of whose lines can be recorded writes nothing (batch-refused) unless this is
       * set: the batch recorded lines in another chunk, and this chunk's refusals are recorded so
       * that a retry answers them the same, never paying a line it first refused.
       */
      readonly recordIfAllRefused?: boolean;
    }
  | {
      readonly type: "record-transfer";
      readonly fromFundId: string;
      readonly toFundId: string;
      readonly amount: string;
      readonly currency?: string;
      readonly on: string;
      readonly memo?: string;
    }
  | {
      readonly type: "reverse-entry";
      readonly seq: number;
      readonly reason: string;
      /** The reversal's business date: in an open period, not before the entry's own date; today when absent. */
      readonly on?: string;
    }
  | { readonly type: "return-payout"; readonly seq: number; readonly returnedOn: string; readonly reason: string }
  | AuditCommand
  | ClosePeriodCommand;

/**
 * The fund-audit committee's work (经审会) and the audited body's rectification (整改). None of
 * these moves money; a finding may point at the journal entries it questions.
 */
export type AuditCommand =
  | { readonly type: "set-audit-plan"; readonly year: number; readonly targetCount: number; readonly on?: string }
  | {
      readonly type: "start-audit";
      readonly auditId: string;
      readonly unitId: string;
      readonly period: { readonly from: string; readonly to: string };
      readonly scope: string;
      readonly startedOn: string;
    }
  | {
      readonly type: "complete-audit";
      readonly auditId: string;
      readonly completedOn: string;
      readonly summary: string;
    }
  | {
      readonly type: "record-finding";
      readonly findingId: string;
      readonly auditId?: string;
      readonly unitId: string;
      readonly category: FindingCategory;
      readonly severity: FindingSeverity;
      readonly amountInQuestion?: string;
      readonly description: string;
      readonly relatedEntries?: readonly number[];
      readonly dueBy?: string;
      /** Defaults to today in the book's time zone. */
      readonly recordedOn?: string;
    }
  | {
      readonly type: "submit-rectification-plan";
      readonly findingId: string;
      readonly note: string;
      readonly submittedOn: string;
      readonly dueBy?: string;
    }
  | {
      readonly type: "submit-rectification-evidence";
      readonly findingId: string;
      readonly note: string;
      readonly submittedOn: string;
      readonly amountRecovered?: string;
      readonly amountReclassified?: string;
    }
  | {
      readonly type: "resolve-finding";
      readonly findingId: string;
      readonly outcome: FindingOutcome;
      readonly note: string;
      readonly resolvedOn: string;
    };

/** Closes a month: its rollup (folded from its events by the monthly job) is stored with PeriodClosed. */
export type ClosePeriodCommand = { readonly type: "close-period"; readonly period: string; readonly rollup: Rollup };

export type CommandType = Command["type"];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
