import type { Json } from "../canonical.ts";
import type { EventDraft, EventFacts } from "../journal-event.ts";
import {
  type AuditRecord,
  auditOf,
  auditRef,
  evolveAudit,
  evolveFinding,
  type FindingRecord,
  findingOf,
  findingRef,
} from "./audit.ts";
import { type BeneficiaryRecord, beneficiariesOf, beneficiaryRef, evolveBeneficiary } from "./beneficiary.ts";
import type { DecideContext, EntityWrite } from "./decision.ts";
import { evolveProposal, type ProposalRecord, proposalOf, proposalRef } from "./proposal.ts";
import type { BookInfo } from "./state.ts";

/**
 * An entity kept beside the journal (a beneficiary's record, an audit, a finding): which entity
 * an event changes, and how. The writes of every decision are folded with these same functions,
 * so the stored entities are always what a replay of the journal would give.
 */
export type Projection = {
  readonly refsOf: (event: EventDraft) => readonly string[];
  /**
   * Whether the event makes its entity afresh, with nothing before it to load: a proposal's id is
   * the seq of the event that makes it, which no command can know before it is decided.
   */
  readonly creates?: (event: EventDraft) => boolean;
  readonly evolve: (record: Json | undefined, event: EventFacts, book: BookInfo) => Json | undefined;
};

export const beneficiaryProjection: Projection = {
  refsOf: (event) => beneficiariesOf(event).map(beneficiaryRef),
  evolve: (record, event, book) =>
    evolveBeneficiary(record as BeneficiaryRecord | undefined, event, book.currency) as Json | undefined,
};

export const auditProjection: Projection = {
  refsOf: (event) => {
    const id = auditOf(event);
    return id === undefined ? [] : [auditRef(id)];
  },
  evolve: (record, event) => evolveAudit(record as AuditRecord | undefined, event) as Json | undefined,
};

export const findingProjection: Projection = {
  refsOf: (event) => {
    const id = findingOf(event);
    return id === undefined ? [] : [findingRef(id)];
  },
  evolve: (record, event, book) =>
    evolveFinding(record as FindingRecord | undefined, event, book.currency) as Json | undefined,
};

export const proposalProjection: Projection = {
  refsOf: (event) => {
    const id = proposalOf(event);
    return id === undefined ? [] : [proposalRef(id)];
  },
  creates: (event) => event.type === "ProposalMade",
  evolve: (record, event) => evolveProposal(record as ProposalRecord | undefined, event) as Json | undefined,
};

/** A book's listing entry, so that the monthly job can find every book. */
export const bookProjection: Projection = {
  refsOf: (event) => (event.type === "BookOpened" ? ["book/-"] : []),
  evolve: (_record, event) => ({ id: event.book, name: String(event.payload.name), openedOn: event.occurredOn }),
};

/** Every projection of the ledger. */
const projections: readonly Projection[] = [
  bookProjection,
  beneficiaryProjection,
  auditProjection,
  findingProjection,
  proposalProjection,
];

/** The entities a decision's events change, each folded once from its loaded value. */
export function entityWrites(events: readonly EventDraft[], ctx: DecideContext, book: BookInfo): EntityWrite[] {
  const changed = new Map<string, Json | undefined>();
  for (const [index, event] of events.entries()) {
    // The seq it will be recorded at: the decision's events follow the head it was decided against.
    const facts = { ...event, book: ctx.book, seq: ctx.headSeq + 1 + index };
    for (const projection of projections) {
      for (const ref of projection.refsOf(event)) {
        const before = changed.has(ref)
          ? changed.get(ref)
          : projection.creates?.(event)
            ? undefined
            : (ctx.entities(ref) ?? undefined);
        changed.set(ref, projection.evolve(before, facts, book));
      }
    }
  }
  return [...changed].flatMap(([ref, value]) => (value === undefined ? [] : [{ ref, value }]));
}
