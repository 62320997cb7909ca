import { expect } from "vitest";
import type { Json } from "../canonical.ts";
import type { DomainError } from "../errors.ts";
import type { Actor, JournalEvent } from "../journal-event.ts";
import { type BeneficiaryRecord, beneficiaryRef } from "./beneficiary.ts";
import type { Command, CommandOf } from "./commands.ts";
import { decide } from "./decide.ts";
import type { Decided, Decision } from "./decision.ts";
import { EventPayloads, type EventType, isEventType } from "./events.ts";
import { evolve } from "./evolve.ts";
import { FINANCE_OFFICE, MemoryLedger } from "./memory-ledger.ts";
import { refusalsOf } from "./refusals.ts";

// The ledger's domain tests, Emmett's way: given these commands, when this command, then these
// events or this error. The ledger runs in memory (decide, evolve and the entity writes), no
// DynamoDB. Only *.test.ts files import this; the name keeps vitest from running it as a test.

export const BOOK = "bazhou";
export const TODAY = "2010-12-31";
/** The finance office, who records and proposes: the actor of every command a test does not give one. */
export const FINANCE = FINANCE_OFFICE;

/** Given: a book in memory that has run these commands, each of which must succeed. */
export const given = (...commands: Command[]) => new MemoryLedger(BOOK, TODAY).given(...commands);

/**
 * Every refusal a test sees is one the command declares (COMMAND_REFUSALS), so that the API's
 * document lists it for the routes that send the command.
 */
export const expectDeclared = (command: Command, error: DomainError) =>
  expect(refusalsOf(command.type), `${command.type} refused ${error.code}: add it to COMMAND_REFUSALS`).toContain(
    error.code,
  );

/** What decide makes of the command against the ledger, without recording it. */
export const decideOn = (ledger: MemoryLedger, command: Command, today = TODAY): Decision => {
  const decision = decide(command, ledger.state, {
    book: BOOK,
    actor: FINANCE,
    today,
    headSeq: ledger.head.seq,
    entities: (ref) =>
      ref.startsWith("event/")
        ? ((ledger.entry(Number(ref.slice("event/".length))) as Json | undefined) ?? null)
        : ref.startsWith("claim/")
          ? ledger.claimed(ref)
          : (ledger.entities.get(ref) ?? null),
  });
  if (!decision.ok) expectDeclared(command, decision.error);
  return decision;
};

/** A decision that must be accepted. */
export const accepted = (decision: Decision): Decided => {
  if (!decision.ok) throw new Error(`refused: ${decision.error.code}: ${decision.error.message}`);
  return decision.value;
};

/** Whether the command would be accepted, without recording it: for dates around a boundary. */
export const acceptable = (ledger: MemoryLedger, command: Command, today = TODAY): true | string => {
  const decision = decideOn(ledger, command, today);
  return decision.ok || decision.error.code;
};

/** Then these events: recorded, each one valid against its type's payload schema. */
export function recorded(ledger: MemoryLedger, command: Command, actor: Actor = FINANCE): JournalEvent[] {
  const result = ledger.execute(command, actor);
  if (!result.ok) throw new Error(`${command.type} was refused: ${result.error.code}: ${result.error.message}`);
  for (const event of result.value) {
    expect(isEventType(event.type), event.type).toBe(true);
    EventPayloads[event.type as EventType].parse(event.payload);
  }
  return result.value;
}

/** Records a command that yields one event, and gives that event. */
export const recordedOne = (ledger: MemoryLedger, command: Command, actor: Actor = FINANCE): JournalEvent => {
  const events = recorded(ledger, command, actor);
  expect(events).toHaveLength(1);
  return events[0] as JournalEvent;
};

/** Then this error: refused, with nothing recorded and the state untouched. */
export function refused(ledger: MemoryLedger, command: Command, actor: Actor = FINANCE): DomainError {
  const [count, state] = [ledger.events.length, ledger.state];
  const result = ledger.execute(command, actor);
  if (result.ok) throw new Error(`${command.type} was recorded as ${result.value.map((e) => e.type).join(", ")}`);
  expectDeclared(command, result.error);
  expect(ledger.events).toHaveLength(count);
  expect(ledger.state).toBe(state);
  // The message is the problem's detail in the API's answer: every refusal says something.
  expect(result.error.message.trim(), `${result.error.code} has no message`).not.toBe("");
  return result.error;
}

/** The monthly rollup closes a period; no command does, so the event is folded in by hand. */
export const closePeriod = (ledger: MemoryLedger, period: string) => {
  ledger.state = evolve(ledger.state, {
    type: "PeriodClosed",
    book: BOOK,
    occurredOn: `${period}-28`,
    payload: { period, rollupHash: "e".repeat(64), lastSeq: ledger.events.length },
  });
};

/** A beneficiary's record as the entity writes left it. */
export const recordOf = (ledger: MemoryLedger, id: string) =>
  ledger.entities.get(beneficiaryRef(id)) as BeneficiaryRecord | undefined;

// The Bazhou District federation's registry, as the scenarios open it; a file spreads one of
// these to vary it.

export const openBook: CommandOf<"open-book"> = {
  type: "open-book",
  name: "巴中市巴州区总工会",
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  on: "2010-01-01",
};
export const warmthFund: CommandOf<"open-fund"> = {
  type: "open-fund",
  fundId: "warmth",
  name: "送温暖资金",
  restricted: true,
  on: "2010-01-04",
};
export const studentAidFund: CommandOf<"open-fund"> = {
  type: "open-fund",
  fundId: "student-aid",
  name: "金秋助学资金",
  restricted: true,
  on: "2010-01-04",
};
export const generalFund: CommandOf<"open-fund"> = {
  type: "open-fund",
  fundId: "general",
  name: "工会经费",
  restricted: false,
  on: "2010-01-04",
};
export const textileMill: CommandOf<"add-unit"> = {
  type: "add-unit",
  unitId: "zhongxin-textile",
  name: "中兴纺织厂",
  kind: "enterprise",
  on: "2010-01-04",
};
export const winterWarmth: CommandOf<"open-program"> = {
  type: "open-program",
  programId: "winter-warmth",
  name: "送温暖",
  fundId: "warmth",
  requiresHardshipFile: true,
  methods: ["bank", "cash"],
  cap: { perPayment: "1000", perBeneficiaryPerYear: { count: 2 } },
  on: "2010-01-04",
};

/** A household of the textile mill, registered in January. */
export const household = (
  beneficiaryId: string,
  name: string,
  extra: Partial<CommandOf<"register-beneficiary">> = {},
): CommandOf<"register-beneficiary"> => ({
  type: "register-beneficiary",
  beneficiaryId,
  kind: "household",
  name,
  unitId: "zhongxin-textile",
  on: "2010-01-05",
  ...extra,
});

/** A student of a registered household, registered before the autumn grants. */
export const student = (
  beneficiaryId: string,
  name: string,
  householdId: string,
  extra: Partial<CommandOf<"register-beneficiary">> = {},
): CommandOf<"register-beneficiary"> => ({
  type: "register-beneficiary",
  beneficiaryId,
  kind: "student",
  name,
  householdId,
  on: "2010-08-01",
  ...extra,
});

/** A hardship file (困难职工档案) covering the rest of 2010. */
export const hardshipFile = (
  beneficiaryId: string,
  extra: Partial<CommandOf<"open-hardship-file">> = {},
): CommandOf<"open-hardship-file"> => ({
  type: "open-hardship-file",
  beneficiaryId,
  tier: "deep",
  cause: "下岗，丈夫重病",
  openedOn: "2010-01-06",
  validUntil: "2010-12-31",
  ...extra,
});
