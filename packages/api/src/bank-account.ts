// The account rules are core's (bank-files/account.ts): the demo book seals its accounts alike.
export {
  accountContext,
  fundAccountContext,
  hashAccountNumber,
  isAccountNumber,
  normaliseAccountNumber,
} from "@relief-ledger/core";
