import { type DomainError, domainError } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { err, ok, type Result } from "../result.ts";
import { policyIn } from "./approval.ts";
import { type AuditRecord, auditRef, type FindingRecord, findingRef } from "./audit.ts";
import { type BeneficiaryRecord, beneficiaryRef, entryRef, recordsIn } from "./beneficiary.ts";
import type { Command, CommandOf, CommandType } from "./commands.ts";
import {
  type AuditLookup,
  completeAudit,
  recordFinding,
  resolveFinding,
  setAuditPlan,
  startAudit,
  submitRectificationEvidence,
  submitRectificationPlan,
} from "./decide-audit.ts";
import {
  bankAccountRef,
  bankResultsReads,
  eraseBankAccount,
  issueBankFile,
  recordBankResultsChunk,
  setBankAccount,
  setFundBankAccount,
} from "./decide-bank.ts";
import {
  closeHardshipFile,
  openHardshipFile,
  registerBeneficiary,
  reviewHardshipFile,
} from "./decide-beneficiaries.ts";
import { importBeneficiariesChunk, importReads } from "./decide-imports.ts";
import { recordCollection, recordOpeningBalances, returnPayout, undoRef } from "./decide-money.ts";
import { closePeriod, setClosePolicy } from "./decide-period.ts";
import {
  approveProposal,
  expireProposals,
  oldestPending,
  recordOrPropose,
  rejectProposal,
  setApprovalPolicy,
  withdrawProposal,
} from "./decide-proposals.ts";
import { addUnit, closeProgram, openFund, openProgram } from "./decide-registry.ts";
import {
  confirmBankMatch,
  matchReads,
  recordBankStatement,
  statementReads,
  undoBankMatch,
} from "./decide-statements.ts";
import { checkOpened, type DecideContext, type Decision, decided, defined } from "./decision.ts";
import { entityWrites } from "./projections.ts";
import { type ProposalRecord, proposalRef } from "./proposal.ts";
import { type BookInfo, type BookState, initialState } from "./state.ts";

type Loaded = DecideContext["entities"];

/** The records a decision may look up among those loaded for its command; undefined for one that does not exist. */
type Lookups = {
  readonly records: (id: string) => BeneficiaryRecord | undefined;
  readonly audits: AuditLookup;
};

/**
 * How one command type is decided. `reads` names the entities it needs loaded first, and is called
 * again with what has been loaded so far until it asks for nothing new: a payout needs its
 * beneficiary, then the household that beneficiary belongs to; a reversal needs its entry, then
 * that entry's payee; a proposal's approval needs the proposal, then what its request reads. The
 * head's state is at hand too (a rejection reads the payee its pending proposal names). `decide`
 * may look at those entities and no others.
 */
type Handler<C extends Command> = {
  readonly reads: (command: C, loaded: Loaded, state: BookState) => string[];
  readonly decide: (command: C, state: BookState, book: BookInfo, ctx: DecideContext, lookups: Lookups) => Decision;
};

/** Every command but open-book, the one decided before its book exists (openBook). */
type BookCommandType = Exclude<CommandType, "open-book">;

const nothing = (): string[] => [];
const holder = (command: { beneficiaryId: string }) => [beneficiaryRef(command.beneficiaryId)];
const audit = (command: { auditId: string }) => [auditRef(command.auditId)];
const finding = (command: { findingId: string }) => [findingRef(command.findingId)];

/** A payee's record, and once it is loaded, the household it belongs to (whose hardship file may qualify it). */
const withHousehold = (id: string, loaded: Loaded): string[] => {
  const record = loaded(beneficiaryRef(id)) as BeneficiaryRecord | null | undefined;
  return record?.householdId ? [beneficiaryRef(id), beneficiaryRef(record.householdId)] : [beneficiaryRef(id)];
};

/** The entry an undo names, its undo mark, and once the entry is loaded, its payee's record. */
const undoing = (command: { seq: number }, loaded: Loaded): string[] => {
  const entry = loaded(entryRef(command.seq)) as { payload?: { beneficiaryId?: unknown } } | null | undefined;
  const payee = entry?.payload?.beneficiaryId;
  return [entryRef(command.seq), undoRef(command.seq), ...(typeof payee === "string" ? [beneficiaryRef(payee)] : [])];
};

