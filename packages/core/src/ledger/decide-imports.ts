import { type DomainError, domainError } from "../errors.ts";
import type { EventDraft } from "../journal-event.ts";
import { err } from "../result.ts";
import { type BeneficiaryRecord, beneficiaryRef, claimRef, currentFile } from "./beneficiary.ts";
import type { CommandOf, ImportRow } from "./commands.ts";
import { type ClaimRequest, type DecideContext, type Decision, decided, defined } from "./decision.ts";
import type { RowRefusal } from "./events.ts";
import type { BookState } from "./state.ts";

type Chunk = CommandOf<"import-beneficiaries-chunk">;
type Loaded = DecideContext["entities"];

/** The claim kind of an ID number's keyed hash: one person, one registration (registerBeneficiary). */
const ID_NUMBER = "id-number";

/**
 * What a chunk reads: each row's record, the owner of its ID number's claim, and its household's
 * record. Re-importing a roster must skip whoever is on file, and the claim says whether a hash is
 * on file under another id, which would otherwise only show as a cancelled transaction.
 */
export const importReads = (command: Chunk): string[] => [
  ...new Set(
    command.rows.flatMap((row) => [
      beneficiaryRef(row.beneficiaryId),
      ...(row.idNumberHash ? [claimRef(ID_NUMBER, row.idNumberHash)] : []),
      ...(row.householdId ? [beneficiaryRef(row.householdId)] : []),
    ]),
  ),
];

/** Who holds a claim, as loaded: its owner's id, or undefined when nobody does. */
const claimOwner = (entities: Loaded, hash: string): string | undefined => {
  const claim = entities(claimRef(ID_NUMBER, hash)) as { owner?: unknown } | null | undefined;
  return typeof claim?.owner === "string" ? claim.owner : undefined;
};

type Outcome =
  | { readonly kind: "registered" | "file-opened" | "skipped"; readonly events: readonly EventDraft[] }
  | { readonly kind: "refused"; readonly error: DomainError };

/**
 * Decides one chunk of a roster import, row by row: a new beneficiary is registered (its ID
 * number's hash claimed) and their hardship file opened; one already on file with the same ID
 * number is skipped, or has its file opened if it has none open, so that importing a roster again
 * records nothing twice; a row that contradicts what is on file (the hash is another
 * beneficiary's, the id is on file with another hash, an unknown unit or household) is refused
 * and listed. The chunk's summary event tells the story; a chunk that records nothing new writes
 * nothing, and one with refusals only is refused as a whole (import-refused) with every row's reason.
 *
 * Imported files are recorded as of the import (`on`, today by default), each with its own dates:
 * a roster brings in files opened years before the book, which no business date could carry.
 */
export function importBeneficiariesChunk(
  command: Chunk,
  state: BookState,
  ctx: DecideContext,
  records: (id: string) => BeneficiaryRecord | undefined,
): Decision {
  const on = command.on ?? ctx.today;
  // What this chunk has registered so far: a member may follow their household in the same chunk.
  const fresh = new Map<string, { idNumberHash?: string }>();
  const claimed = new Set<string>();
  const events: EventDraft[] = [];
  const claims: ClaimRequest[] = [];
  const refused: RowRefusal[] = [];
  const counts = { registered: 0, filesOpened: 0, skipped: 0 };
  for (const row of command.rows) {
    const outcome = decideRow(row, {
      state,
      on,
      today: ctx.today,
      record: (id) => records(id) ?? fresh.get(id),
      hashTaken: (hash) => claimOwner(ctx.entities, hash) ?? (claimed.has(hash) ? "" : undefined),
    });
    if (outcome.kind === "refused") {
      const { code, message } = outcome.error;
      refused.push({ row: row.row, beneficiaryId: row.beneficiaryId, code, message });
      continue;
    }
    events.push(...outcome.events);
    if (outcome.kind === "skipped") counts.skipped += 1;
    if (outcome.kind === "file-opened") counts.filesOpened += 1;
    if (outcome.kind === "registered") {
      counts.registered += 1;
      if (row.file) counts.filesOpened += 1;
      fresh.set(row.beneficiaryId, defined({ idNumberHash: row.idNumberHash }));
      if (row.idNumberHash) {
        claimed.add(row.idNumberHash);
        claims.push(idNumberClaim(row.idNumberHash, row.beneficiaryId));
      }
    }
  }
  if (events.length === 0) {
    if (refused.length === 0) return decided([]);
    const message = `none of the chunk's ${command.rows.length} rows could be recorded`;
    return err(domainError("import-refused", message, { importId: command.importId, chunk: command.chunk, refused }));
  }
  const summary = {
    type: "BeneficiaryImportChunkRecorded",
    occurredOn: on,
    payload: {
      importId: command.importId,
      chunk: command.chunk,
      rowCount: command.rows.length,
      ...counts,
      refused: refused.map((refusal) => ({ ...refusal })),
    },
  };
  return decided([...events, summary], { claims });
}

type RowContext = {
  readonly state: BookState;
  readonly on: string;
  readonly today: string;
  readonly record: (id: string) => { idNumberHash?: string; files?: BeneficiaryRecord["files"] } | undefined;
  /** The id that holds the hash ("" for a row of this chunk), or undefined when it is free. */
  readonly hashTaken: (hash: string) => string | undefined;
};

