import type { Json } from "../canonical.ts";
import type { DomainError } from "../errors.ts";
import { type Actor, type ChainHead, chainEvents, EMPTY_HEAD, type JournalEvent } from "../journal-event.ts";
import { err, ok, type Result } from "../result.ts";
import type { Command } from "./commands.ts";
import { decide, readsOf } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { type BookState, initialState } from "./state.ts";

/** Who acts in the memory ledger unless a command says otherwise: the finance office. */
export const FINANCE_OFFICE: Actor = { sub: "finance-office", role: "finance" };

/**
 * The ledger in memory: the same decide, evolve and entity writes the journal runs, without
 * DynamoDB. For domain tests (given these commands, when this one, then these events) and for
 * generating data; the journal is the real thing.
 */
export class MemoryLedger {
  state: BookState = initialState();
  head: ChainHead = EMPTY_HEAD;
  readonly events: JournalEvent[] = [];
  readonly entities = new Map<string, Json>();
  readonly claims = new Map<string, string>();
  /** What the last command recorded was answered with instead of success (Decided.answer), if anything. */
  answered: DomainError | undefined;
  private readonly book: string;
  private today: string;
  private sequence = 0;

  constructor(book: string, today = "2010-12-31") {
    this.book = book;
    this.today = today;
  }

  setToday(today: string) {
    this.today = today;
  }

  execute(command: Command, actor: Actor = FINANCE_OFFICE): Result<JournalEvent[], DomainError> {
    const lookup = (ref: string): Json | null => {
      if (ref.startsWith("event/"))
        return (this.events[Number(ref.slice("event/".length)) - 1] as Json | undefined) ?? null;
      if (ref.startsWith("claim/")) return this.claimed(ref);
      return this.entities.get(ref) ?? null;
    };
    // Everything is at hand, but only what readsOf asks for is loaded, pass by pass as the store
    // loads it: a read a command forgets throws here, in a domain test, before it can in DynamoDB.
    const loaded = new Map<string, Json | null>();
    const view = (ref: string) => loaded.get(ref);
    for (;;) {
      const fresh = readsOf(command, view, this.state).filter((ref) => !loaded.has(ref));
      if (fresh.length === 0) break;
      for (const ref of fresh) loaded.set(ref, lookup(ref));
    }
    const decision = decide(command, this.state, {
      book: this.book,
      actor,
      today: this.today,
      headSeq: this.head.seq,
      entities: view,
    });
    if (!decision.ok) return decision;
    this.answered = decision.value.answer;
    for (const claim of decision.value.claims) {
      const existing = this.claims.get(`${claim.kind}|${claim.value}`);
      if (existing !== undefined) return err(claim.onTaken(existing));
    }
    for (const claim of decision.value.claims) this.claims.set(`${claim.kind}|${claim.value}`, claim.owner);
    this.sequence += 1;
    const { events, head } = chainEvents(this.head, decision.value.events, {
      book: this.book,
      recordedAt: new Date(Date.UTC(2010, 0, 1, 0, 0, this.sequence)).toISOString(),
      actor,
      idempotencyKey: `memory-${this.sequence}`,
    });
    this.events.push(...events);
    this.state = events.reduce(evolve, this.state);
    this.head = head;
    for (const write of decision.value.writes) this.entities.set(write.ref, write.value);
    return ok(events);
  }

  /** A claim as the store reads one (claimRef): `{ owner }`, or null when nobody holds it. */
  claimed(ref: string): Json | null {
    const [, kind = "", ...value] = ref.split("/");
    const owner = this.claims.get(`${kind}|${value.join("/")}`);
    return owner === undefined ? null : { owner };
  }

  /** Runs commands that must all succeed (the "given" of a test). */
  given(...commands: Command[]): this {
    for (const command of commands) {
      const result = this.execute(command);
      if (!result.ok) throw new Error(`given ${command.type}: ${result.error.code}: ${result.error.message}`);
    }
    return this;
  }

  entry(seq: number): JournalEvent | undefined {
    return this.events[seq - 1];
  }
}
