import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { beneficiaryRef } from "./beneficiary.ts";
import type { CommandOf, ImportRow } from "./commands.ts";
import { orderForImport } from "./decide-imports.ts";
import {
  accepted,
  decideOn,
  given,
  hardshipFile,
  household,
  openBook,
  recorded,
  recordOf,
  refused,
  textileMill,
} from "./scenario.test-support.ts";

// Given these commands, when a chunk of a roster import, then these events (or this error).

const idHash = (idNumber: string) => createHmac("sha256", "bazhou-book-secret").update(idNumber).digest("hex");

const file = { tier: "deep", cause: "下岗失业", openedOn: "2008-03-01", validUntil: "2011-02-28" } as const;

const row = (n: number, beneficiaryId: string, extra: Partial<ImportRow> = {}): ImportRow => ({
  row: n,
  beneficiaryId,
  kind: "household",
  name: `户主${n}`,
  idNumberHash: idHash(beneficiaryId),
  unitId: "zhongxin-textile",
  file,
  ...extra,
});

const chunk = (rows: ImportRow[], index = 0): CommandOf<"import-beneficiaries-chunk"> => ({
  type: "import-beneficiaries-chunk",
  importId: "roster-1",
  chunk: index,
  rows,
});

const types = (events: readonly { type: string }[]) => events.map((event) => event.type);

describe("importing a roster chunk", () => {
  it("registers each new row, opens its file as of the import with the file's own dates, and sums up the chunk", () => {
    const ledger = given(openBook, textileMill);
    const decision = accepted(decideOn(ledger, chunk([row(2, "hh-a"), row(3, "st-b", { householdId: "hh-a" })])));
    expect(types(decision.events)).toEqual([
      "BeneficiaryRegistered",
      "HardshipFileOpened",
      "BeneficiaryRegistered",
      "HardshipFileOpened",
      "BeneficiaryImportChunkRecorded",
    ]);
    // Files opened in 2008 come into a book opened in 2010: the entry is dated today, the file keeps its dates.
    expect(decision.events[1]).toMatchObject({ occurredOn: "2010-12-31", payload: { openedOn: "2008-03-01" } });
    expect(decision.events[4]?.payload).toEqual({
      importId: "roster-1",
      chunk: 0,
      rowCount: 2,
      registered: 2,
      filesOpened: 2,
      skipped: 0,
      refused: [],
    });
    expect(decision.claims.map((claim) => [claim.value, claim.owner])).toEqual([
      [idHash("hh-a"), "hh-a"],
      [idHash("st-b"), "st-b"],
    ]);
    expect(decision.writes.map((write) => write.ref)).toEqual([beneficiaryRef("hh-a"), beneficiaryRef("st-b")]);
  });

  it("records nothing the second time the same rows come in", () => {
    const ledger = given(openBook, textileMill);
    recorded(ledger, chunk([row(2, "hh-a"), row(3, "hh-b")]));
    expect(accepted(decideOn(ledger, chunk([row(2, "hh-a"), row(3, "hh-b")], 1))).events).toEqual([]);
  });

  it("opens a file for a beneficiary on file without one, and registers only the new rows of an overlapping roster", () => {
    const ledger = given(openBook, textileMill, household("hh-a", "户主2", { idNumberHash: idHash("hh-a") }));
    const events = recorded(ledger, chunk([row(2, "hh-a"), row(3, "hh-c")]));
    expect(types(events)).toEqual([
      "HardshipFileOpened",
      "BeneficiaryRegistered",
      "HardshipFileOpened",
      "BeneficiaryImportChunkRecorded",
    ]);
    expect(events[3]?.payload).toMatchObject({ registered: 1, filesOpened: 2, skipped: 0 });
    expect(recordOf(ledger, "hh-a")?.files).toHaveLength(1);
  });

  it("lists a row whose ID number is another beneficiary's, or whose id is on file with another ID number, and records the rest", () => {
    const ledger = given(openBook, textileMill, household("hh-a", "甲", { idNumberHash: idHash("someone") }));
    const events = recorded(
      ledger,
      chunk([
        row(2, "hh-a"),
        row(3, "hh-z", { idNumberHash: idHash("someone") }),
        row(4, "hh-c", { unitId: "nowhere" }),
        row(5, "st-d", { householdId: "hh-none" }),
        row(6, "hh-e"),
      ]),
    );
    const summary = events[events.length - 1]?.payload as { refused: { row: number; code: string }[] };
    expect(summary.refused.map(({ row, code }) => [row, code])).toEqual([
      [2, "beneficiary-exists"],
      [3, "id-number-registered"],
      [4, "unit-not-found"],
      [5, "beneficiary-not-found"],
    ]);
    expect(recordOf(ledger, "hh-e")).toBeDefined();
  });

  it("refuses a second row with the same ID number within a chunk", () => {
    const ledger = given(openBook, textileMill);
    const events = recorded(ledger, chunk([row(2, "hh-a"), row(3, "hh-b", { idNumberHash: idHash("hh-a") })]));
    expect(events[events.length - 1]?.payload).toMatchObject({ refused: [{ row: 3, code: "id-number-registered" }] });
  });

  it("refuses a chunk whose every row conflicts, writing nothing, with each row's reason", () => {
    const ledger = given(openBook, textileMill, household("hh-a", "甲"), hardshipFile("hh-a"));
    const error = refused(ledger, chunk([row(2, "hh-a"), row(3, "hh-b", { unitId: "nowhere" })]));
    expect(error).toMatchObject({ code: "import-refused", refused: [{ row: 2 }, { row: 3, code: "unit-not-found" }] });
  });

  it("skips a row already on file with its file open, and refuses a file opened in the future", () => {
    const ledger = given(openBook, textileMill, household("hh-a", "甲", { idNumberHash: idHash("hh-a") }));
    recorded(ledger, chunk([row(2, "hh-a")]));
    const future = { ...file, openedOn: "2011-01-01", validUntil: "2011-12-31" };
    const error = refused(ledger, chunk([row(2, "hh-a"), row(3, "hh-b", { file: future })]));
    expect(error).toMatchObject({ code: "import-refused", refused: [{ row: 3, code: "future-date" }] });
  });
});

describe("ordering a roster for import", () => {
  const at = (beneficiaryId: string, householdId?: string) => ({
    beneficiaryId,
    ...(householdId ? { householdId } : {}),
  });

  it("puts every household before its members, the rest in file order, and sets apart a household cycle", () => {
    const rows = [
      at("st-1", "hh-1"),
      at("hh-2"),
      at("gc-1", "st-1"),
      at("hh-1"),
      at("x", "y"),
      at("y", "x"),
      at("z", "old"),
    ];
    const { ordered, cyclic } = orderForImport(rows);
    expect(ordered.map((row) => row.beneficiaryId)).toEqual(["hh-2", "hh-1", "z", "st-1", "gc-1"]);
    expect(cyclic.map((row) => row.beneficiaryId)).toEqual(["x", "y"]);
  });
});
