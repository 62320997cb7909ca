import { domainError } from "../errors.ts";
import { err } from "../result.ts";
import { policyIn } from "./approval.ts";
import type { CommandOf } from "./commands.ts";
import { type Decision, decided, defined, optionalAmount } from "./decision.ts";
import type { BookInfo, BookState } from "./state.ts";

export function openFund(command: CommandOf<"open-fund">, state: BookState, on: string): Decision {
  const { fundId, name, restricted, purpose } = command;
  if (state.funds[fundId]) return err(domainError("fund-exists", `fund ${fundId} already exists`, { fundId }));
  return decided([{ type: "FundOpened", occurredOn: on, payload: defined({ fundId, name, restricted, purpose }) }]);
}

export function addUnit(command: CommandOf<"add-unit">, state: BookState, on: string): Decision {
  const { unitId, name, kind } = command;
  if (state.units[unitId]) return err(domainError("unit-exists", `unit ${unitId} already exists`, { unitId }));
  return decided([{ type: "UnitAdded", occurredOn: on, payload: { unitId, name, kind } }]);
}

export function openProgram(
  command: CommandOf<"open-program">,
  state: BookState,
  book: BookInfo,
  on: string,
): Decision {
  const { programId, name, fundId, requiresHardshipFile, methods, cap } = command;
  if (state.programs[programId]) {
    return err(domainError("program-exists", `programme ${programId} already exists`, { programId }));
  }
  if (!state.funds[fundId]) return err(domainError("fund-not-found", `no fund ${fundId} in this book`, { fundId }));
  // Budgets and caps are amounts like any other: parsed, bounded, and written in the book's format.
  const budget = optionalAmount(book, command.budget, "budget");
  if (!budget.ok) return budget;
  const perPayment = optionalAmount(book, cap?.perPayment, "cap.perPayment");
  if (!perPayment.ok) return perPayment;
  const perYear = cap?.perBeneficiaryPerYear;
  const perYearAmount = optionalAmount(book, perYear?.amount, "cap.perBeneficiaryPerYear.amount");
  if (!perYearAmount.ok) return perYearAmount;
  const approvals = command.approvals ? policyIn(book, command.approvals, "approvals") : undefined;
  if (approvals && !approvals.ok) return approvals;
  const capPayload =
    cap === undefined
      ? undefined
      : defined({
          perPayment: perPayment.value,
          perBeneficiaryPerYear: perYear ? defined({ count: perYear.count, amount: perYearAmount.value }) : undefined,
        });
  return decided([
    {
      type: "ProgramOpened",
      occurredOn: on,
      payload: defined({
        programId,
        name,
        fundId,
        budget: budget.value,
        requiresHardshipFile,
        methods: methods ? [...methods] : undefined,
        cap: capPayload,
        approvals: approvals?.value,
      }),
    },
  ]);
}

export function closeProgram(command: CommandOf<"close-program">, state: BookState, on: string): Decision {
  const { programId, reason } = command;
  const program = state.programs[programId];
  if (!program) return err(domainError("program-not-found", `no programme ${programId} in this book`, { programId }));
  if (program.closed)
    return err(domainError("program-closed", `programme ${programId} is already closed`, { programId }));
  return decided([{ type: "ProgramClosed", occurredOn: on, payload: { programId, reason } }]);
}
