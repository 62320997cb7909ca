import { type DomainError, domainError, type LineRefusal } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import type { Minor } from "../money.ts";
import { account, encodePostings, movement } from "../postings.ts";
import { err, ok, type Result } from "../result.ts";
import { type BeneficiaryRecord, evolveBeneficiary, hasFileOn, paidAndPending } from "./beneficiary.ts";
import type { CommandOf } from "./commands.ts";
import { checkMoney } from "./decide-money.ts";
import {
  amountIn,
  checkBusinessDate,
  currencyOf,
  type DecideContext,
  type Decision,
  decided,
  defined,
  formatIn,
  requestAmount,
} from "./decision.ts";
import { evolve } from "./evolve.ts";
import { reservedBy } from "./proposal.ts";
import type { BookInfo, BookState, ProgramState } from "./state.ts";
import type { PaymentMethod } from "./vocabulary.ts";

type Records = (id: string) => BeneficiaryRecord | undefined;

/** A programme that pays and the method its payment is recorded with (absent when neither names one). */
type Paying = { readonly program: ProgramState; readonly method: PaymentMethod | undefined };

/**
 * The method a payment is recorded with: the one it names, else the programme's only method. A
 * programme that allows several needs the payment to say which; one without a list takes any, or none.
 */
const methodFor = (program: ProgramState, named: PaymentMethod | undefined): PaymentMethod | undefined =>
  named ?? (program.methods?.length === 1 ? program.methods[0] : undefined);

/** The programme-wide checks: it exists, is open, takes this method, and the date is open. */
function checkProgram(
  state: BookState,
  ctx: DecideContext,
  programId: string,
  named: PaymentMethod | undefined,
  paidOn: string,
): Result<Paying, DomainError> {
  const program = state.programs[programId];
  if (!program) return err(domainError("program-not-found", `no programme ${programId} in this book`, { programId }));
  if (program.closed) return err(domainError("program-closed", `programme ${programId} is closed`, { programId }));
  const method = methodFor(program, named);
  if (program.methods && (method === undefined || !program.methods.includes(method))) {
    return err(
      domainError(
        "method-not-allowed",
        method === undefined
          ? `programme ${programId} pays by ${program.methods.join(" or ")}: name the method`
          : `programme ${programId} does not pay by ${method}`,
        { programId, method: method ?? "(none)", allowed: [...program.methods] },
      ),
    );
  }
  const date = checkBusinessDate(state, ctx, paidOn);
  return date.ok ? ok({ program, method }) : date;
}

/**
 * The checks of one payment to one beneficiary: file, caps, budget, and the fund's balance. Caps
 * and the budget count the payouts proposed and not yet posted, as the balance counts what they
 * reserve: two proposals cannot together pass a limit that each passes alone.
 */
function checkPayment(
  state: BookState,
  book: BookInfo,
  programId: string,
  program: ProgramState,
  records: Records,
  beneficiaryId: string,
  amount: Minor,
  paidOn: string,
): Result<BeneficiaryRecord, DomainError> {
  const record = records(beneficiaryId);
  if (!record)
    return err(domainError("beneficiary-not-found", `no beneficiary ${beneficiaryId} in this book`, { beneficiaryId }));
  if (program.requiresHardshipFile) {
    // "File first, then aid": the beneficiary's own file, or (for a student) the household's.
    const household = record.householdId ? records(record.householdId) : undefined;
    if (!hasFileOn(record, paidOn) && !(household && hasFileOn(household, paidOn))) {
      return err(
        domainError("hardship-file-required", `beneficiary ${beneficiaryId} had no open hardship file on ${paidOn}`, {
          beneficiaryId,
          programId,
          on: paidOn,
        }),
      );
    }
  }
  const cap = program.cap;
  const capError = (which: "per-payment" | "per-year-count" | "per-year-amount", limit: string, message: string) =>
    err(domainError("cap-exceeded", message, { programId, cap: which, limit }));
  if (cap?.perPayment !== undefined && amount > cap.perPayment) {
    const limit = formatIn(book, cap.perPayment);
    return capError("per-payment", limit, `programme ${programId} pays at most ${limit} at a time`);
  }
  const perYear = cap?.perBeneficiaryPerYear;
  if (perYear) {
    const year = paidOn.slice(0, 4);
    const totals = paidAndPending(record, programId, paidOn);
    if (perYear.count !== undefined && totals.count + 1 > perYear.count) {
      return capError(
        "per-year-count",
        String(perYear.count),
        `beneficiary ${beneficiaryId} already had ${totals.count} payment(s) from ${programId} in ${year}; the limit is ${perYear.count}`,
      );
    }
    if (perYear.amount !== undefined && BigInt(totals.amount) + amount > perYear.amount) {
      const limit = formatIn(book, perYear.amount);
      return capError(
        "per-year-amount",
        limit,
        `beneficiary ${beneficiaryId} would receive more than ${limit} from ${programId} in ${year}`,
      );
    }
  }
  const reserved = reservedBy(state, programId);
  if (program.budget !== undefined && program.paid + reserved + amount > program.budget) {
    const [budget, paid, held, requested] = [
      formatIn(book, program.budget),
      formatIn(book, program.paid),
      formatIn(book, reserved),
      formatIn(book, amount),
    ];
    const pending = reserved > 0n ? ` and has ${held} proposed` : "";
    return err(
      domainError(
        "budget-exceeded",
        `programme ${programId} has paid ${paid} of its ${budget} budget${pending}; ${requested} would exceed it`,
        { programId, budget, paid, reserved: held, requested },
      ),
    );
  }
  const money = checkMoney(
    state,
    book,
    movement(account("fund", program.fundId), account("beneficiary", beneficiaryId), amount),
  );
  return money.ok ? ok(record) : money;
}