/** The payees a proposal would pay (whose records its void releases): a payout's one, a batch chunk's lines'. */
const payeesOf = (proposal: ProposalRecord | null | undefined): string[] => {
  if (proposal?.request.type === "record-payout") return [beneficiaryRef(proposal.request.beneficiaryId)];
  return [...new Set(proposal?.lines?.map(({ beneficiaryId }) => beneficiaryRef(beneficiaryId)) ?? [])];
};

/** A proposal's item, and once it is loaded, its payees. */
const proposalAndPayee = (command: { proposalId: number }, loaded: Loaded): string[] => [
  proposalRef(command.proposalId),
  ...payeesOf(loaded(proposalRef(command.proposalId)) as ProposalRecord | null | undefined),
];

/** The proposals expiry looks at (the oldest pending), and once they are loaded, their payees. */
const oldestAndPayees = (state: BookState, loaded: Loaded): string[] =>
  oldestPending(state).flatMap(([id]) => [
    proposalRef(id),
    ...payeesOf(loaded(proposalRef(id)) as ProposalRecord | null | undefined),
  ]);

/** Each command type's reads beside its decision: a type missing here does not compile. */
const COMMANDS: { readonly [T in BookCommandType]: Handler<CommandOf<T>> } = {
  "open-fund": {
    reads: nothing,
    decide: (command, state, _book, ctx) => openFund(command, state, command.on ?? ctx.today),
  },
  "add-unit": {
    reads: nothing,
    decide: (command, state, _book, ctx) => addUnit(command, state, command.on ?? ctx.today),
  },
  "open-program": {
    reads: nothing,
    decide: (command, state, book, ctx) => openProgram(command, state, book, command.on ?? ctx.today),
  },
  "close-program": {
    reads: nothing,
    decide: (command, state, _book, ctx) => closeProgram(command, state, command.on ?? ctx.today),
  },
  "register-beneficiary": {
    reads: (command) => [
      beneficiaryRef(command.beneficiaryId),
      ...(command.householdId ? [beneficiaryRef(command.householdId)] : []),
    ],
    decide: (command, state, _book, ctx, { records }) =>
      registerBeneficiary(command, state, records, command.on ?? ctx.today),
  },
  "open-hardship-file": {
    reads: holder,
    decide: (command, state, _book, ctx, { records }) => openHardshipFile(command, state, ctx, records),
  },
  "review-hardship-file": {
    reads: holder,
    decide: (command, state, _book, ctx, { records }) => reviewHardshipFile(command, state, ctx, records),
  },
  "close-hardship-file": {
    reads: holder,
    decide: (command, state, _book, ctx, { records }) => closeHardshipFile(command, state, ctx, records),
  },
  "record-opening-balances": {
    reads: nothing,
    decide: (command, state, book, ctx) => recordOpeningBalances(command, state, book, ctx),
  },
  "record-collection": {
    reads: nothing,
    decide: (command, state, book, ctx) => recordCollection(command, state, book, ctx),
  },
  "record-payout": {
    reads: (command, loaded) => withHousehold(command.beneficiaryId, loaded),
    decide: (command, state, book, ctx) => recordOrPropose(command, state, book, ctx),
  },
  "record-payout-chunk": {
    reads: (command, loaded) => [
      ...new Set(command.lines.flatMap((line) => withHousehold(line.beneficiaryId, loaded))),
    ],
    decide: (command, state, book, ctx) => recordOrPropose(command, state, book, ctx),
  },
  "record-transfer": {
    reads: nothing,
    decide: (command, state, book, ctx) => recordOrPropose(command, state, book, ctx),
  },
  "reverse-entry": {
    reads: undoing,
    decide: (command, state, book, ctx) => recordOrPropose(command, state, book, ctx),
  },
  "return-payout": {
    reads: undoing,
    decide: (command, state, book, ctx) => returnPayout(command, state, book, ctx),
  },
  "set-audit-plan": {
    reads: nothing,
    decide: (command, _state, _book, ctx) => setAuditPlan(command, command.on ?? ctx.today),
  },
  "start-audit": {
    reads: audit,
    decide: (command, state, _book, ctx, { audits }) => startAudit(command, state, ctx, audits),
  },
  "complete-audit": {
    reads: audit,
    decide: (command, state, _book, ctx, { audits }) => completeAudit(command, state, ctx, audits),
  },
  "record-finding": {
    // The audit is read to check it, and rewritten: the finding joins its list.
    reads: (command) => [findingRef(command.findingId), ...(command.auditId ? [auditRef(command.auditId)] : [])],
    decide: (command, state, book, ctx, { audits }) => recordFinding(command, state, book, ctx, audits),
  },
  "submit-rectification-plan": {
    reads: finding,
    decide: (command, state, _book, ctx, { audits }) => submitRectificationPlan(command, state, ctx, audits),
  },
  "submit-rectification-evidence": {
    reads: finding,
    decide: (command, state, book, ctx, { audits }) => submitRectificationEvidence(command, state, book, ctx, audits),
  },
  "resolve-finding": {
    reads: finding,
    decide: (command, state, _book, ctx, { audits }) => resolveFinding(command, state, ctx, audits),
  },
  "close-period": {
    reads: nothing,
    decide: (command, state, book, ctx) => closePeriod(command, state, book, ctx),
  },
  "set-close-policy": {
    reads: nothing,
    decide: (command, _state, _book, ctx) => setClosePolicy(command, command.on ?? ctx.today),
  },
  "set-approval-policy": {
    reads: nothing,
    decide: (command, state, book, ctx) => setApprovalPolicy(command, state, book, command.on ?? ctx.today),
  },
  "approve-proposal": {
    // The proposal, then whatever its request reads: the last approval decides the entry again.
    reads: (command, loaded, state) => {
      const proposal = loaded(proposalRef(command.proposalId)) as ProposalRecord | null | undefined;
      return [proposalRef(command.proposalId), ...(proposal ? readsOf(proposal.request, loaded, state) : [])];
    },
    decide: (command, state, book, ctx) => approveProposal(command, state, book, ctx),
  },
  "reject-proposal": {
    reads: proposalAndPayee,
    decide: (command, state, book, ctx) => rejectProposal(command, state, book, ctx),
  },
  "withdraw-proposal": {
    reads: proposalAndPayee,
    decide: (command, state, book, ctx) => withdrawProposal(command, state, book, ctx),
  },
  "expire-proposals": {
    reads: (_command, loaded, state) => oldestAndPayees(state, loaded),
    decide: (_command, state, book, ctx) => expireProposals(state, book, ctx),
  },
  "import-beneficiaries-chunk": {
    reads: importReads,
    decide: (command, state, _book, ctx, { records }) => importBeneficiariesChunk(command, state, ctx, records),
  },
  "record-bank-statement": {
    reads: statementReads,
    decide: (command, state, book, ctx) => recordBankStatement(command, state, book, ctx),
  },
  "confirm-bank-match": {
    reads: matchReads,
    decide: (command, _state, _book, ctx) => confirmBankMatch(command, ctx),
  },
  "undo-bank-match": {
    reads: matchReads,
    decide: (command, _state, _book, ctx) => undoBankMatch(command, ctx),
  },
  "set-fund-bank-account": {
    reads: () => [],
    decide: (command, state, _book, ctx) => setFundBankAccount(command, state, command.on ?? ctx.today),
  },
  "set-bank-account": {
    reads: holder,
    decide: (command, _state, _book, ctx, { records }) => setBankAccount(command, records, command.on ?? ctx.today),
  },
  "erase-bank-account": {
    // The payee's record too: its entries are folded into it, as every event naming a beneficiary is.
    reads: (command) => [...holder(command), bankAccountRef(command.beneficiaryId)],
    decide: (command, _state, _book, ctx) => eraseBankAccount(command, ctx, command.on ?? ctx.today),
  },
  "issue-bank-file": {
    reads: nothing,
    decide: (command, _state, book, ctx) => issueBankFile(command, book, command.on ?? ctx.today),
  },
  "record-bank-results-chunk": {
    reads: (command, loaded) => bankResultsReads(command, loaded),
    decide: (command, state, book, ctx) => recordBankResultsChunk(command, state, book, ctx),
  },
};

