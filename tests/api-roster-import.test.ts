import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { poster } from "./support/books.ts";
import { csvOf, HEADER_EN, idNumberOf, rosterRow } from "./support/roster.ts";

const BOOK = "roster-10k";
const base = `/v1/books/${BOOK}`;
const ROWS = 10_000;

let api: Api;
let finance: string;

beforeAll(async () => {
  // A 10,000-row import is 417 transactions: on DynamoDB Local beside other tests that is past the
  // 60 s a write may take by default (in AWS a retry with the same key continues it; see the kill test).
  api = await startApi({ app: { deadline: { writeMs: 600_000 } } });
  finance = await api.token("finance");
  const ok = poster(api, { admin: await api.token("admin"), finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/units`, { id: "zhongxin", name: "中心纺织厂", kind: "enterprise" });
});

const post = (csv: string, query = "", key: string = crypto.randomUUID()) =>
  api.send("POST", `${base}/beneficiary-imports${query}`, {
    token: finance,
    raw: csv,
    key,
    headers: { "content-type": "text/csv" },
  });

const headSeq = async () => (await api.journal.head(BOOK)).seq;

/** Thirty bad rows, none of them a household a student belongs to (rows n ≡ 5 mod 10), each bad in one column. */
const BAD = Array.from({ length: 30 }, (_, k) => 5 + k * 330);
const BREAKS: readonly [column: string, at: number, value: string][] = [
  ["kind", 1, "工人"],
  ["idNumber", 3, "511902197013010011"],
  ["openedOn", 8, "2009-02-30"],
  ["name", 2, ""],
  ["tier", 6, "严重"],
];

describe("a 10,000-row roster", () => {
  const rows = Array.from({ length: ROWS }, (_, n) => rosterRow(n));
  const broken = rows.map((row, n) => {
    const at = BAD.indexOf(n);
    if (at < 0) return row;
    const [, column, value] = BREAKS[at % BREAKS.length] as [string, number, string];
    return row.map((cell, index) => (index === column ? value : cell));
  });
  const csv = csvOf(HEADER_EN, broken);

  it("with 30 bad rows: lists exactly those, records nothing; partial=true records the rest; again, nothing", {
    timeout: 600_000,
  }, async () => {
    const before = await headSeq();
    let started = Date.now();
    const refused = await post(csv);
    expect(refused.status).toBe(422);
    expect(refused.json.type).toBe("/problems/import-invalid");
    expect(refused.json.invalid).toBe(30);
    const expected = BAD.map((n, at) => [n + 2, (BREAKS[at % BREAKS.length] as [string, number, string])[0]]);
    expect(refused.json.rows.map((row: { row: number; column: string }) => [row.row, row.column])).toEqual(expected);
    expect(await headSeq()).toBe(before);
    console.log(`422 for 10,000 rows in ${Date.now() - started} ms`);

    started = Date.now();
    const key = crypto.randomUUID();
    const partial = await post(csv, "?partial=true", key);
    console.log(`partial import of 9,970 rows in ${Date.now() - started} ms`);
    expect(partial.status).toBe(201);
    const students = rows.filter((_, n) => n % 10 === 0 && n > 0).length;
    expect(partial.json).toMatchObject({ rows: ROWS, registered: 9970, filesOpened: 9970 - students, skipped: 0 });
    expect(partial.json.refused).toEqual([]);
    expect(partial.json.invalid).toHaveLength(30);
    const after = await headSeq();
    // Two entries a household, one a student, one summary a chunk of 24.
    expect(after - before).toBe(9970 * 2 - students + Math.ceil(9970 / 24));
    for (const id of ["r-0", "r-9999", "r-20"]) {
      const read = await api.send("GET", `${base}/beneficiaries/${id}`, { token: finance });
      expect(read.status, id).toBe(200);
    }
    const missing = await api.send("GET", `${base}/beneficiaries/r-${BAD[1]}`, { token: finance });
    expect(missing.status).toBe(404);

    // The same request again replays; the same file under another key finds everyone on file.
    const replay = await post(csv, "?partial=true", key);
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(partial.json);
    started = Date.now();
    const again = await post(csv, "?partial=true");
    console.log(`re-import of 9,970 rows on file in ${Date.now() - started} ms`);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ registered: 0, filesOpened: 0, skipped: 9970 });
    expect(await headSeq()).toBe(after);
  });

  it("an overlapping roster records only its new rows; an ID number on file under another id is refused row by row", async () => {
    const before = await headSeq();
    const overlap = [
      ...rows.slice(9990),
      ...Array.from({ length: 20 }, (_, k) => rosterRow(ROWS + k * 10 + 1)),
      // Someone on file (row 1's ID number) under a new id.
      ["r-new-id", "household", "冒名", idNumberOf(1), "zhongxin", "", "deep", "因病致困", "2009-03-01", "2011-02-28"],
    ];
    const response = await post(csvOf(HEADER_EN, overlap));
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ rows: 31, registered: 20, filesOpened: 20, skipped: 10 });
    expect(response.json.refused).toMatchObject([{ row: 32, beneficiaryId: "r-new-id", code: "id-number-registered" }]);
    expect(await headSeq()).toBe(before + 20 * 2 + 2);
  });

  it("a roster of more than 10,000 rows is refused whole", async () => {
    const before = await headSeq();
    const response = await post(csvOf(HEADER_EN, [...rows, rosterRow(ROWS)]));
    expect(response.status).toBe(413);
    expect(response.json.type).toBe("/problems/import-too-large");
    expect(await headSeq()).toBe(before);
  });
});