function payoutDraft(
  book: BookInfo,
  program: ProgramState,
  fields: {
    programId: string;
    beneficiaryId: string;
    amount: Minor;
    paidOn: string;
    method?: PaymentMethod;
    reference?: string;
    memo?: string;
    batchId?: string;
    line?: number;
  },
): EventDraft {
  const { programId, beneficiaryId, amount, paidOn, method, reference, memo, batchId, line } = fields;
  const postings = movement(account("fund", program.fundId), account("beneficiary", beneficiaryId), amount);
  return {
    type: "PayoutRecorded",
    occurredOn: paidOn,
    payload: {
      ...defined({ programId, fundId: program.fundId, beneficiaryId, method, reference, memo, batchId, line }),
      amount: formatIn(book, amount),
      postings: encodePostings(postings, currencyOf(book)),
    },
  };
}

export function recordPayout(
  command: CommandOf<"record-payout">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
  records: Records,
): Decision {
  const amount = requestAmount(book, command);
  if (!amount.ok) return amount;
  const { programId, beneficiaryId, paidOn } = command;
  const paying = checkProgram(state, ctx, programId, command.method, paidOn);
  if (!paying.ok) return paying;
  const { program, method } = paying.value;
  const payment = checkPayment(state, book, programId, program, records, beneficiaryId, amount.value, paidOn);
  if (!payment.ok) return payment;
  return decided([payoutDraft(book, program, { ...command, method, amount: amount.value })]);
}

/**
 * Every line's amount, read before any line is decided: a malformed amount makes the whole chunk
 * a bad request (the API refuses the whole batch for it before the first chunk), not a refused line.
 */
function lineAmounts(book: BookInfo, command: CommandOf<"record-payout-chunk">): Result<Minor[], DomainError> {
  const amounts: Minor[] = [];
  for (const [index, entry] of command.lines.entries()) {
    const amount = amountIn(book, entry.amount, `lines.${command.firstLine + index}.amount`);
    if (!amount.ok) return amount;
    amounts.push(amount.value);
  }
  return ok(amounts);
}

/**
 * A chunk of a batch: every line is checked against the state the lines before it left, so a
 * batch cannot overdraw a fund or exceed a cap between its own lines. A refused line is named in
 * the chunk's summary event with its reason, and the other lines are recorded. A chunk in which
 * no line passes writes nothing (batch-refused, naming each line's reason), unless the batch
 * asks for its refusals to be recorded (recordIfAllRefused).
 */
export function recordPayoutChunk(
  command: CommandOf<"record-payout-chunk">,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
  records: Records,
): Decision {
  const { batchId, programId, paidOn, chunk, firstLine, totalLines, lines } = command;
  const amounts = lineAmounts(book, command);
  if (!amounts.ok) return amounts;
  const checked = checkProgram(state, ctx, programId, command.method, paidOn);
  if (!checked.ok) return checked;
  // The batch's method, or the programme's only one, is every line's, as its programme and date are.
  const { method } = checked.value;
  let current = state;
  const changed = new Map<string, BeneficiaryRecord | undefined>();
  const recordOf: Records = (id) => (changed.has(id) ? changed.get(id) : records(id));
  const events: EventDraft[] = [];
  const refused: LineRefusal[] = [];
  lines.forEach((entry, index) => {
    const line = entry.line ?? firstLine + index;
    const amount = amounts.value[index] as Minor;
    const program = current.programs[programId] as ProgramState;
    const payment = checkPayment(current, book, programId, program, recordOf, entry.beneficiaryId, amount, paidOn);
    if (!payment.ok) {
      refused.push({ line, code: payment.error.code, message: payment.error.message });
      return;
    }
    const draft = payoutDraft(book, program, {
      programId,
      beneficiaryId: entry.beneficiaryId,
      amount,
      paidOn,
      ...(method ? { method } : {}),
      ...(entry.reference ? { reference: entry.reference } : {}),
      batchId,
      line,
    });
    events.push(draft);
    current = evolve(current, { ...draft, book: ctx.book });
    changed.set(entry.beneficiaryId, evolveBeneficiary(payment.value, { ...draft, book: ctx.book }, book.currency));
  });
  if (events.length === 0 && !command.recordIfAllRefused) {
    return err(
      domainError("batch-refused", `no line of chunk ${chunk} of batch ${batchId} could be recorded`, {
        batchId,
        refused,
      }),
    );
  }
  events.push({
    type: "PayoutBatchChunkRecorded",
    occurredOn: paidOn,
    payload: {
      batchId,
      programId,
      chunk,
      firstLine,
      lineCount: lines.length,
      totalLines,
      recorded: events.length,
      refused,
    },
  });
  return decided(events);
}
