import type { JournalEvent } from "@relief-ledger/core";
import { beforeAll, describe, expect, it } from "vitest";
import { formatYuan } from "../packages/api/src/dashboard/format.ts";
import { type Api, startApi } from "./support/api.ts";
import { journalEvents, poster } from "./support/books.ts";

/**
 * The dashboard's journal (order, totals, paging) and its download buttons, rendered server-side
 * through `app.request` as the script fetches them; the browser test (tests/dashboard.test.ts)
 * clicks one button of each kind.
 */

// 2010-12-31 at noon in Shanghai: the book's "today", after every business date used here.
const NOW = new Date("2010-12-31T04:00:00Z");
const BOOK = "dash-journal";
const base = `/v1/books/${BOOK}`;

let api: Api;
let auditor: string;
let all: JournalEvent[] = [];

const decoded = (text: string) =>
  text
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** A page's content as the script gets it, in a language. */
async function fragment(path: string, lang: "zh-CN" | "en" = "zh-CN") {
  const response = await api.app.request(`/dashboard/_/books/${BOOK}${path}`, {
    headers: { authorization: `Bearer ${auditor}`, "x-dashboard-lang": lang },
  });
  const html = await response.text();
  expect(response.status, html.slice(0, 300)).toBe(200);
  return html;
}

const rowSeqs = (html: string) => [...html.matchAll(/<tr data-seq="(\d+)"/g)].map((match) => Number(match[1]));
const nextLink = (html: string) => {
  const href = /rel="next" data-testid="next-page" href="([^"]+)"/.exec(html)?.[1];
  return href ? decoded(href).replace(`/dashboard/books/${BOOK}`, "") : undefined;
};
const downloadPaths = (html: string) =>
  [...html.matchAll(/data-download="([^"]+)"/g)].map((match) => decoded(match[1] ?? ""));
const field = (html: string, name: string) => new RegExp(`data-field="${name}">([^<]*)<`).exec(html)?.[1];

/** Every page of the dashboard's journal from `path` on, following its "next" links. */
async function walk(path: string) {
  const pages: { seqs: number[]; next: string | undefined }[] = [];
  let at: string | undefined = path;
  while (at && pages.length < 100) {
    const html = await fragment(at);
    pages.push({ seqs: rowSeqs(html), next: nextLink(html) });
    at = pages.at(-1)?.next;
  }
  return pages;
}

beforeAll(async () => {
  api = await startApi({ clock: () => NOW });
  auditor = await api.token("auditor", [BOOK], "auditor-li");
  const [admin, finance, committee] = await Promise.all([
    api.token("admin"),
    api.token("finance"),
    api.token("audit-committee"),
  ]);
  const ok = poster(api, { admin, finance });
  await ok("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" });
  await ok(`${base}/funds`, { id: "relief", name: "帮扶资金", restricted: true });
  await ok(`${base}/funds`, { id: "general", name: "工会经费", restricted: false });
  await ok(`${base}/units`, { id: "textile", name: "中兴纺织厂工会", kind: "grassroots-union" });
  await ok(`${base}/programs`, { id: "winter", name: "送温暖", fundId: "relief" });
  await ok(`${base}/collections`, {
    fundId: "relief",
    source: "upper-subsidy",
    amount: "90000.00",
    receivedOn: "2010-01-04",
  });
  await ok(`${base}/collections`, {
    fundId: "general",
    source: "dues",
    unitId: "textile",
    amount: "1200.00",
    receivedOn: "2010-01-05",
  });
  const ids = Array.from({ length: 40 }, (_, n) => `hh-${n}`);
  await Promise.all(ids.map((id, n) => ok(`${base}/beneficiaries`, { id, kind: "household", name: `困难户${n}` })));
  // Three batches of forty payouts, a reversal after each: three matches of a sparse filter, far apart.
  for (const month of ["03", "06", "09"]) {
    const lines = ids.map((beneficiaryId) => ({ beneficiaryId, amount: "100.50" }));
    const batch = await api.send("POST", `${base}/payout-batches`, {
      token: finance,
      body: { programId: "winter", paidOn: `2010-${month}-10`, lines },
    });
    expect(batch.status, batch.text).toBe(201);
    await ok(`${base}/entries/${batch.json.results[0].seq}/reversal`, { reason: "录入错误", on: `2010-${month}-20` });
  }
  await ok(`${base}/transfers`, { fromFundId: "general", toFundId: "relief", amount: "200.00", on: "2010-10-01" });
  const finding = await api.send("POST", `${base}/audit-findings`, {
    token: committee,
    body: {
      id: "f-1",
      unitId: "textile",
      category: "missing-receipt",
      severity: "medium",
      amountInQuestion: "1200",
      description: "慰问品发放无签收单",
      recordedOn: "2010-04-10",
    },
  });
  expect(finding.status, finding.text).toBe(201);
  all = await journalEvents(api, BOOK);
}, 120_000);

