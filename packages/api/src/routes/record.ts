import {
  type Command,
  type DomainError,
  evolveProposal,
  fingerprint,
  type JournalEvent,
  ProposalVoided,
} from "@relief-ledger/core";
import { type AppendResult, isPending, ledgerAppend } from "@relief-ledger/store";
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { domainProblem, ProblemError, problemFor } from "../problem.ts";
import { entryView } from "./common.ts";
import { proposalView } from "./proposal-view.ts";

/**
 * The idempotency key of a write: the header, required where money moves. Elsewhere a missing
 * key is derived from the request itself, so that sending the same registration twice records
 * it once.
 */
export function idempotencyKeyOf(c: Context<AppEnv>, required: boolean, requestHash: string): string {
  const key = c.req.header("idempotency-key");
  if (key !== undefined) {
    if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
      throw new ProblemError(
        problemFor("validation-failed", "the Idempotency-Key header must be 1 to 128 printable ASCII characters", {
          errors: [{ path: "header.idempotency-key", message: "1 to 128 printable ASCII characters" }],
        }),
      );
    }
    return key;
  }
  if (required) {
    throw new ProblemError(
      problemFor("idempotency-key-required", "money-moving requests need an Idempotency-Key header (a UUID, say)"),
    );
  }
  return `auto-${requestHash.slice(0, 40)}`;
}

/**
 * What an idempotency key guards: who asks (the token's subject), where, and the request as
 * validated. A key belongs to the caller that first used it, as payment APIs scope theirs: the
 * same key and body from another subject is idempotency-key-reused, never a replay of someone
 * else's answer. A key derived from the request (idempotencyKeyOf) differs per caller too, so
 * another caller's identical registration is decided afresh (and refused as a duplicate).
 */
export const requestFingerprint = (c: Context<AppEnv>, request: unknown): string =>
  fingerprint({ path: c.req.path, caller: c.var.principal.sub, request });

type AppendOptions = { readonly idempotencyKey: string; readonly requestHash: string };

/** Appends a command as the token's principal: what it recorded (or replayed), or the refusal as a value. */
export async function tryAppend(
  c: Context<AppEnv>,
  book: string,
  command: Command,
  options: AppendOptions,
): Promise<AppendResult> {
  const { journal, clock } = c.var.ledger;
  const principal = c.var.principal;
  const result = await journal.append(
    book,
    ledgerAppend(book, command, {
      idempotencyKey: options.idempotencyKey,
      actor: { sub: principal.sub, role: principal.role },
      requestHash: options.requestHash,
      ...(clock ? { clock } : {}),
    }),
  );
  if (result.ok && result.value.replayed) c.header("Idempotent-Replayed", "true");
  return result;
}

/** The problem a refusal answers with; a reused key may have been another caller's. */
export function refusal(error: DomainError, idempotencyKey: string): ProblemError {
  const message =
    error.code === "idempotency-key-reused"
      ? `idempotency key ${idempotencyKey} was used for another request, or by another caller`
      : error.message;
  return new ProblemError(domainProblem({ ...error, message }));
}

/**
 * Thrown for a request still pending (the store's handoff.ts), by the write when its wait is over
 * and by asking after it (routes/requests.ts), for the app to answer 202 (answerPending): neither
 * has anything else to say yet.
 */
export class RequestPending extends Error {
  readonly book: string;
  readonly idempotencyKey: string;

  constructor(book: string, idempotencyKey: string) {
    super(`request ${idempotencyKey} in book ${book} is pending`);
    this.book = book;
    this.idempotencyKey = idempotencyKey;
  }
}

/** Seconds to wait before asking after a pending request: a busy book's combiner decides its mail within about one. */
const PENDING_RETRY_AFTER_S = 1;

/** Where a request's outcome is read: its book and its key, which may hold any printable character. */
export const requestLocation = (book: string, idempotencyKey: string) =>
  `/v1/books/${book}/requests/${encodeURIComponent(idempotencyKey)}`;

