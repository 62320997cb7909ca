/**
 * The document's tags, in the order /docs shows them: one per resource, and every operation has
 * exactly one (operation.ts types it), so that the docs group each route once.
 */
export const TAGS = [
  { name: "Books", description: "A book per union organisation: its currency, time zone and the head of its journal." },
  { name: "Funds", description: "Fund accounts and their balances, now or at the end of a business date." },
  { name: "Units", description: "Member units and grassroots unions: payers of dues and audited bodies." },
  {
    name: "Programmes",
    description:
      "Relief programmes (student aid, winter warmth, …): the fund each pays from, its budget, caps and methods.",
  },
  {
    name: "Beneficiaries",
    description:
      "People and households paid by programmes, their hardship files (困难职工档案) and what they have been paid. ID numbers are kept only as keyed hashes.",
  },
  {
    name: "Money",
    description:
      "Collections, payouts, transfers, reversals and returns: double-entry journal entries. Each needs an Idempotency-Key header.",
  },
  {
    name: "Batches",
    description: "A day's disbursement of up to 5,000 payouts in one request, answered line by line.",
  },
  {
    name: "Approvals",
    description:
      "Maker-checker (经办, 审核, 审批): under a policy a payout, transfer or reversal is a proposal that reserves its " +
      "money until approvers post it or it is rejected, withdrawn or expires.",
  },
  {
    name: "Journal",
    description: "The hash-chained journal itself: entries one by one or a page at a time, or as CSV.",
  },
  {
    name: "Verification",
    description:
      "Verifying a book's chain, balances and rollups, and the signed checkpoints (with their public key) it is held to.",
  },
  { name: "Rollups", description: "Monthly rollups: folding a month and closing it, and reading a closed month back." },
  {
    name: "Reconciliation",
    description:
      "Month-end bank reconciliation (银行存款余额调节表): a fund's bank statement matched to the book by rules, " +
      "the reconciling items on either side, matches confirmed or undone by finance.",
  },
  {
    name: "Reports",
    description: "Programme, fund, collection, audit and annual reports over months, as JSON or CSV.",
  },
  { name: "Audits", description: "The fund-audit committee's (经审会) yearly plans and its audits of units." },
  {
    name: "Audit findings",
    description: "Findings and their rectification (整改): plan, evidence, and resolution (销号, waived or escalated).",
  },
] as const;

export type Tag = (typeof TAGS)[number]["name"];
