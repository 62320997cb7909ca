import { createHash } from "node:crypto";
import { createApp } from "@relief-ledger/api";
import type { JournalEvent } from "@relief-ledger/core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { parseCsv, parseXlsx } from "../packages/api/src/imports/parse.ts";
import { type Api, ID_HASH_KEY, JWT_SECRET, startApi } from "./support/api.ts";
import { journalEvents, payingBook } from "./support/books.ts";
import { inPool, payingBookWithHouseholds } from "./support/households.ts";

let api: Api;
let finance: string;
let admin: string;
let auditor: string;
let books = 0;

beforeAll(async () => {
  api = await startApi();
  finance = await api.token("finance");
  admin = await api.token("admin");
  auditor = await api.token("auditor");
});

/** A 19-digit card number per household, unlike any other number in the book. */
const accountOf = (n: number) => `62284800${String(7_000_000 + n).padStart(11, "0")}`;
const amountOf = (n: number) => `${100 + (n % 50)}.00`;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * A book with `households` households, each with a bank account, and one batch paying them all by
 * bank. The accounts come with the roster import (its bank columns), or one PUT each.
 */
async function bankBatch(households: number, via: "roster" | "put" = "put") {
  // Households registered through the journal (support/households.ts): the set-up, not the bank loop.
  const tokens = { admin, finance };
  const name = `bank-${++books}`;
  const { book, base } =
    via === "put"
      ? await payingBookWithHouseholds(api, tokens, name, households)
      : await payingBook(api, tokens, name, 0);
  const ids = Array.from({ length: households }, (_, n) => `hh-${n}`);
  if (via === "roster") {
    const header = "受助人编号,类别,姓名,单位,开户行,户名,银行账号";
    const rows = ids.map(
      (id, n) => `${id},household,困难户${n},textile,中国农业银行巴中分行,困难户${n},${accountOf(n)}`,
    );
    const imported = await api.send("POST", `${base}/beneficiary-imports`, {
      token: finance,
      key: `roster-${book}`,
      headers: { "content-type": "text/csv" },
      raw: `\uFEFF${header}\r\n${rows.join("\r\n")}\r\n`,
    });
    expect(imported.json).toMatchObject({ registered: households, bankAccounts: households });
  }
  const put = async (id: string, n: number) => {
    const reply = await api.send("PUT", `${base}/beneficiaries/${id}/bank-account`, {
      token: finance,
      key: `acct-${id}`,
      body: { bank: "中国农业银行巴中分行", accountName: `困难户${n}`, accountNumber: accountOf(n) },
    });
    if (reply.status !== 201) throw new Error(`${id}: ${reply.status} ${reply.text}`);
    return reply.json as JournalEvent;
  };
  // Many at once, as a finance office's script would send them: the journal groups concurrent appends.
  if (via === "put") await inPool(ids, 256, put);
  const batch = await api.send("POST", `${base}/payout-batches`, {
    token: finance,
    body: {
      batchId: "winter-2010",
      programId: "winter",
      paidOn: "2010-12-20",
      method: "bank",
      lines: ids.map((beneficiaryId, n) => ({ beneficiaryId, amount: amountOf(n), reference: `SNW-${n}` })),
    },
  });
  expect(batch.status).toBe(201);
  return { book, base, ids, batch: batch.json };
}

