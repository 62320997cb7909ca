import type { ChildProcess } from "node:child_process";
import { BeneficiaryRegistered } from "@relief-ledger/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";
import { csvOf, HEADER_EN, rosterRow } from "./support/roster.ts";
import { serveInChild } from "./support/serve-child.ts";

const BOOK = "roster-resume";
const ROWS = 1500;

let api: Api;
let finance: string;
const children: ChildProcess[] = [];

/** The app served by a process of its own over this file's tables, to be killed. */
async function serve(): Promise<{ child: ChildProcess; url: string }> {
  const served = await serveInChild(api.endpoint, api.tables);
  children.push(served.child);
  return served;
}

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  const ok = poster(api, { admin: await api.token("admin"), finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`/v1/books/${BOOK}/units`, { id: "zhongxin", name: "中心纺织厂", kind: "enterprise" });
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

const upload = (url: string, csv: string, key: string) =>
  fetch(`${url}/v1/books/${BOOK}/beneficiary-imports`, {
    method: "POST",
    headers: { authorization: `Bearer ${finance}`, "content-type": "text/csv", "idempotency-key": key },
    body: csv,
    signal: AbortSignal.timeout(120_000),
  });

describe("a roster import cut short by a killed server", () => {
  it("resumes under the same key: every row registered once, the chain whole", { timeout: 240_000 }, async () => {
    const csv = csvOf(
      HEADER_EN,
      Array.from({ length: ROWS }, (_, n) => rosterRow(n)),
    );
    const key = crypto.randomUUID();
    const before = (await api.journal.head(BOOK)).seq;

    const first = await serve();
    const cut = upload(first.url, csv, key).then(
      (response) => response.status,
      () => "killed",
    );
    // Killed once some chunks (a few hundred entries) are in the journal, well before the last.
    for (let i = 0; i < 600 && (await api.journal.head(BOOK)).seq < before + 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.child.kill("SIGKILL");
    expect(await cut).toBe("killed");
    const atKill = (await api.journal.head(BOOK)).seq;
    expect(atKill).toBeGreaterThan(before);

    const second = await serve();
    const resumed = await upload(second.url, csv, key);
    expect(resumed.status).toBe(201);
    const summary = await resumed.json();
    const students = Array.from({ length: ROWS }, (_, n) => n).filter((n) => n % 10 === 0 && n > 0).length;
    // Chunks recorded before the kill are replayed with what they recorded: the answer is the whole import's.
    expect(summary).toMatchObject({ rows: ROWS, registered: ROWS, filesOpened: ROWS - students, skipped: 0 });
    second.child.kill("SIGKILL");

    const registered = (await journalEvents(api, BOOK))
      .filter((event) => event.type === "BeneficiaryRegistered")
      .map((event) => BeneficiaryRegistered.parse(event.payload));
    expect(registered).toHaveLength(ROWS);
    expect(new Set(registered.map((event) => event.beneficiaryId)).size).toBe(ROWS);
    expect(new Set(registered.map((event) => event.idNumberHash)).size).toBe(ROWS);
    const head = await api.journal.head(BOOK);
    expect(head.seq - before).toBe(ROWS * 2 - students + Math.ceil(ROWS / 24));
    const report = await api.journal.verify(BOOK);
    expect(report.ok).toBe(true);
    expect(report.headSeq).toBe(head.seq);
  });
});
