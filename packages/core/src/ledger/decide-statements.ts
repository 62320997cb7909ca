import type { Json } from "../canonical.ts";
import { type DomainError, domainError } from "../errors.ts";
import { type EventDraft, JournalEvent } from "../journal-event.ts";
import { formatAmount, type Minor, parseAmount } from "../money.ts";
import { bookItemOf, DEFAULT_TOLERANCE_DAYS, matchFault } from "../reconcile/match.ts";
import {
  bankLineOf,
  FundStatements,
  fundStatementsRef,
  parseBalance,
  StatementLines,
  StatementRecord,
  type StoredLine,
  statementHash,
  statementLinesRef,
  statementRef,
} from "../reconcile/statement.ts";
import { err } from "../result.ts";
import { entryRef } from "./beneficiary.ts";
import type { CommandOf } from "./commands.ts";
import { type FundBankAccountRecord, fundBankAccountRef } from "./decide-bank.ts";
import {
  currencyOf,
  type DecideContext,
  type Decision,
  decided,
  defined,
  type EntityWrite,
  endOfPeriod,
} from "./decision.ts";
import type { BookInfo, BookState } from "./state.ts";

type Statement = CommandOf<"record-bank-statement">;
type ProposedMatch = Statement["matches"][number];
type FieldError = { path: string; message: string };

/** The months of a fund's recorded statements, as loaded (none when the list is not there yet). */
const periodsOf = (loaded: Json | null | undefined): string[] => (loaded ? FundStatements.parse(loaded).periods : []);

/** The earlier statements whose outstanding lines the proposed matches pair, each once. */
const carriedPeriods = (command: Statement): string[] =>
  [...new Set(command.matches.flatMap((match) => (match.period === undefined ? [] : [match.period])))].sort();

/**
 * What recording a statement reads: its own item, the list of the fund's statements and then each
 * of them (an entry any of them matched is not this one's to match), the lines of those whose
 * outstanding lines it matches, and each matched entry.
 */
export const statementReads = (command: Statement, loaded: (ref: string) => Json | null | undefined): string[] => [
  statementRef(command.fundId, command.period),
  fundBankAccountRef(command.fundId),
  fundStatementsRef(command.fundId),
  ...periodsOf(loaded(fundStatementsRef(command.fundId))).map((period) => statementRef(command.fundId, period)),
  ...carriedPeriods(command).map((period) => statementLinesRef(command.fundId, period)),
  ...new Set(command.matches.map((match) => entryRef(match.entrySeq))),
];

export const matchReads = (command: { fundId: string; period: string }): string[] => [
  statementRef(command.fundId, command.period),
];

const invalid = (errors: FieldError[]) =>
  err(domainError("bank-statement-invalid", errors[0]?.message ?? "the statement is not valid", { errors }));

const recordOf = (value: Json | null | undefined): StatementRecord | undefined =>
  value ? StatementRecord.parse(value) : undefined;

/**
 * Records a month's bank statement of a fund's account and the matches the rules found. The same
 * statement again records nothing; another statement for the same fund and month is refused
 * (bank-statement-exists): a statement is what the bank printed, and replacing one would silently
 * unmake matches finance may have confirmed. Each proposed match is checked against its entry.
 * A match of an earlier statement's outstanding line (the book has since recorded what it moved)
 * is that statement's: journalled by a BankLinesMatched of its month and kept in its item.
 * The events are dated today (the statement's month may be closed already: its rollup, which a
 * verify recomputes, must not change); the month is in the payload.
 */
