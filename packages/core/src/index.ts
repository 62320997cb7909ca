// After the ledger's modules: the bank files use its commands, whose modules import each other.
export * from "./bank-files/index.ts";
export * from "./canonical.ts";
export * from "./chain-verifier.ts";
export * from "./checkpoint.ts";
export * from "./csv.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./journal-event.ts";
export * from "./json-diff.ts";
export * from "./ledger/audit.ts";
export * from "./ledger/beneficiary.ts";
export * from "./ledger/commands.ts";
export * from "./ledger/decide.ts";
export {
  type BankAccountRecord,
  bankAccountRef,
  type FundBankAccountRecord,
  fundBankAccountRef,
} from "./ledger/decide-bank.ts";
export { orderForImport } from "./ledger/decide-imports.ts";
export * from "./ledger/decide-money.ts";
export * from "./ledger/decide-period.ts";
export { DEFAULT_APPROVAL_TTL_DAYS } from "./ledger/decide-proposals.ts";
export * from "./ledger/decision.ts";
export * from "./ledger/entry-totals.ts";
export * from "./ledger/events.ts";
export * from "./ledger/evolve.ts";
export * from "./ledger/memory-ledger.ts";
export * from "./ledger/projections.ts";
export * from "./ledger/proposal.ts";
export * from "./ledger/refusals.ts";
export * from "./ledger/state.ts";
export * from "./ledger/vocabulary.ts";
export * from "./money.ts";
export * from "./period.ts";
export * from "./postings.ts";
export * from "./reconcile/index.ts";
export * from "./result.ts";
export * from "./rollup/index.ts";
