import { type DomainError, domainError } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { err, ok, type Result } from "../result.ts";
import { type AuditRecord, auditRef, type FindingRecord, findingRef } from "./audit.ts";
import { type BeneficiaryRecord, beneficiaryRef, entryRef } from "./beneficiary.ts";
import type { Command } from "./commands.ts";
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
  closeHardshipFile,
  openHardshipFile,
  registerBeneficiary,
  reviewHardshipFile,
} from "./decide-beneficiaries.ts";
import { recordCollection, recordTransfer, returnPayout, reverseEntry, undoRef } from "./decide-money.ts";
import { recordPayout, recordPayoutChunk } from "./decide-payouts.ts";
import { closePeriod } from "./decide-period.ts";
import { addUnit, closeProgram, openFund, openProgram } from "./decide-registry.ts";
import { checkOpened, type DecideContext, type Decision, decided } from "./decision.ts";
import { entityWrites } from "./projections.ts";
import type { BookInfo, BookState } from "./state.ts";

/**
 * The entities a command needs loaded before it can be decided. Called again with what has
 * been loaded so far until it asks for nothing new: a payout needs its beneficiary, then the
 * household that beneficiary belongs to; a reversal needs its entry, then that entry's payee.
 */
export function readsOf(command: Command, loaded: DecideContext["entities"]): string[] {
  const withHousehold = (id: string): string[] => {
    const record = loaded(beneficiaryRef(id)) as BeneficiaryRecord | null | undefined;
    return record?.householdId ? [beneficiaryRef(id), beneficiaryRef(record.householdId)] : [beneficiaryRef(id)];
  };
  switch (command.type) {
    case "register-beneficiary":
      return [
        beneficiaryRef(command.beneficiaryId),
        ...(command.householdId ? [beneficiaryRef(command.householdId)] : []),
      ];
    case "open-hardship-file":
    case "review-hardship-file":
    case "close-hardship-file":
      return [beneficiaryRef(command.beneficiaryId)];
    case "record-payout":
      return withHousehold(command.beneficiaryId);
    case "record-payout-chunk":
      return [...new Set(command.lines.flatMap((line) => withHousehold(line.beneficiaryId)))];
    case "reverse-entry":
    case "return-payout": {
      const entry = loaded(entryRef(command.seq)) as { payload?: { beneficiaryId?: unknown } } | null | undefined;
      const payee = entry?.payload?.beneficiaryId;
      return [
        entryRef(command.seq),
        undoRef(command.seq),
        ...(typeof payee === "string" ? [beneficiaryRef(payee)] : []),
      ];
    }
    case "start-audit":
    case "complete-audit":
      return [auditRef(command.auditId)];
    case "record-finding":
      // The audit is read to check it, and rewritten: the finding joins its list.
      return [findingRef(command.findingId), ...(command.auditId ? [auditRef(command.auditId)] : [])];
    case "submit-rectification-plan":
    case "submit-rectification-evidence":
    case "resolve-finding":
      return [findingRef(command.findingId)];
    default:
      return [];
  }
}

/** Decides which events a command produces against the current state, or why it is refused. */
export function decide(command: Command, state: BookState, ctx: DecideContext): Decision {
  if (command.type === "open-book") {
    if (state.book) return err(domainError("book-exists", `book ${ctx.book} already exists`, { book: ctx.book }));
    const { name, currency, timeZone } = command;
    // A book may be opened as of a past date (a year's records brought in), never a future one.
    const on = command.on ?? ctx.today;
    if (on > ctx.today) {
      return err(domainError("future-date", `${on} is after today (${ctx.today})`, { on, today: ctx.today }));
    }
    const events = [{ type: "BookOpened", occurredOn: on, payload: { name, currency, timeZone } }];
    return decided(events, { writes: entityWrites(events, ctx, { id: ctx.book, name, currency, timeZone }) });
  }
  const book = state.book;
  if (!book) return err(domainError("book-not-found", `no book ${ctx.book}`, { book: ctx.book }));
  const records = (id: string) => (ctx.entities(beneficiaryRef(id)) ?? undefined) as BeneficiaryRecord | undefined;
  const audits: AuditLookup = {
    audit: (id) => (ctx.entities(auditRef(id)) ?? undefined) as AuditRecord | undefined,
    finding: (id) => (ctx.entities(findingRef(id)) ?? undefined) as FindingRecord | undefined,
  };
  const decision = decideIn(command, state, book, ctx, records, audits);
  if (!decision.ok) return decision;
  const dated = checkEntryDates(state, decision.value.events);
  if (!dated.ok) return dated;
  return ok({
    ...decision.value,
    writes: [...decision.value.writes, ...entityWrites(decision.value.events, ctx, book)],
  });
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

function decideIn(
  command: Exclude<Command, { type: "open-book" }>,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
  records: (id: string) => BeneficiaryRecord | undefined,
  audits: AuditLookup,
): Decision {
  switch (command.type) {
    case "close-period":
      return closePeriod(command, state, book, ctx);
    case "open-fund":
      return openFund(command, state, command.on ?? ctx.today);
    case "add-unit":
      return addUnit(command, state, command.on ?? ctx.today);
    case "open-program":
      return openProgram(command, state, book, command.on ?? ctx.today);
    case "close-program":
      return closeProgram(command, state, command.on ?? ctx.today);
    case "register-beneficiary":
      return registerBeneficiary(command, state, records, command.on ?? ctx.today);
    case "open-hardship-file":
      return openHardshipFile(command, state, ctx, records);
    case "review-hardship-file":
      return reviewHardshipFile(command, state, ctx, records);
    case "close-hardship-file":
      return closeHardshipFile(command, state, ctx, records);
    case "record-collection":
      return recordCollection(command, state, book, ctx);
    case "record-payout":
      return recordPayout(command, state, book, ctx, records);
    case "record-payout-chunk":
      return recordPayoutChunk(command, state, book, ctx, records);
    case "record-transfer":
      return recordTransfer(command, state, book, ctx);
    case "reverse-entry":
      return reverseEntry(command, state, book, ctx);
    case "return-payout":
      return returnPayout(command, state, book, ctx);
    case "set-audit-plan":
      return setAuditPlan(command, command.on ?? ctx.today);
    case "start-audit":
      return startAudit(command, state, ctx, audits);
    case "complete-audit":
      return completeAudit(command, state, ctx, audits);
    case "record-finding":
      return recordFinding(command, state, book, ctx, audits);
    case "submit-rectification-plan":
      return submitRectificationPlan(command, state, ctx, audits);
    case "submit-rectification-evidence":
      return submitRectificationEvidence(command, state, book, ctx, audits);
    case "resolve-finding":
      return resolveFinding(command, state, ctx, audits);
  }
}
