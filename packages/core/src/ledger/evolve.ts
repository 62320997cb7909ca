import type { EventFacts } from "../journal-event.ts";
import { CURRENCIES, readSignedAmount } from "../money.ts";
import { comparePeriods } from "../period.ts";
import { decodePostings, fundOf, type Posting, type StoredPosting } from "../postings.ts";
import { readPolicy } from "./approval.ts";
import {
  ApprovalPolicySet,
  AuditPlanSet,
  BookOpened,
  ClosePolicySet,
  EntryReversed,
  FundOpened,
  PayoutRecorded,
  PayoutReturned,
  PeriodClosed,
  ProgramClosed,
  ProgramOpened,
  ProposalMade,
  ProposalSignature,
  ProposalVoided,
  UnitAdded,
} from "./events.ts";
import type { BookState, FundState, PendingProposal, ProgramState } from "./state.ts";

/** Applies one recorded event to the book state. Pure; events that do not touch it leave it alone. */
export function evolve(state: BookState, event: EventFacts): BookState {
  return trackMonth(evolveBook(state, event), event);
}

/** Counts a recorded event (one with a seq) in its open month; closing the month forgets it. */
function trackMonth(state: BookState, event: EventFacts): BookState {
  if (event.seq === undefined || event.type === "PeriodClosed") return state;
  const month = event.occurredOn.slice(0, 7);
  const before = state.openMonths?.[month];
  const tracked = { firstSeq: before?.firstSeq ?? event.seq, lastSeq: event.seq, count: (before?.count ?? 0) + 1 };
  const firstMonth = state.firstMonth && state.firstMonth <= month ? state.firstMonth : month;
  return { ...state, firstMonth, openMonths: { ...state.openMonths, [month]: tracked } };
}

function evolveBook(state: BookState, event: EventFacts): BookState {
  switch (event.type) {
    case "BookOpened": {
      const { approvals, approvalTtlDays, close, ...opened } = BookOpened.parse(event.payload);
      return {
        ...state,
        book: { id: event.book, ...opened, openedOn: event.occurredOn },
        ...(close ? { close } : {}),
        ...(approvals?.length ? { approvals: readPolicy(approvals, opened.currency) } : {}),
        ...(approvalTtlDays ? { approvalTtlDays } : {}),
      };
    }
    case "FundOpened": {
      const { fundId, ...fund } = FundOpened.parse(event.payload);
      return { ...state, funds: { ...state.funds, [fundId]: { ...fund, balance: 0n } } };
    }
    case "UnitAdded": {
      const { unitId, ...unit } = UnitAdded.parse(event.payload);
      return { ...state, units: { ...state.units, [unitId]: unit } };
    }
    case "ProgramOpened": {
      if (!state.book) return state;
      const read = amountReader(state);
      const { programId, budget, cap, approvals, ...program } = ProgramOpened.parse(event.payload);
      const perYear = cap?.perBeneficiaryPerYear;
      const opened: ProgramState = {
        ...program,
        ...(budget ? { budget: read(budget) } : {}),
        ...(cap
          ? {
              cap: {
                ...(cap.perPayment ? { perPayment: read(cap.perPayment) } : {}),
                ...(perYear
                  ? {
                      perBeneficiaryPerYear: {
                        ...(perYear.count ? { count: perYear.count } : {}),
                        ...(perYear.amount ? { amount: read(perYear.amount) } : {}),
                      },
                    }
                  : {}),
              },
            }
          : {}),
        // Without a policy of its own it follows the book's (policyOf); an empty one is its own: none.
        ...(approvals ? { approvals: readPolicy(approvals, state.book.currency) } : {}),
        closed: false,
        paid: 0n,
      };
      return { ...state, programs: { ...state.programs, [programId]: opened } };
    }
    case "ProgramClosed": {
      const { programId } = ProgramClosed.parse(event.payload);
      return updateProgram(state, programId, (program) => ({ ...program, closed: true }));
    }
    case "AuditPlanSet": {
      const { year, targetCount } = AuditPlanSet.parse(event.payload);
      return { ...state, auditPlans: { ...state.auditPlans, [String(year)]: targetCount } };
    }
    case "ApprovalPolicySet": {
      if (!state.book) return state;
      const { programId, approvals, approvalTtlDays } = ApprovalPolicySet.parse(event.payload);
      const rules = readPolicy(approvals, state.book.currency);
      const next = approvalTtlDays ? { ...state, approvalTtlDays } : state;
      // A programme's policy is its own from now on, an empty one too; the book's empty one is none.
      if (programId) return updateProgram(next, programId, (program) => ({ ...program, approvals: rules }));
      const { approvals: _, ...book } = next;
      return rules.length ? { ...book, approvals: rules } : book;
    }
    case "ProposalMade": {
      if (!state.book) return state;
      const read = amountReader(state);
      const { proposalId, amount, reserves, madeOn, programId, beneficiaryId } = ProposalMade.parse(event.payload);
      const pending: PendingProposal = {
        on: event.occurredOn,
        madeOn,
        amount: read(amount),
        reserves: Object.fromEntries(reserves.map((reserve) => [reserve.fundId, read(reserve.amount)])),
        ...(programId ? { programId } : {}),
        ...(beneficiaryId ? { beneficiaryId } : {}),
      };
      return { ...state, pending: { ...state.pending, [String(proposalId)]: pending } };
    }
    case "ProposalVoided":
      return release(state, ProposalVoided.parse(event.payload).proposalId);
    case "PayoutBatchChunkRecorded": {
      // A batch's chunk posted by approval: its reservation ends, even when no line of it was paid.
      const signature = ProposalSignature.optional().parse(event.payload.proposal);
      return signature ? release(state, signature.proposalId) : state;
    }
    case "PeriodClosed": {
      // A run of months closes at once: every month through `period` leaves the open ones.
      const { period } = PeriodClosed.parse(event.payload);
      const stillOpen = Object.fromEntries(
        Object.entries(state.openMonths ?? {}).filter(([month]) => comparePeriods(month, period) > 0),
      );
      return { ...state, closedThrough: period, openMonths: stillOpen };
    }
    case "ClosePolicySet":
      return { ...state, close: ClosePolicySet.parse(event.payload).close };
    default:
      return applyMoney(state, event);
  }
}

