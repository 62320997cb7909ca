import type { Actor, Command } from "@relief-ledger/core";

/** A bank account the demo puts on file, in the clear: sealed only when the demo is loaded (load.ts). */
export type DemoAccount = { readonly bank: string; readonly accountName: string; readonly accountNumber: string };

/** One command of the demo, as the finance office, the audit committee or the admin would send it. */
export type DemoStep = {
  readonly command: Command;
  /**
   * A set-bank-account step's account. Its command holds neither the sealed account nor its keyed
   * hash (bank.ts, UNSEALED): both take the deployment's keys, which a pure script does not have,
   * so the load seals the account and hashes its number as the API does, and only then appends.
   */
  readonly account?: DemoAccount;
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** Its business date, and so "today" when the ledger decides it: an approval is dated the day it is given. */
  readonly today: string;
  /** How many events it records: the next step's first event is this step's first plus these. */
  readonly events: number;
};

export type DemoScript = {
  readonly book: string;
  readonly seed: number;
  /** In calendar order: appended in this order, the journal's business dates never go back a month. */
  readonly steps: readonly DemoStep[];
  /** The months the monthly rollup should close, in order, once the script is in. */
  readonly monthsToClose: readonly string[];
  /** Events the script records in a fresh book: the head's seq after a complete load. */
  readonly eventCount: number;
  /** The files the bank loop exchanged (bank.ts), as bytes: the journal keeps only their hashes. */
  readonly bankFiles: readonly DemoBankFiles[];
};

/** A spring batch's disbursement file (代发文件) and the bank's result file (回盘文件) for it. */
export type DemoBankFiles = { readonly batchId: string; readonly file: Uint8Array; readonly results: Uint8Array };

/**
 * Finds the seq of a step's first event (plus `line` for a line of a payout chunk). A money entry
 * held by an approval policy is recorded by the approval that posts it: name that step's key.
 */
export type SeqOf = (idempotencyKey: string, line?: number) => number;

type Draft = {
  readonly date: string;
  readonly phase: number;
  readonly order: number;
  readonly actor: Actor;
  readonly idempotencyKey: string;
  /** A command that names journal entries (a reversal, a finding, an approval) is built once seqs are known. */
  readonly command: Command | ((seqOf: SeqOf) => Command);
  readonly events: number;
  readonly account?: DemoAccount;
};

/** How a step is placed among the day's steps, and how many events it records when its command cannot say. */
export type StepOptions = { readonly phase?: number; readonly events?: number; readonly account?: DemoAccount };

/**
 * Within one business date, what must come first: the registry before the money, money in
 * before money out, corrections and audit work last. Across dates, the calendar decides.
 */
const PHASES: Partial<Record<Command["type"], number>> = {
  "open-book": 0,
  "open-fund": 1,
  "add-unit": 2,
  "open-program": 3,
  "set-approval-policy": 3,
  "register-beneficiary": 4,
  "import-beneficiaries-chunk": 4,
  "open-hardship-file": 5,
  "set-bank-account": 5,
  "record-collection": 6,
  "record-transfer": 7,
  "record-payout": 8,
  "record-payout-chunk": 8,
  "reverse-entry": 9,
  "return-payout": 9,
};
const LAST_PHASE = 10;

/**
 * How many events a command records when no approval policy holds it: one, a payout chunk's lines
 * and its summary, or a roster chunk's rows (registered, and their file opened when they have one)
 * and its summary, every row being new in the demo's fresh book; a bank result chunk's returns and
 * its summary. Held, a money command records one
 * (its proposal), and the approval that posts it records what the command would have.
 */
export const eventsOf = (command: Command): number => {
  switch (command.type) {
    case "record-payout-chunk":
      return command.lines.length + 1;
    case "import-beneficiaries-chunk":
      return command.rows.reduce((events, row) => events + (row.file ? 2 : 1), 1);
    case "record-bank-results-chunk":
      // Each failed line's PayoutReturned, and the chunk's summary: no line of the demo's is returned twice.
      return command.failed.length + 1;
    default:
      return 1;
  }
};

/**
 * Collects the demo's commands section by section, then puts them in calendar order. The journal
 * numbers events 1, 2, 3… in append order and a fresh book is appended in script order, so the
 * seq of every event is known here: reversals and findings can name the entries they concern.
 */
export class ScriptBuilder {
  private readonly drafts: Draft[] = [];
  private readonly keys = new Set<string>();
  private readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /**
   * Adds a command on a business date; `key` is the idempotency key's tail, unique in the script.
   * A deferred command records one event unless `events` says otherwise (an approval that posts a chunk).
   */
  add(
    date: string,
    actor: Actor,
    key: string,
    command: Command | ((seqOf: SeqOf) => Command),
    options: StepOptions = {},
  ): void {
    const idempotencyKey = `${this.prefix}/${key}`;
    if (this.keys.has(idempotencyKey)) throw new Error(`duplicate demo key ${idempotencyKey}`);
    this.keys.add(idempotencyKey);
    const deferred = typeof command === "function";
    const phase = options.phase ?? (deferred ? LAST_PHASE : (PHASES[command.type] ?? LAST_PHASE));
    const events = options.events ?? (deferred ? 1 : eventsOf(command));
    const { account } = options;
    this.drafts.push({
      date,
      phase,
      order: this.drafts.length,
      actor,
      idempotencyKey,
      command,
      events,
      ...(account ? { account } : {}),
    });
  }

  /** The phase a command is placed in among the day's steps: its approvals follow it there. */
  phaseOf(command: Command): number {
    return PHASES[command.type] ?? LAST_PHASE;
  }

  /** The key a step was added under, for a later step that refers to it. */
  keyOf(key: string): string {
    return `${this.prefix}/${key}`;
  }

  build(meta: {
    book: string;
    seed: number;
    monthsToClose: readonly string[];
    bankFiles: readonly DemoBankFiles[];
  }): DemoScript {
    const sorted = [...this.drafts].sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.phase - b.phase || a.order - b.order,
    );
    const firstSeq = new Map<string, number>();
    let seq = 0;
    for (const draft of sorted) {
      firstSeq.set(draft.idempotencyKey, seq + 1);
      seq += draft.events;
    }
    const seqOf: SeqOf = (key, line = 0) => {
      const first = firstSeq.get(key);
      if (first === undefined) throw new Error(`no demo step ${key}`);
      return first + line;
    };
    const steps = sorted.map((draft): DemoStep => {
      const command = typeof draft.command === "function" ? draft.command(seqOf) : draft.command;
      const { actor, idempotencyKey, date: today, events, account } = draft;
      return { command, actor, idempotencyKey, today, events, ...(account ? { account } : {}) };
    });
    return { ...meta, steps, eventCount: seq };
  }
}

/** A business date in 2010. */
export const on = (month: number, day: number): string =>
  `2010-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;

export const addDays = (date: string, days: number): string => {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
};

/** Whole yuan as the ledger's decimal string. */
export const yuan = (amount: number): string => {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`not a whole positive amount: ${amount}`);
  return `${amount}.00`;
};

/** An amount in fen (hundredths of a yuan) as the ledger's decimal string. */
export const fen = (amount: number): string => {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`not a whole positive amount of fen: ${amount}`);
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, "0")}`;
};
