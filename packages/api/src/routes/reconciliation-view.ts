import { z } from "@hono/zod-openapi";
import type { Reconciliation } from "@relief-ledger/core";
import { table } from "../exports/index.ts";

/** The month's bank reconciliation as the API answers it (core's reconcile/reconcile.ts). */
const Direction = z.enum(["in", "out"]);
const month = z.string().openapi({
  description: "The month it dates from: an item of an earlier month is still outstanding, carried forward",
});
const BankItem = z
  .object({
    month,
    line: z.int().openapi({ description: "The line of that month's statement" }),
    date: z.string(),
    amount: z.string(),
    direction: Direction,
    counterparty: z.string().optional(),
    reference: z.string().optional(),
    entrySeq: z.int().optional().openapi({ description: "Matched to an entry the book dated after the month" }),
  })
  .openapi("BankSideItem");
const BookItem = z
  .object({
    month,
    entrySeq: z.int(),
    date: z.string(),
    amount: z.string(),
    direction: Direction,
    type: z.string(),
    reference: z.string().optional(),
    clearedIn: z.string().optional().openapi({ description: "The later month whose statement matched it" }),
  })
  .openapi("BookSideItem");
const side = <T extends z.ZodType>(item: T) =>
  z.object({
    receipts: z.array(item),
    payments: z.array(item),
    totalReceipts: z.string(),
    totalPayments: z.string(),
  });

export const ReconciliationView = z
  .object({
    fundId: z.string(),
    period: z.string(),
    statementHash: z.string(),
    toleranceDays: z.int(),
    bank: z.object({ opening: z.string(), closing: z.string() }),
    book: z.object({ opening: z.string(), closing: z.string() }),
    bankNotInBook: side(BankItem).openapi({ description: "银收企未收 (receipts), 银付企未付 (payments)" }),
    bookNotInBank: side(BookItem).openapi({ description: "企收银未收 (receipts), 企付银未付 (payments)" }),
    adjusted: z.object({ bank: z.string(), book: z.string() }).openapi({
      description:
        "bank = bank closing + bookNotInBank receipts − payments; book = book closing + bankNotInBook receipts − payments",
    }),
    difference: z.string(),
    balanced: z.boolean(),
    matches: z.array(
      z.object({
        line: z.int(),
        entrySeq: z.int(),
        rule: z.enum(["reference", "amount-date"]),
        status: z.enum(["matched", "confirmed"]),
        date: z.string(),
        amount: z.string(),
        direction: Direction,
        entryDate: z.string().optional(),
        matchedSeq: z.int(),
        confirmedSeq: z.int().optional(),
      }),
    ),
    undone: z.array(
      z.object({ line: z.int(), entrySeq: z.int(), rule: z.string(), reason: z.string(), undoneSeq: z.int() }),
    ),
  })
  .openapi("Reconciliation");

/** The reconciliation's tables for CSV and XLSX: the 调节表 as one row, its items, its matches. */
export const reconciliationTables = (r: Reconciliation) => [
  table("reconciliation", [
    {
      fundId: r.fundId,
      period: r.period,
      bankOpening: r.bank.opening,
      bankClosing: r.bank.closing,
      bookReceiptsNotInBank: r.bookNotInBank.totalReceipts,
      bookPaymentsNotInBank: r.bookNotInBank.totalPayments,
      adjustedBank: r.adjusted.bank,
      bookOpening: r.book.opening,
      bookClosing: r.book.closing,
      bankReceiptsNotInBook: r.bankNotInBook.totalReceipts,
      bankPaymentsNotInBook: r.bankNotInBook.totalPayments,
      adjustedBook: r.adjusted.book,
      difference: r.difference,
      balanced: r.balanced,
    },
  ]),
  table("reconciling-items", [
    ...[...r.bankNotInBook.receipts, ...r.bankNotInBook.payments].map((item) => ({
      side: "bank-not-in-book",
      month: item.month,
      direction: item.direction,
      date: item.date,
      amount: item.amount,
      line: item.line,
      entrySeq: item.entrySeq,
      type: undefined,
      reference: item.reference,
      counterparty: item.counterparty,
    })),
    ...[...r.bookNotInBank.receipts, ...r.bookNotInBank.payments].map((item) => ({
      side: "book-not-in-bank",
      month: item.month,
      direction: item.direction,
      date: item.date,
      amount: item.amount,
      line: undefined,
      entrySeq: item.entrySeq,
      type: item.type,
      reference: item.reference,
      counterparty: undefined,
    })),
  ]),
  table(
    "bank-matches",
    r.matches.map((match) => ({
      line: match.line,
      date: match.date,
      amount: match.amount,
      direction: match.direction,
      entrySeq: match.entrySeq,
      entryDate: match.entryDate,
      rule: match.rule,
      status: match.status,
    })),
  ),
];