/** Postings move fund balances; payouts and their undoing move a programme's paid total. */
function applyMoney(state: BookState, event: EventFacts): BookState {
  const stored = event.payload.postings as StoredPosting[] | undefined;
  if (!stored || !state.book) return state;
  const read = amountReader(state);
  let next: BookState = {
    ...applyPostings(state, decodePostings(stored, CURRENCIES[state.book.currency])),
    moneyMoved: true,
    ...(event.type === "OpeningBalancesRecorded" && event.seq !== undefined ? { openingSeq: event.seq } : {}),
  };
  // An entry posted by approval takes over what its proposal reserved.
  const signature = ProposalSignature.optional().parse(event.payload.proposal);
  if (signature) next = release(next, signature.proposalId);
  if (event.type === "PayoutRecorded") {
    const { programId, amount } = PayoutRecorded.parse(event.payload);
    next = updateProgram(next, programId, (program) => ({ ...program, paid: program.paid + read(amount) }));
  } else if (event.type === "EntryReversed" || event.type === "PayoutReturned") {
    const undo =
      event.type === "EntryReversed" ? EntryReversed.parse(event.payload) : PayoutReturned.parse(event.payload);
    const { programId } = undo;
    if (programId)
      next = updateProgram(next, programId, (program) => ({ ...program, paid: program.paid - read(undo.amount) }));
  }
  return next;
}

/** A proposal leaves the pending list: posted or voided, it reserves nothing any more. */
const release = (state: BookState, proposalId: number): BookState => {
  const { [String(proposalId)]: _released, ...pending } = state.pending ?? {};
  return { ...state, pending };
};

const amountReader = (state: BookState) => {
  const currency = CURRENCIES[state.book?.currency ?? "CNY"];
  return (amount: string) => readSignedAmount(amount, currency);
};

const updateProgram = (
  state: BookState,
  programId: string,
  change: (program: ProgramState) => ProgramState,
): BookState => {
  const program = state.programs[programId];
  return program ? { ...state, programs: { ...state.programs, [programId]: change(program) } } : state;
};

/** Adds postings to the fund balances they touch. */
export function applyPostings(state: BookState, postings: readonly Posting[]): BookState {
  const funds: Record<string, FundState> = { ...state.funds };
  for (const posting of postings) {
    const fundId = fundOf(posting.account);
    const fund = fundId === undefined ? undefined : funds[fundId];
    if (fundId !== undefined && fund) funds[fundId] = { ...fund, balance: fund.balance + posting.amount };
  }
  return { ...state, funds };
}
