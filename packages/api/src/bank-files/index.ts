// What is pure about disbursement and result files (layouts, CSV, planning) is core's
// (packages/core/src/bank-files/), shared with the demo book; the XLSX writer needs exceljs.
export {
  BANK_LAYOUTS,
  type BankFileFormat,
  type BankFileLine,
  type BankLayout,
  type BankPayout,
  type BankResultIssue,
  type BankResultRow,
  bankCsv,
  bankLines,
  chunked,
  fileSha256 as sha256Hex,
  type LineRef,
  type Planned,
  planResults,
} from "@relief-ledger/core";
export * from "./files.ts";