export function recordBankStatement(
  command: Statement,
  state: BookState,
  book: BookInfo,
  ctx: DecideContext,
): Decision {
  const { fundId, period } = command;
  if (!state.funds[fundId]) return err(domainError("fund-not-found", `no fund ${fundId}`, { fundId }));
  if (endOfPeriod(period) >= ctx.today) {
    return err(
      domainError("period-not-over", `${period} is not over (today is ${ctx.today})`, { period, today: ctx.today }),
    );
  }
  const linked = (ctx.entities(fundBankAccountRef(fundId)) ?? undefined) as FundBankAccountRecord | undefined;
  if (linked && command.accountLast4 !== undefined && command.accountLast4 !== linked.last4) {
    return err(
      domainError(
        "bank-account-mismatch",
        `the statement is of account …${command.accountLast4}, and ${fundId}'s account ends in ${linked.last4}`,
        { fundId, accountLast4: command.accountLast4, linkedLast4: linked.last4 },
      ),
    );
  }
  // A statement of a fund whose account is linked is of that account, named or not.
  const accountLast4 = command.accountLast4 ?? linked?.last4;
  const currency = currencyOf(book);
  const errors: FieldError[] = [];
  const opening = parseBalance(command.openingBalance, currency);
  const closing = parseBalance(command.closingBalance, currency);
  if (opening === undefined)
    errors.push({ path: "openingBalance", message: 'must be an amount like "1200.00" or "-35.50"' });
  if (closing === undefined)
    errors.push({ path: "closingBalance", message: 'must be an amount like "1200.00" or "-35.50"' });
  const lines: StoredLine[] = [];
  let totalIn: Minor = 0n;
  let totalOut: Minor = 0n;
  for (const [index, input] of command.lines.entries()) {
    const amount = parseAmount(input.amount, currency);
    if (!amount.ok) errors.push({ path: `lines.${index}.amount`, message: amount.error.message });
    if (!input.date.startsWith(`${period}-`)) {
      errors.push({ path: `lines.${index}.date`, message: `${input.date} is not in the statement's month ${period}` });
    }
    const minor = amount.ok ? amount.value : 0n;
    if (input.direction === "in") totalIn += minor;
    else totalOut += minor;
    lines.push(
      defined({
        line: index + 1,
        date: input.date,
        amount: formatAmount(minor, currency),
        direction: input.direction,
        counterparty: input.counterparty,
        counterpartyLast4: input.counterpartyLast4,
        reference: input.reference,
      }) as StoredLine,
    );
  }
  if (errors.length > 0) return invalid(errors);
  if ((opening as Minor) + totalIn - totalOut !== closing) {
    const expected = formatAmount((opening as Minor) + totalIn - totalOut, currency);
    return invalid([
      {
        path: "closingBalance",
        message: `the opening balance and the lines come to ${expected}, not ${command.closingBalance}`,
      },
    ]);
  }
  const figures = {
    fundId,
    period,
    openingBalance: formatAmount(opening as Minor, currency),
    closingBalance: formatAmount(closing as Minor, currency),
    ...(accountLast4 !== undefined ? { accountLast4 } : {}),
  };
  const hash = statementHash({ ...figures, lines });
  const existing = recordOf(ctx.entities(statementRef(fundId, period)));
  if (existing) {
    if (existing.statementHash === hash) return decided([]);
    return err(
      domainError("bank-statement-exists", `a different statement of ${fundId} for ${period} is recorded already`, {
        fundId,
        period,
        statementHash: existing.statementHash,
      }),
    );
  }
  const toleranceDays = command.toleranceDays ?? DEFAULT_TOLERANCE_DAYS;
  const checked = checkMatches(command, lines, toleranceDays, book, ctx);
  if (checked.length > 0) return invalid(checked);

  const on = ctx.today;
  const recordedSeq = ctx.headSeq + 1;
  const recorded = {
    ...figures,
    statementHash: hash,
    lineCount: lines.length,
    totalIn: formatAmount(totalIn, currency),
    totalOut: formatAmount(totalOut, currency),
    toleranceDays,
  };
  const events: EventDraft[] = [
    {
      type: "BankStatementRecorded",
      occurredOn: on,
      payload: defined({ ...recorded, accountLast4 }),
    },
  ];
  const writes: EntityWrite[] = [];
  /** Journals one statement's new matches, and gives them as its item keeps them. */
  const matched = (month: string, statementHashOf: string, proposed: readonly ProposedMatch[]) => {
    if (proposed.length === 0) return [];
    const matches = proposed.map(({ line, entrySeq, rule }) => ({ line, entrySeq, rule }));
    const matchedSeq = recordedSeq + events.length;
    events.push({
      type: "BankLinesMatched",
      occurredOn: on,
      payload: { fundId, period: month, statementHash: statementHashOf, matches },
    });
    return matches.map((match) => ({ ...match, matchedSeq }));
  };
  const own = [...command.matches].filter((match) => match.period === undefined).sort((a, b) => a.line - b.line);
  const record: StatementRecord = { ...recorded, recordedSeq, matches: matched(period, hash, own), undone: [] };
  for (const month of carriedPeriods(command)) {
    const earlier = recordOf(ctx.entities(statementRef(fundId, month))) as StatementRecord;
    const proposed = command.matches.filter((match) => match.period === month).sort((a, b) => a.line - b.line);
    const matches = [...earlier.matches, ...matched(month, earlier.statementHash, proposed)].sort(
      (a, b) => a.line - b.line,
    );
    writes.push({ ref: statementRef(fundId, month), value: { ...earlier, matches } as unknown as Json });
  }
  const periods = [...periodsOf(ctx.entities(fundStatementsRef(fundId))), period].sort();
  return decided(events, {
    writes: [
      { ref: fundStatementsRef(fundId), value: { fundId, periods } },
      { ref: statementRef(fundId, period), value: record as unknown as Json },
      { ref: statementLinesRef(fundId, period), value: { fundId, period, lines } as unknown as Json },
      ...writes,
    ],
  });
}

/**
 * Why any of the proposed matches does not hold: each line and entry once (an entry another
 * statement of the fund matched is taken, whatever its month), the entry the fund's, the rule's
 * condition met.
 */
