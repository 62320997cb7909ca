import { describe, expect, it } from "vitest";
import { ProblemError } from "../problem.ts";
import { chooseTables, contentDisposition } from "./respond.ts";

describe("an export's file name", () => {
  it("is ASCII in filename and in the reader's language in filename*", () => {
    const file = { name: "annual", book: "bazhou-2010", period: "2010", table: "collections-by-unit" } as const;
    expect(contentDisposition(file, "zh", "xlsx")).toBe(
      `attachment; filename="bazhou-2010-annual-2010-collections-by-unit.xlsx"; ` +
        `filename*=UTF-8''${encodeURIComponent("bazhou-2010-年度报告-2010-收入（按单位）.xlsx")}`,
    );
    expect(contentDisposition({ name: "entries", book: "b" }, "en", "csv")).toBe(
      `attachment; filename="b-entries.csv"; filename*=UTF-8''b-entries.csv`,
    );
  });
});

describe("the tables of an export", () => {
  const tables = [
    { id: "collections-by-source", rows: [] },
    { id: "collections-by-unit", rows: [] },
  ] as const;

  it("are all of them in a workbook, and the one named when one is", () => {
    expect(chooseTables(tables, "xlsx").map((table) => table.id)).toEqual([
      "collections-by-source",
      "collections-by-unit",
    ]);
    expect(chooseTables(tables, "csv", "collections-by-unit").map((table) => table.id)).toEqual([
      "collections-by-unit",
    ]);
    expect(chooseTables(tables.slice(0, 1), "csv").map((table) => table.id)).toEqual(["collections-by-source"]);
  });

  it("must be one, named, in a CSV of several", () => {
    expect(() => chooseTables(tables, "csv")).toThrow(ProblemError);
    try {
      chooseTables(tables, "csv");
    } catch (error) {
      expect((error as ProblemError).problem).toMatchObject({
        status: 400,
        tables: ["collections-by-source", "collections-by-unit"],
        errors: [{ path: "table" }],
      });
    }
  });
});