const handlerOf = <T extends BookCommandType>(type: T): Handler<CommandOf<T>> => COMMANDS[type];

/**
 * The entities a command needs loaded before it can be decided (see Handler). `state` is the head
 * the command will be decided against: only expiry's reads depend on it (which proposals are the
 * oldest pending), so a caller that only asks what a command reads may leave it out.
 */
export function readsOf(command: Command, loaded: Loaded, state: BookState = initialState()): string[] {
  return command.type === "open-book" ? [] : handlerOf(command.type).reads(command, loaded, state);
}

/** Decides which events a command produces against the current state, or why it is refused. */
export function decide(command: Command, state: BookState, ctx: DecideContext): Decision {
  if (command.type === "open-book") return openBook(command, state, ctx);
  const book = state.book;
  if (!book) return err(domainError("book-not-found", `no book ${ctx.book}`, { book: ctx.book }));
  const loaded: DecideContext = { ...ctx, entities: loadedFor(command, ctx.entities) };
  const lookups: Lookups = {
    records: recordsIn(loaded.entities),
    audits: {
      audit: (id) => (loaded.entities(auditRef(id)) ?? undefined) as AuditRecord | undefined,
      finding: (id) => (loaded.entities(findingRef(id)) ?? undefined) as FindingRecord | undefined,
    },
  };
  const decision = handlerOf(command.type).decide(command, state, book, loaded, lookups);
  if (!decision.ok) return decision;
  const dated = checkEntryDates(state, decision.value.events);
  if (!dated.ok) return dated;
  return ok({
    ...decision.value,
    writes: [...decision.value.writes, ...entityWrites(decision.value.events, loaded, book)],
  });
}