describe("the dashboard's journal", () => {
  it("lists newest first by default, oldest first on the toggle, each page continuing where the last stopped", async () => {
    const everything = all.map((event) => event.seq);
    const newest = await walk("/journal?limit=50");
    expect(newest.flatMap((page) => page.seqs)).toEqual([...everything].reverse());
    const first = await fragment("/journal?limit=50");
    const toggle = decoded(/data-testid="order-toggle" href="([^"]+)"/.exec(first)?.[1] ?? "");
    expect(new URLSearchParams(toggle.split("?")[1]).get("order")).toBe("asc");
    const oldest = await walk(toggle.replace(`/dashboard/books/${BOOK}`, ""));
    expect(oldest.flatMap((page) => page.seqs)).toEqual(everything);
  });

  it("never shows an empty page with a next link, however sparse the filter", async () => {
    const reversals = all.filter((event) => event.type === "EntryReversed").map((event) => event.seq);
    expect(reversals).toHaveLength(3);
    for (const [order, expected] of [
      ["desc", [...reversals].reverse()],
      ["asc", reversals],
    ] as const) {
      const pages = await walk(`/journal?type=EntryReversed&limit=1&order=${order}`);
      expect(
        pages.filter((page) => page.next && page.seqs.length === 0),
        order,
      ).toEqual([]);
      expect(
        pages.flatMap((page) => page.seqs),
        order,
      ).toEqual(expected);
      // Each page is full, and the last one says there is no more.
      expect(pages.map((page) => page.seqs.length)).toEqual([1, 1, 1]);
    }
  });

  it("shows the totals of everything the filters match, as the API computes them", async () => {
    for (const query of ["", "fundId=general", "type=PayoutRecorded&from=2010-06-01"]) {
      const totals = (await api.send("GET", `${base}/entries/totals?${query}`, { token: auditor })).json;
      const html = await fragment(`/journal?${query}&limit=25`);
      expect(field(html, "count"), query).toBe(String(totals.count));
      expect(field(html, "in"), query).toBe(formatYuan(totals.amounts.in));
      expect(field(html, "out"), query).toBe(formatYuan(totals.amounts.out));
      expect(field(html, "net"), query).toBe(formatYuan(totals.amounts.net));
    }
    const payouts = await fragment("/journal?type=PayoutRecorded&from=2010-06-01");
    // Eighty payouts of 100.50 from June on.
    expect(field(payouts, "count")).toBe("80");
    expect(field(payouts, "out")).toBe("¥8,040.00");
  });
});

describe("the dashboard's download buttons", () => {
  const query = (path: string) => Object.fromEntries(new URL(path, "http://x").searchParams);

  it("download the filtered journal in the page's order and language, and carry no token", async () => {
    for (const [lang, exported] of [
      ["zh-CN", "zh"],
      ["en", "en"],
    ] as const) {
      const html = await fragment("/journal?type=PayoutRecorded&programId=winter&from=2010-06-01&limit=25", lang);
      const paths = downloadPaths(html);
      expect(paths.map((path) => path.split("?")[0])).toEqual([`${base}/entries`, `${base}/entries`]);
      expect(paths.map(query)).toEqual(
        ["csv", "xlsx"].map((format) => ({
          type: "PayoutRecorded",
          programId: "winter",
          from: "2010-06-01",
          order: "desc",
          format,
          lang: exported,
        })),
      );
      for (const path of paths) {
        expect(path).not.toContain(auditor.split(".")[2]);
        expect(path).not.toMatch(/token|authorization|bearer/i);
      }
    }
    const ascending = downloadPaths(await fragment("/journal?order=asc&after=5"));
    expect(ascending.map(query)).toEqual([
      { order: "asc", format: "csv", lang: "zh" },
      { order: "asc", format: "xlsx", lang: "zh" },
    ]);
  });

  it("download the overview's annual report as XLSX and each of its tables as CSV", async () => {
    const paths = downloadPaths(await fragment(""));
    expect(paths).toEqual([
      `${base}/reports/annual/2010?format=xlsx&lang=zh`,
      `${base}/reports/annual/2010?format=csv&table=funds&lang=zh`,
      `${base}/reports/annual/2010?format=csv&table=programmes&lang=zh`,
      `${base}/reports/annual/2010?format=csv&table=audit&lang=zh`,
      `${base}/audit-findings?status=open&format=csv&lang=zh`,
      `${base}/audit-findings?status=open&format=xlsx&lang=zh`,
    ]);
    expect(downloadPaths(await fragment("", "en")).every((path) => path.endsWith("lang=en"))).toBe(true);
  });

  it("lead to files the API gives the signed-in token, named in Chinese", async () => {
    const paths = [
      ...downloadPaths(await fragment("")),
      ...downloadPaths(await fragment("/journal?type=PayoutRecorded")),
    ];
    for (const path of paths) {
      const response = await api.send("GET", path, { token: auditor });
      expect(response.status, `${path}: ${response.text.slice(0, 200)}`).toBe(200);
      const format = query(path).format;
      expect(response.headers.get("content-type"), path).toMatch(format === "csv" ? /^text\/csv/ : /spreadsheetml/);
      const disposition = response.headers.get("content-disposition") ?? "";
      const name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? "");
      expect(name, path).toMatch(new RegExp(`^${BOOK}-\\p{Script=Han}.*\\.${format}$`, "u"));
      if (format === "csv") expect(response.text.split("\r\n")[0], path).toMatch(/^\uFEFF\p{Script=Han}/u);
    }
    expect(paths).toHaveLength(8);
  });
});
