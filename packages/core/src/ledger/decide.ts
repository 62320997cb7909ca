import { domainError } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { err, ok } from "../result.ts";
import { type BeneficiaryRecord, beneficiaryOf, beneficiaryRef, entryRef, evolveBeneficiary } from "./beneficiary.ts";
import type { Command } from "./commands.ts";
import {
  closeHardshipFile,
  openHardshipFile,
  registerBeneficiary,
  reviewHardshipFile,
} from "./decide-beneficiaries.ts";
import { recordCollection, recordTransfer, returnPayout, reverseEntry, undoRef } from "./decide-money.ts";
import { recordPayout, recordPayoutChunk } from "./decide-payouts.ts";
import { addUnit, closeProgram, openFund, openProgram } from "./decide-registry.ts";
import { type DecideContext, type Decision, decided, type EntityWrite } from "./decision.ts";
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
    default:
      return [];
  }
}

/** Decides which events a command produces against the current state, or why it is refused. */
export function decide(command: Command, state: BookState, ctx: DecideContext): Decision {
  if (command.type === "open-book") {
    if (state.book) return err(domainError("book-exists", `book ${ctx.book} already exists`, { book: ctx.book }));
    const { name, currency, timeZone } = command;
    return decided([
      { type: "BookOpened", occurredOn: command.on ?? ctx.today, payload: { name, currency, timeZone } },
    ]);
  }
  const book = state.book;
  if (!book) return err(domainError("book-not-found", `no book ${ctx.book}`, { book: ctx.book }));
  const records = (id: string) => (ctx.entities(beneficiaryRef(id)) ?? undefined) as BeneficiaryRecord | undefined;
  const decision = decideIn(command, state, book, ctx, records);
  if (!decision.ok) return decision;
  return ok({
    ...decision.value,
    writes: [...decision.value.writes, ...beneficiaryWrites(decision.value.events, book, ctx, records)],
  });
}

function decideIn(
  command: Exclude<Command, { type: "open-book" }>,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
  records: (id: string) => BeneficiaryRecord | undefined,
): Decision {
  switch (command.type) {
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
  }
}

/**
 * The beneficiary records the events change, folded with the same evolveBeneficiary a replay
 * uses. One write per beneficiary, however many of the events concern it.
 */
function beneficiaryWrites(
  events: readonly EventDraft[],
  book: BookInfo,
  ctx: DecideContext,
  records: (id: string) => BeneficiaryRecord | undefined,
): EntityWrite[] {
  const changed = new Map<string, BeneficiaryRecord | undefined>();
  for (const event of events) {
    const id = beneficiaryOf(event);
    if (id === undefined) continue;
    const before = changed.has(id) ? changed.get(id) : records(id);
    changed.set(id, evolveBeneficiary(before, { ...event, book: ctx.book }, book.currency));
  }
  return [...changed].flatMap(([id, record]) => (record ? [{ ref: beneficiaryRef(id), value: record as never }] : []));
}