/**
 * The entities a command is decided with: null for one that does not exist. One that it never
 * asked to load is a mistake in its reads, and throws: read as "not found", it would refuse a
 * payout with a beneficiary-not-found that is false, or rewrite a record from nothing.
 */
function loadedFor(command: Command, entities: Loaded): Loaded {
  return (ref) => {
    const value = entities(ref);
    if (value === undefined) throw new Error(`entity ${ref} was not loaded for command ${command.type}`);
    return value;
  };
}

/** Opens a book: nothing of it exists before, so there is nothing to read. */
function openBook(command: CommandOf<"open-book">, state: BookState, ctx: DecideContext): Decision {
  if (state.book) return err(domainError("book-exists", `book ${ctx.book} already exists`, { book: ctx.book }));
  const { name, currency, timeZone, approvalTtlDays, close } = command;
  const book = { id: ctx.book, name, currency, timeZone };
  // A book may be opened as of a past date (a year's records brought in), never a future one.
  const on = command.on ?? ctx.today;
  if (on > ctx.today) {
    return err(domainError("future-date", `${on} is after today (${ctx.today})`, { on, today: ctx.today }));
  }
  const approvals = command.approvals ? policyIn(book, command.approvals, "approvals") : undefined;
  if (approvals && !approvals.ok) return approvals;
  const payload = defined({ name, currency, timeZone, approvals: approvals?.value, approvalTtlDays, close });
  const events = [{ type: "BookOpened", occurredOn: on, payload }];
  return decided(events, { writes: entityWrites(events, ctx, book) });
}

/**
 * What any command records is dated on or after the book's opening. Business dates are checked
 * first, with the other date rules (checkBusinessDate); this also holds the dates a registry change
 * is filed under (`on`) and any command added later. A month's close is dated by its month, which
 * the book's history decides: a book stored before this rule may still close months before it opened.
 */
function checkEntryDates(state: BookState, events: readonly EventDraft[]): Result<void, DomainError> {
  for (const event of events) {
    if (event.type === "PeriodClosed") continue;
    const opened = checkOpened(state, event.occurredOn);
    if (!opened.ok) return opened;
  }
  return ok(undefined);
}