function checkMatches(
  command: Statement,
  lines: readonly StoredLine[],
  toleranceDays: number,
  book: BookInfo,
  ctx: DecideContext,
): FieldError[] {
  const currency = currencyOf(book);
  const taken = new Set<number>();
  for (const period of periodsOf(ctx.entities(fundStatementsRef(command.fundId)))) {
    if (period === command.period) continue;
    for (const match of recordOf(ctx.entities(statementRef(command.fundId, period)))?.matches ?? []) {
      taken.add(match.entrySeq);
    }
  }
  const earlier = new Set(periodsOf(ctx.entities(fundStatementsRef(command.fundId))));
  /** The line a match names, unless it cannot be matched: this statement's, or an earlier one's left unmatched. */
  const lineOf = (match: ProposedMatch): StoredLine | undefined => {
    if (match.period === undefined) return lines[match.line - 1];
    if (match.period >= command.period || !earlier.has(match.period)) return undefined;
    const record = recordOf(ctx.entities(statementRef(command.fundId, match.period)));
    if (record?.matches.some((each) => each.line === match.line)) return undefined;
    const stored = ctx.entities(statementLinesRef(command.fundId, match.period));
    return stored ? StatementLines.parse(stored).lines[match.line - 1] : undefined;
  };
  const errors: FieldError[] = [];
  const seenLines = new Set<string>();
  for (const [index, match] of command.matches.entries()) {
    const path = `matches.${index}`;
    const key = `${match.period ?? command.period}#${match.line}`;
    const stored = lineOf(match);
    const loaded = ctx.entities(entryRef(match.entrySeq));
    const event = loaded ? JournalEvent.safeParse(loaded) : undefined;
    const item = event?.success ? bookItemOf(event.data, command.fundId, currency) : undefined;
    const named = match.period === undefined ? `line ${match.line}` : `line ${match.line} of ${match.period}`;
    if (!stored || seenLines.has(key)) errors.push({ path, message: `${named} cannot be matched` });
    else if (!item) errors.push({ path, message: `entry ${match.entrySeq} moves no money of ${command.fundId}` });
    else if (taken.has(match.entrySeq)) errors.push({ path, message: `entry ${match.entrySeq} is matched already` });
    else {
      const fault = matchFault(bankLineOf(stored, currency), item, match.rule, toleranceDays);
      if (fault) errors.push({ path, message: fault });
    }
    seenLines.add(key);
    taken.add(match.entrySeq);
  }
  return errors;
}

/** The statement a confirm or an undo names, and the match of its line. */
function matchOf(
  command: { fundId: string; period: string; line: number },
  ctx: DecideContext,
): { record: StatementRecord; index: number } | DomainError {
  const { fundId, period, line } = command;
  const record = recordOf(ctx.entities(statementRef(fundId, period)));
  if (!record)
    return domainError("bank-statement-not-found", `no statement of ${fundId} for ${period}`, { fundId, period });
  const index = record.matches.findIndex((match) => match.line === line);
  if (index < 0) {
    return domainError("bank-match-not-found", `line ${line} of ${fundId}'s ${period} statement is not matched`, {
      fundId,
      period,
      line,
    });
  }
  return { record, index };
}

/** Finance confirms a match: once. */
export function confirmBankMatch(command: CommandOf<"confirm-bank-match">, ctx: DecideContext): Decision {
  const found = matchOf(command, ctx);
  if ("code" in found) return err(found);
  const { record, index } = found;
  const match = record.matches[index] as StatementRecord["matches"][number];
  const { fundId, period, line } = command;
  if (match.confirmedSeq !== undefined) {
    return err(
      domainError("bank-match-confirmed", `line ${line} is confirmed already`, {
        fundId,
        period,
        line,
        entrySeq: match.entrySeq,
      }),
    );
  }
  const seq = ctx.headSeq + 1;
  const matches = record.matches.map((each, at) => (at === index ? { ...each, confirmedSeq: seq } : each));
  const payload = defined({
    fundId,
    period,
    statementHash: record.statementHash,
    line,
    entrySeq: match.entrySeq,
    note: command.note,
  });
  return decided([{ type: "BankMatchConfirmed", occurredOn: ctx.today, payload }], {
    writes: [{ ref: statementRef(fundId, period), value: { ...record, matches } as unknown as Json }],
  });
}

/** Finance undoes a match, confirmed or not, with its reason: the line and the entry are reconciling items again. */
export function undoBankMatch(command: CommandOf<"undo-bank-match">, ctx: DecideContext): Decision {
  const found = matchOf(command, ctx);
  if ("code" in found) return err(found);
  const { record, index } = found;
  const match = record.matches[index] as StatementRecord["matches"][number];
  const { fundId, period, line, reason } = command;
  const seq = ctx.headSeq + 1;
  const undone = [...record.undone, { line, entrySeq: match.entrySeq, rule: match.rule, reason, undoneSeq: seq }];
  const matches = record.matches.filter((_, at) => at !== index);
  const payload = { fundId, period, statementHash: record.statementHash, line, entrySeq: match.entrySeq, reason };
  return decided([{ type: "BankMatchUndone", occurredOn: ctx.today, payload }], {
    writes: [{ ref: statementRef(fundId, period), value: { ...record, matches, undone } as unknown as Json }],
  });
}