/** A file as the raw bytes the API sent. */
async function download(path: string, token = finance) {
  const response = await api.app.request(path, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const balanceOf = async (base: string) => {
  const funds = await api.send("GET", `${base}/funds`, { token: finance });
  return (funds.json.funds as { id: string; balance: string }[]).find((fund) => fund.id === "relief")?.balance;
};

/** The bank's answer: the disbursement file's rows with a status and a reason, `failed` lines failed. */
function resultCsv(rows: readonly (readonly string[])[], failed: ReadonlySet<number>) {
  const lines = rows.map((cells, index) => {
    const [status, reason] = failed.has(index) ? ["失败", "账户已销户"] : ["成功", ""];
    return [...cells, status, reason].join(",");
  });
  return `\uFEFF序号,户名,账号,开户行,金额,附言,状态,原因\r\n${lines.join("\r\n")}\r\n`;
}

const postResults = (base: string, csv: string, key: string) =>
  api.send("POST", `${base}/payout-batches/winter-2010/bank-results?on=2010-12-28`, {
    token: finance,
    key,
    headers: { "content-type": "text/csv" },
    raw: csv,
  });

describe("the bank loop", () => {
  it("sends a 2,000-line batch to the bank and takes back its result file: 37 failures return, the same file again changes nothing", {
    timeout: 240_000,
  }, async () => {
    // Whatever the process writes to its log meanwhile is held to the same rule as the journal.
    const logged: unknown[][] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args)),
    );
    const started = Date.now();
    const { book, base } = await bankBatch(2000);
    const setUp = Date.now() - started;
    const before = await balanceOf(base);

    const file = await download(`${base}/payout-batches/winter-2010/bank-file?format=csv`);
    expect(file.status).toBe(200);
    const rows = parseCsv(new TextDecoder().decode(file.bytes), 10_000).rows.map((row) => row.cells.map(String));
    expect(rows).toHaveLength(2000);
    expect(rows[7]).toEqual(["7", "困难户7", accountOf(7), "中国农业银行巴中分行", amountOf(7), "SNW-7"]);
    const fileHash = sha256(file.bytes);
    expect(file.headers.get("repr-digest")).toBe(`sha-256=:${Buffer.from(fileHash, "hex").toString("base64")}:`);

    // The XLSX holds the same lines, account numbers as text (a number cell would round them).
    const xlsx = await download(`${base}/payout-batches/winter-2010/bank-file?format=xlsx`);
    const sheet = await parseXlsx(xlsx.bytes, 10_000);
    expect(sheet.rows[1999]?.cells.slice(0, 3)).toEqual(["1999", "困难户1999", accountOf(1999)]);

    // Every line n with n % 54 === 3 fails: 37 of 2,000.
    const failed = new Set(rows.map((_, n) => n).filter((n) => n % 54 === 3));
    expect(failed.size).toBe(37);
    const failedAmount = [...failed].reduce((sum, n) => sum + Number(amountOf(n).replace(".", "")), 0);
    const csv = resultCsv(rows, failed);
    const answered = await postResults(base, csv, "results-1");
    expect(answered.status).toBe(201);
    expect(answered.json).toMatchObject({
      rows: 2000,
      paid: 1963,
      returned: 37,
      amountReturned: (failedAmount / 100).toFixed(2),
      skipped: [],
      unmatched: [],
      alreadySettled: [],
    });
    const back = BigInt(String(before).replace(".", "")) + BigInt(failedAmount);
    expect(await balanceOf(base)).toBe(`${back / 100n}.${String(back % 100n).padStart(2, "0")}`);

    const events = await journalEvents(api, book);
    const returned = events.filter((event) => event.type === "PayoutReturned");
    expect(returned).toHaveLength(37);
    expect(returned[0]).toMatchObject({ occurredOn: "2010-12-28", payload: { reason: "bank: 账户已销户" } });
    const issued = events.filter((event) => event.type === "BankFileIssued");
    expect(issued.map((event) => event.payload)).toContainEqual({
      batchId: "winter-2010",
      format: "csv",
      layout: "generic",
      fileHash,
      lines: 2000,
      amount: expect.any(String),
    });
    expect(issued[0]?.actor).toMatchObject({ sub: "finance-user", role: "finance" });

    // The same file again, under another key or by another person: nothing recorded twice.
    const again = await postResults(base, csv, "results-2");
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ paid: 1963, returned: 37 });
    const other = await api.send("POST", `${base}/payout-batches/winter-2010/bank-results?on=2010-12-28`, {
      token: await api.token("finance", "*", "another-clerk"),
      headers: { "content-type": "text/csv" },
      raw: csv,
    });
    expect(other.status).toBe(200);
    expect((await journalEvents(api, book)).length).toBe(events.length);
    expect(await balanceOf(base)).toBe(`${back / 100n}.${String(back % 100n).padStart(2, "0")}`);

    // Another file that says a returned line failed again, and names a line the batch lacks.
    const second = `${resultCsv([rows[3] as string[]], new Set([0]))}99999,某人,6228480000000000000,某行,1.00,x,成功,\r\n`;
    const answer = await postResults(base, second, "results-3");
    expect(answer.json).toMatchObject({
      returned: 0,
      skipped: [{ line: 3, code: "entry-already-undone" }],
      unmatched: [{ row: 3, line: 99999, code: "no-payout" }],
    });
    expect(await balanceOf(base)).toBe(`${back / 100n}.${String(back % 100n).padStart(2, "0")}`);

    // No account number in the journal, the entries' CSV export or the beneficiary's view.
    const journal = JSON.stringify(await journalEvents(api, book));
    const entriesCsv = await api.send("GET", `${base}/entries?format=csv`, { token: auditor });
    const person = await api.send("GET", `${base}/beneficiaries/hh-7`, { token: auditor });
    // The year closes over the bank loop's entries, and the chain and every figure verify.
    for (let month = 1; month <= 12; month++) {
      const period = `2010-${String(month).padStart(2, "0")}`;
      const closed = await api.send("POST", `${base}/periods/${period}/close`, { token: finance, key: null });
      expect([200, 201], closed.text).toContain(closed.status);
    }
    expect((await api.send("GET", `${base}/reports/annual/2010`, { token: auditor })).json).toMatchObject({
      frozen: { annualReportHash: expect.any(String) },
    });
    expect((await api.send("GET", `${base}/verify`, { token: auditor })).json).toMatchObject({ ok: true });
    for (const spy of spies) spy.mockRestore();
    for (const text of [journal, entriesCsv.text, person.text, JSON.stringify(logged)]) {
      expect(text).not.toContain(accountOf(7));
      expect(text).not.toMatch(/62284800\d{11}/);
    }
    console.log(`2,000-line bank loop: set-up ${setUp} ms, the rest ${Date.now() - started - setUp} ms`);
  });

  it("erasing an account leaves the chain verifying and the old file's hash in the journal; the next file lists the line", async () => {
    const { book, base } = await bankBatch(3);
    const file = await download(`${base}/payout-batches/winter-2010/bank-file`);
    expect(file.status).toBe(200);
    const erased = await api.send("DELETE", `${base}/beneficiaries/hh-1/bank-account`, {
      token: finance,
      key: "erase-1",
    });
    expect(erased.status).toBe(201);
    expect(erased.json).toMatchObject({ type: "BankAccountErased", payload: { beneficiaryId: "hh-1" } });
    const twice = await api.send("DELETE", `${base}/beneficiaries/hh-1/bank-account`, {
      token: finance,
      key: "erase-2",
    });
    expect(twice.json).toMatchObject({ type: "/problems/bank-account-not-found", status: 404 });

    const verified = await api.send("GET", `${base}/verify`, { token: auditor });
    expect(verified.json).toMatchObject({ ok: true });
    const events = await journalEvents(api, book);
    expect(events.find((event) => event.type === "BankFileIssued")?.payload).toMatchObject({
      fileHash: sha256(file.bytes),
    });
    // The journal still tells which account was erased: its last four digits and keyed hash.
    expect(events.filter((event) => event.type === "BankAccountSet").map((event) => event.payload)).toContainEqual(
      expect.objectContaining({ beneficiaryId: "hh-1", last4: accountOf(1).slice(-4) }),
    );
    // Nothing of the account is left in the registry.
    const item = JSON.stringify(await api.journal.entity(book, "bank-account/hh-1"));
    expect(item).not.toContain("sealed");

    const next = await api.send("GET", `${base}/payout-batches/winter-2010/bank-file`, { token: finance });
    expect(next.status).toBe(422);
    expect(next.json).toMatchObject({
      type: "/problems/bank-file-incomplete",
      missing: 1,
      lines: [{ line: 1, beneficiaryId: "hh-1" }],
    });
  });

  it("takes bank accounts with a roster: an account on file as it is is left alone, a bad number is a bad row", async () => {
    const { book, base } = await bankBatch(2, "roster");
    const header = "受助人编号,类别,姓名,单位,开户行,户名,银行账号";
    const send = (rows: string[], key: string) =>
      api.send("POST", `${base}/beneficiary-imports`, {
        token: finance,
        key,
        headers: { "content-type": "text/csv" },
        raw: `${header}\r\n${rows.join("\r\n")}\r\n`,
      });
    const same = [0, 1].map(
      (n) => `hh-${n},household,困难户${n},textile,中国农业银行巴中分行,困难户${n},${accountOf(n)}`,
    );
    const again = await send(same, "roster-again");
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ skipped: 2, bankAccounts: 0 });
    const changed = await send(
      [same[0] as string, `hh-1,household,困难户1,textile,某行,困难户1,${accountOf(91)}`],
      "roster-new",
    );
    expect(changed.json).toMatchObject({ bankAccounts: 1 });
    const bad = await send(["hh-2,household,困难户2,textile,某行,困难户2,12345"], "roster-bad");
    expect(bad.json).toMatchObject({
      type: "/problems/import-invalid",
      rows: [{ row: 2, column: "accountNumber", code: "invalid-account-number" }],
    });
    expect(bad.text).not.toContain("12345");
    const sets = (await journalEvents(api, book)).filter((event) => event.type === "BankAccountSet");
    expect(sets.map((event) => event.payload.last4)).toEqual(["0000", "0001", "0091"]);
  });

  it("reads the bank's result file as XLSX too, and names a file whose rows cannot be read", async () => {
    const { base } = await bankBatch(2);
    const ExcelJS = (await import("exceljs")).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("回盘");
    sheet.addRow(["序号", "户名", "账号", "开户行", "金额", "附言", "状态", "原因"]);
    sheet.addRow([0, "困难户0", accountOf(0), "中国农业银行巴中分行", 100, "SNW-0", "成功", ""]);
    sheet.addRow([1, "困难户1", accountOf(1), "中国农业银行巴中分行", 101, "SNW-1", "失败", "户名不符"]);
    const xlsx = await api.app.request(`${base}/payout-batches/winter-2010/bank-results?on=2010-12-28`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${finance}`,
        "idempotency-key": "xlsx-results",
        "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      },
      body: new Uint8Array(await workbook.xlsx.writeBuffer()),
    });
    expect(xlsx.status).toBe(201);
    expect(await xlsx.json()).toMatchObject({ paid: 1, returned: 1, amountReturned: "101.00" });
    const bad = await postResults(base, "序号,金额,状态\r\nx,1.00,也许\r\n", "bad-results");
    expect(bad.json).toMatchObject({
      type: "/problems/bank-results-invalid",
      rows: [
        { row: 2, column: "line" },
        { row: 2, column: "status" },
      ],
    });
  });

  it("gives the file to the finance office only; a batch that does not exist is 404, one held for approval has nothing to send yet", async () => {
    const { book, base } = await bankBatch(1);
    const denied = await api.send("GET", `${base}/payout-batches/winter-2010/bank-file`, { token: auditor });
    expect(denied.status).toBe(403);
    // The streamed export function is read-only: the file, whose taking is journalled, is the writer's.
    const readOnly = createApp(
      { journal: api.journal, jwtSecret: JWT_SECRET, idHashKey: ID_HASH_KEY },
      { readOnly: true },
    );
    const before = (await api.journal.head(book)).seq;
    const streamed = await api.send("GET", `${base}/payout-batches/winter-2010/bank-file`, {
      token: finance,
      via: readOnly,
    });
    expect(streamed.json).toMatchObject({ type: "/problems/read-only", status: 405 });
    expect((await api.journal.head(book)).seq).toBe(before);
    const missing = await api.send("GET", `${base}/payout-batches/no-such/bank-file`, { token: finance });
    // A batch held for approval exists, but has nothing to send the bank yet.
    const policy = await api.send("PUT", `${base}/programs/winter/approval-policy`, {
      token: admin,
      key: "policy",
      body: { approvals: [{ over: "0.00", levels: 1 }] },
    });
    expect(policy.status, policy.text).toBe(201);
    const held = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: {
        batchId: "held",
        programId: "winter",
        paidOn: "2010-12-21",
        method: "bank",
        lines: [{ beneficiaryId: "hh-0", amount: "50.00" }],
      },
    });
    expect(held.status).toBe(202);
    const nothingYet = await api.send("GET", `${base}/payout-batches/held/bank-file`, { token: finance });
    expect(nothingYet.json).toMatchObject({ type: "/problems/bank-file-incomplete", missing: 0 });
    expect(missing.json).toMatchObject({ type: "/problems/batch-not-found", status: 404 });
    const bad = await api.send("PUT", `${base}/beneficiaries/hh-0/bank-account`, {
      token: finance,
      key: "bad-account",
      body: { bank: "x", accountName: "y", accountNumber: "12ab" },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain("12ab");
  });
});