function decideRow(row: ImportRow, context: RowContext): Outcome {
  const { beneficiaryId, idNumberHash, file } = row;
  const existing = context.record(beneficiaryId);
  if (file && file.openedOn > context.today) {
    return refuse(
      domainError("future-date", `the file's opening date ${file.openedOn} is after today (${context.today})`, {
        on: file.openedOn,
        today: context.today,
      }),
    );
  }
  if (file && file.validUntil < file.openedOn) {
    return refuse(
      domainError("invalid-date-range", "validUntil is before openedOn", { from: file.openedOn, to: file.validUntil }),
    );
  }
  if (existing) {
    // The same person: the row names no ID number, or the one on file.
    if (idNumberHash !== undefined && existing.idNumberHash !== idNumberHash) {
      return refuse(
        domainError("beneficiary-exists", `beneficiary ${beneficiaryId} is on file with another ID number`, {
          beneficiaryId,
        }),
      );
    }
    const open = existing.files ? currentFile({ files: existing.files } as BeneficiaryRecord) : undefined;
    // Registered by an earlier row of this chunk (no files yet), or with a file open: nothing to add.
    if (!file || open || existing.files === undefined) return { kind: "skipped", events: [] };
    return { kind: "file-opened", events: [fileOpened(row, file, context.on)] };
  }
  if (idNumberHash !== undefined) {
    const holder = context.hashTaken(idNumberHash);
    if (holder !== undefined) {
      const named = holder === "" ? "an earlier row of the same import" : `beneficiary ${holder}`;
      return refuse(
        domainError("id-number-registered", `this ID number is already registered as ${named}`, {
          existingBeneficiaryId: holder,
        }),
      );
    }
  }
  if (row.unitId && !context.state.units[row.unitId]) {
    return refuse(domainError("unit-not-found", `no unit ${row.unitId} in this book`, { unitId: row.unitId }));
  }
  if (row.householdId && !context.record(row.householdId)) {
    return refuse(
      domainError("beneficiary-not-found", `no household ${row.householdId} in this book or before this row`, {
        beneficiaryId: row.householdId,
      }),
    );
  }
  const registered: EventDraft = {
    type: "BeneficiaryRegistered",
    occurredOn: context.on,
    payload: defined({
      beneficiaryId,
      kind: row.kind,
      name: row.name,
      idNumberHash,
      unitId: row.unitId,
      householdId: row.householdId,
    }),
  };
  return { kind: "registered", events: file ? [registered, fileOpened(row, file, context.on)] : [registered] };
}

const refuse = (error: DomainError): Outcome => ({ kind: "refused", error });

const fileOpened = (row: ImportRow, file: NonNullable<ImportRow["file"]>, on: string): EventDraft => ({
  type: "HardshipFileOpened",
  occurredOn: on,
  payload: { beneficiaryId: row.beneficiaryId, ...file },
});

const idNumberClaim = (hash: string, owner: string): ClaimRequest => ({
  kind: ID_NUMBER,
  value: hash,
  owner,
  onTaken: (existing) =>
    domainError("id-number-registered", `this ID number is already registered as beneficiary ${existing}`, {
      existingBeneficiaryId: existing,
    }),
});

/**
 * A roster's rows in the order to import them: every household before its members (a member is
 * registered against its household's record), otherwise as in the file. A row in a household
 * cycle (a household of its own member) cannot be ordered and is returned apart.
 */
export function orderForImport<R extends { readonly beneficiaryId: string; readonly householdId?: string }>(
  rows: readonly R[],
): { readonly ordered: R[]; readonly cyclic: R[] } {
  const byId = new Map(rows.map((row) => [row.beneficiaryId, row]));
  /** A row's distance from the top of its households' chain; -1 when the chain runs in a circle. */
  const level = new Map<string, number>();
  const levelOf = (row: R): number => {
    // Walk up the households iteratively: a roster's chain may be as long as the roster.
    const path: R[] = [];
    const onPath = new Set<string>();
    let at = row;
    let above = -1;
    let top = false;
    for (;;) {
      const known = level.get(at.beneficiaryId);
      if (known !== undefined) {
        above = known < 0 ? -1 : known;
        break;
      }
      if (onPath.has(at.beneficiaryId)) {
        above = -1;
        break;
      }
      onPath.add(at.beneficiaryId);
      path.push(at);
      const household = at.householdId === undefined ? undefined : byId.get(at.householdId);
      if (!household) {
        top = true;
        break;
      }
      at = household;
    }
    for (const [index, member] of path.reverse().entries()) {
      level.set(member.beneficiaryId, top ? index : above < 0 ? -1 : above + 1 + index);
    }
    return level.get(row.beneficiaryId) ?? -1;
  };
  const ranked = rows.map((row, index) => ({ row, index, level: levelOf(row) }));
  const ordered = ranked
    .filter(({ level }) => level >= 0)
    .sort((a, b) => a.level - b.level || a.index - b.index)
    .map(({ row }) => row);
  return { ordered, cyclic: ranked.filter(({ level }) => level < 0).map(({ row }) => row) };
}
