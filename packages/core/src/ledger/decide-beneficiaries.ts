import { domainError } from "../errors.ts";
import { err } from "../result.ts";
import { type BeneficiaryRecord, currentFile } from "./beneficiary.ts";
import type { CommandOf } from "./commands.ts";
import { checkBusinessDate, type DecideContext, type Decision, decided, defined } from "./decision.ts";
import type { BookState } from "./state.ts";

type Records = (id: string) => BeneficiaryRecord | undefined;

const notFound = (beneficiaryId: string) =>
  err(domainError("beneficiary-not-found", `no beneficiary ${beneficiaryId} in this book`, { beneficiaryId }));

export function registerBeneficiary(
  command: CommandOf<"register-beneficiary">,
  state: BookState,
  records: Records,
  on: string,
): Decision {
  const { beneficiaryId, kind, name, idNumberHash, unitId, householdId, tags } = command;
  if (records(beneficiaryId)) {
    return err(domainError("beneficiary-exists", `beneficiary ${beneficiaryId} already exists`, { beneficiaryId }));
  }
  if (unitId && !state.units[unitId])
    return err(domainError("unit-not-found", `no unit ${unitId} in this book`, { unitId }));
  if (householdId && !records(householdId)) return notFound(householdId);
  return decided(
    [
      {
        type: "BeneficiaryRegistered",
        occurredOn: on,
        payload: defined({
          beneficiaryId,
          kind,
          name,
          idNumberHash,
          unitId,
          householdId,
          tags: tags ? [...tags] : undefined,
        }),
      },
    ],
    {
      // One person, one registration: the keyed hash of the ID number is claimed in the same transaction.
      claims: idNumberHash
        ? [
            {
              kind: "id-number",
              value: idNumberHash,
              owner: beneficiaryId,
              onTaken: (existing) =>
                domainError("id-number-registered", `this ID number is already registered as beneficiary ${existing}`, {
                  existingBeneficiaryId: existing,
                }),
            },
          ]
        : [],
    },
  );
}

export function openHardshipFile(
  command: CommandOf<"open-hardship-file">,
  state: BookState,
  ctx: DecideContext,
  records: Records,
): Decision {
  const { beneficiaryId, tier, cause, openedOn, validUntil } = command;
  const date = checkBusinessDate(state, ctx, openedOn);
  if (!date.ok) return date;
  const record = records(beneficiaryId);
  if (!record) return notFound(beneficiaryId);
  if (currentFile(record)) {
    return err(
      domainError("hardship-file-open", `beneficiary ${beneficiaryId} already has an open hardship file`, {
        beneficiaryId,
      }),
    );
  }
  if (validUntil < openedOn) {
    return err(domainError("invalid-date-range", "validUntil is before openedOn", { from: openedOn, to: validUntil }));
  }
  return decided([
    { type: "HardshipFileOpened", occurredOn: openedOn, payload: { beneficiaryId, tier, cause, openedOn, validUntil } },
  ]);
}

export function reviewHardshipFile(
  command: CommandOf<"review-hardship-file">,
  state: BookState,
  ctx: DecideContext,
  records: Records,
): Decision {
  const { beneficiaryId, reviewedOn, validUntil, tier, note } = command;
  const date = checkBusinessDate(state, ctx, reviewedOn);
  if (!date.ok) return date;
  const record = records(beneficiaryId);
  if (!record) return notFound(beneficiaryId);
  const file = currentFile(record);
  if (!file) return noOpenFile(beneficiaryId);
  if (validUntil < reviewedOn || reviewedOn < file.openedOn) {
    return err(
      domainError("invalid-date-range", "a review falls within the file and extends it", {
        from: reviewedOn,
        to: validUntil,
      }),
    );
  }
  return decided([
    {
      type: "HardshipFileReviewed",
      occurredOn: reviewedOn,
      payload: defined({ beneficiaryId, reviewedOn, validUntil, tier, note }),
    },
  ]);
}

export function closeHardshipFile(
  command: CommandOf<"close-hardship-file">,
  state: BookState,
  ctx: DecideContext,
  records: Records,
): Decision {
  const { beneficiaryId, closedOn, reason } = command;
  const date = checkBusinessDate(state, ctx, closedOn);
  if (!date.ok) return date;
  const record = records(beneficiaryId);
  if (!record) return notFound(beneficiaryId);
  const file = currentFile(record);
  if (!file) return noOpenFile(beneficiaryId);
  if (closedOn < file.openedOn) {
    return err(
      domainError("invalid-date-range", "a file cannot close before it opened", { from: file.openedOn, to: closedOn }),
    );
  }
  return decided([{ type: "HardshipFileClosed", occurredOn: closedOn, payload: { beneficiaryId, closedOn, reason } }]);
}

const noOpenFile = (beneficiaryId: string) =>
  err(
    domainError("hardship-file-not-open", `beneficiary ${beneficiaryId} has no open hardship file`, { beneficiaryId }),
  );