/** The 202 of a request not decided yet (common.ts, requestPending): where and when to ask after it. */
export function answerPending(c: Context, book: string, idempotencyKey: string): Response {
  const location = requestLocation(book, idempotencyKey);
  return c.json({ status: "pending", idempotencyKey, location }, 202, {
    Location: location,
    "Retry-After": String(PENDING_RETRY_AFTER_S),
  });
}

/** Appends a command as the token's principal; a refusal becomes its problem, a pending one a 202. */
export async function appendCommand(
  c: Context<AppEnv>,
  book: string,
  command: Command,
  options: AppendOptions,
): Promise<{ events: readonly JournalEvent[]; replayed: boolean }> {
  const result = await tryAppend(c, book, command, options);
  if (isPending(result)) throw new RequestPending(book, options.idempotencyKey);
  if (!result.ok) throw refusal(result.error, options.idempotencyKey);
  return result.value;
}

/**
 * Records a command that makes one entry and returns that entry as the API shows it (oneEntry),
 * so that the first answer, any replay and the answer to asking after it (routes/requests.ts) are
 * the same bytes. The request (path and body as validated) is what the idempotency key guards:
 * the command may add what the server decides, such as today's date, which a retry tomorrow must
 * not turn into a conflict.
 */
export async function recordOne(
  c: Context<AppEnv>,
  book: string,
  command: Command,
  options: { money: boolean; request: unknown },
) {
  const requestHash = requestFingerprint(c, options.request);
  const idempotencyKey = idempotencyKeyOf(c, options.money, requestHash);
  const { events } = await appendCommand(c, book, command, { idempotencyKey, requestHash });
  const entry = oneEntry(events);
  c.header("Location", `/v1/books/${book}/entries/${entry.seq}`);
  return entry;
}

/** What a write that records one entry answers: that entry, as the API shows it. */
export const oneEntry = (events: readonly JournalEvent[]): JournalEvent => entryView(events[0] as JournalEvent);

/**
 * What a write answers, from the events it recorded alone, so that its first answer, a replay and
 * asking after it (routes/requests.ts) agree: a request held for approval answers 202 with the
 * proposal it made; an approval whose re-check refused the request answers that refusal (the
 * proposal is voided, and the problem says so); anything else answers 201 with its entry.
 */
export function writeAnswer(
  book: string,
  events: readonly JournalEvent[],
): { status: 201 | 202; body: unknown; location: string } {
  const [first] = events;
  if (!first) throw new Error("a write that recorded nothing has no answer");
  if (first.type === "ProposalMade") {
    const record = evolveProposal(undefined, first);
    if (!record) throw new Error(`entry ${first.seq} made no proposal`);
    return { status: 202, body: proposalView(book, record), location: `/v1/books/${book}/approvals/${record.id}` };
  }
  if (first.type === "ProposalVoided") {
    const voided = ProposalVoided.parse(first.payload);
    if (voided.reason === "recheck-failed" && voided.refusal) {
      const { code, message } = voided.refusal;
      const refused = { code, message, proposalId: voided.proposalId, voidedSeq: first.seq } as unknown as DomainError;
      throw new ProblemError(domainProblem(refused));
    }
  }
  return { status: 201, body: entryView(first), location: `/v1/books/${book}/entries/${first.seq}` };
}

/**
 * Answers a write as writeAnswer says, with its Location. Typed `never` for the route handlers:
 * which bodies each status carries is documented by the route's responses (entryOrProposal).
 */
export function answerWrite(c: Context<AppEnv>, book: string, events: readonly JournalEvent[]): never {
  const { status, body, location } = writeAnswer(book, events);
  c.header("Location", location);
  return c.json(body as Record<string, unknown>, status) as never;
}

/**
 * Records a command under a required Idempotency-Key and answers as writeAnswer says: a money
 * request 201 with its entry or 202 with the proposal it made, an approval with its entry.
 */
export async function recordAndAnswer(
  c: Context<AppEnv>,
  book: string,
  command: Command,
  request: unknown,
): Promise<never> {
  const requestHash = requestFingerprint(c, request);
  const idempotencyKey = idempotencyKeyOf(c, true, requestHash);
  const { events } = await appendCommand(c, book, command, { idempotencyKey, requestHash });
  return answerWrite(c, book, events);
}
