import type { Actor, Command } from "@relief-ledger/core";
import { ledgerAppend } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";

/**
 * The dashboard's approvals page and the approvals on entry pages, read from a small book whose
 * payouts and transfers wait for approval: one pending with one of its two approvals, one posted by
 * its second, one rejected, and a transfer proposed by a token whose subject is markup.
 */

// "Today" for the dashboard: ten days after the proposals were made.
const NOW = new Date("2010-06-11T04:00:00Z");
const MADE = new Date("2010-06-01T04:00:00Z");
const DECIDED = new Date("2010-06-05T04:00:00Z");
const BOOK = "approvals-book";
const base = `/v1/books/${BOOK}`;
const MARKUP = `<img src=x onerror="alert(1)">`;

let api: Api;
let auditor: string;
const ids = { pending: 0, posted: 0, rejected: 0, transfer: 0 };
/** The seq of the payout the second approval posted. */
let postedSeq = 0;
/** The seqs of the ProposalApproved entry of the pending proposal and the ProposalVoided of the rejected one. */
let approvedSeq = 0;
let voidedSeq = 0;

const page = async (path: string, lang: "zh-CN" | "en", token = auditor) => {
  const response = await api.app.request(`/dashboard/_/books/${BOOK}${path}`, {
    headers: { authorization: `Bearer ${token}`, "x-dashboard-lang": lang },
  });
  return { status: response.status, html: await response.text() };
};

/** A page's visible text, tags stripped and entities decoded, spaces squeezed out. */
const squashed = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39);/g, (entity) =>
      entity === "&amp;" ? "&" : entity === "&lt;" ? "<" : entity === "&gt;" ? ">" : entity === "&quot;" ? '"' : "'",
    )
    .replace(/\s+/g, "");

/** The markup of one table row (or record) of the page, by the proposal's id. */
const rowOf = (html: string, id: number) => {
  const match = new RegExp(`<(tr|dl)[^>]*data-proposal="${id}"[^>]*>[\\s\\S]*?</\\1>`).exec(html);
  expect(match, `proposal ${id}`).not.toBeNull();
  return match?.[0] ?? "";
};

beforeAll(async () => {
  api = await startApi({ clock: () => NOW });
  auditor = await api.token("auditor", [BOOK], "auditor-li");
  const admin = await api.token("admin");
  const finance = await api.token("finance", "*", "cashier-wang");
  const post = async (path: string, body: unknown, token = finance) => {
    const reply = await api.send("POST", path === "/v1/books" ? path : `${base}${path}`, { token, body });
    if (reply.status !== 201) throw new Error(`${path}: ${reply.status} ${reply.text}`);
    return reply.json;
  };
  await post("/v1/books", { id: BOOK, name: "巴州区总工会", currency: "CNY", openedOn: "2010-01-01" }, admin);
  await Promise.all([
    post("/funds", { id: "relief", name: "帮扶资金", restricted: true }),
    post("/funds", { id: "model-worker", name: "劳模帮扶资金", restricted: true }),
    post("/beneficiaries", { id: "hh-0001", kind: "household", name: "王秀英" }),
    post("/beneficiaries", { id: "hh-0002", kind: "household", name: "李桂兰" }),
  ]);
  await Promise.all([
    post("/programs", { id: "serious-illness", name: "大病救助", fundId: "relief" }),
    post("/collections", { fundId: "relief", source: "upper-subsidy", amount: "20000.00", receivedOn: "2010-01-05" }),
  ]);
  // The policies, proposals and decisions go to the journal straight, as the people they would come
  // from, on the days they would be made and decided (the routes would date them all by the clock).
  const direct = async (actor: Actor, command: Command, key: string, at: Date) => {
    const result = await api.journal.append(
      BOOK,
      ledgerAppend(BOOK, command, { idempotencyKey: key, actor, clock: () => at }),
    );
    if (!result.ok) throw new Error(`${command.type}: ${result.error.code} ${result.error.message}`);
    return result.value.events.at(-1)?.seq ?? 0;
  };
  const cashier = { sub: "cashier-wang", role: "finance" } as const;
  const zhao = { sub: "approver-zhao", role: "approver" } as const;
  const qian = { sub: "approver-qian", role: "approver" } as const;
  await direct(
    cashier,
    { type: "set-approval-policy", programId: "serious-illness", approvals: [{ over: "0.00", levels: 2 }] },
    "policy-programme",
    MADE,
  );
  await direct(cashier, { type: "set-approval-policy", approvals: [{ over: "0.00", levels: 1 }] }, "policy-book", MADE);
  const payout = (beneficiaryId: string, amount: string, paidOn: string): Command => ({
    type: "record-payout",
    programId: "serious-illness",
    beneficiaryId,
    amount,
    paidOn,
    method: "cash",
  });
  ids.pending = await direct(cashier, payout("hh-0001", "800.00", "2010-06-01"), "payout-1", MADE);
  ids.posted = await direct(cashier, payout("hh-0002", "300.00", "2010-06-01"), "payout-2", MADE);
  ids.rejected = await direct(cashier, payout("hh-0001", "200.00", "2010-06-01"), "payout-3", MADE);
  ids.transfer = await direct(
    { sub: MARKUP, role: "finance" },
    { type: "record-transfer", fromFundId: "relief", toFundId: "model-worker", amount: "1000.00", on: "2010-06-01" },
    "transfer-1",
    MADE,
  );
  approvedSeq = await direct(zhao, { type: "approve-proposal", proposalId: ids.pending }, "approve-1", DECIDED);
  await direct(zhao, { type: "approve-proposal", proposalId: ids.posted }, "approve-2a", DECIDED);
  postedSeq = await direct(qian, { type: "approve-proposal", proposalId: ids.posted }, "approve-2b", DECIDED);
  voidedSeq = await direct(
    qian,
    { type: "reject-proposal", proposalId: ids.rejected, reason: `材料不全${MARKUP}` },
    "reject-3",
    DECIDED,
  );
}, 120_000);

describe("the approvals page", () => {
  it("is linked from the book's navigation, beside the journal", async () => {
    const { html } = await page("", "zh-CN");
    expect(html).toContain(`href="/dashboard/books/${BOOK}/approvals"`);
    const approvals = await page("/approvals", "en");
    expect(approvals.html).toMatch(
      /<a href="\/dashboard\/books\/approvals-book\/approvals" aria-current="page">Approvals<\/a>/,
    );
  });

  it("lists what awaits approval: amount, programme, payee, reserved fund, proposer, approvals so far, age, expiry", async () => {
    const { status, html } = await page("/approvals", "zh-CN");
    expect(status).toBe(200);
    const pending = html.slice(html.indexOf('data-testid="pending"'), html.indexOf('data-testid="decisions"'));
    const row = squashed(rowOf(pending, ids.pending));
    expect(row).toContain(`#${ids.pending}`);
    expect(row).toContain("资金发放");
    expect(row).toContain("¥800.00");
    expect(row).toContain("大病救助");
    expect(row).toContain("受助人：王秀英");
    expect(row).toContain("帮扶资金¥800.00");
    expect(row).toContain("cashier-wang");
    expect(row).toContain("approver-zhao（2010-06-05）");
    expect(row).toContain("1/2");
    expect(row).toContain("2010-06-01");
    expect(row).toContain("10天");
    // The book's default of 30 days to approve, from the day it was made.
    expect(rowOf(pending, ids.pending)).toMatch(/data-field="expires-on">2010-07-01</);
    const transfer = squashed(rowOf(pending, ids.transfer));
    expect(transfer).toContain("资金调拨");
    expect(transfer).toContain("资金：劳模帮扶资金");
    expect(transfer).toContain("0/1");
    // Decided proposals are not among the pending.
    expect(pending).not.toContain(`data-proposal="${ids.posted}"`);
    expect(pending).not.toContain(`data-proposal="${ids.rejected}"`);
  });

  it("lists the decisions: the posted one linked to its entry, the rejected one with its reason, who and when", async () => {
    for (const lang of ["zh-CN", "en"] as const) {
      const { html } = await page("/approvals", lang);
      const decisions = html.slice(html.indexOf('data-testid="decisions"'));
      const posted = rowOf(decisions, ids.posted);
      expect(posted).toContain(`href="/dashboard/books/${BOOK}/entries/${postedSeq}"`);
      expect(squashed(posted)).toContain(lang === "en" ? "approvedandposted:" : "已审批入账：");
      expect(squashed(posted)).toContain(
        lang === "en"
          ? "approver-zhao(2010-06-05),approver-qian(2010-06-05)"
          : "approver-zhao（2010-06-05）、approver-qian（2010-06-05）",
      );
      const rejected = squashed(rowOf(decisions, ids.rejected));
      expect(rejected).toContain(lang === "en" ? "voided:rejected" : "已作废：驳回");
      expect(rejected).toContain("approver-qian");
      expect(rejected).toContain("材料不全");
      expect(rejected).toContain("2010-06-05");
      expect(rejected).toContain("¥200.00");
      expect(decisions).not.toContain(`data-proposal="${ids.pending}"`);
    }
  });

  it("says it in English with words, not the ledger's keys", async () => {
    const { html } = await page("/approvals", "en");
    const row = squashed(rowOf(html, ids.pending));
    expect(row).toContain("payout");
    expect(row).toContain("Beneficiary:王秀英");
    expect(row).toContain("10days");
    expect(html).toContain("Awaiting approval");
    expect(html).toContain("Decisions");
    expect(squashed(html)).not.toMatch(/record-payout|recordPayout|programId|fund:relief/);
  });

  it("escapes what people typed and what tokens are named", async () => {
    const { html } = await page("/approvals", "zh-CN");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(squashed(rowOf(html, ids.transfer))).toContain(MARKUP.replace(/\s+/g, ""));
    expect(squashed(rowOf(html, ids.rejected))).toContain(`材料不全${MARKUP}`.replace(/\s+/g, ""));
  });

  it("filters by state and programme, and pages with the cursor", async () => {
    const voided = await page("/approvals?state=voided", "en");
    expect(voided.html).not.toContain('data-testid="pending"');
    expect(voided.html).toContain(`data-proposal="${ids.rejected}"`);
    expect(voided.html).not.toContain(`data-proposal="${ids.posted}"`);
    const pendingOnly = await page("/approvals?state=pending&programId=serious-illness", "en");
    expect(pendingOnly.html).toContain(`data-proposal="${ids.pending}"`);
    expect(pendingOnly.html).not.toContain(`data-proposal="${ids.transfer}"`);
    expect(pendingOnly.html).not.toContain('data-testid="decisions"');
    // One decision a page: the rejected one (newest), then the posted one, then no further page.
    const first = await page("/approvals?limit=1", "en");
    expect(first.html).toContain('data-testid="decisions"');
    const decisions = first.html.slice(first.html.indexOf('data-testid="decisions"'));
    expect(decisions).toContain(`data-proposal="${ids.rejected}"`);
    expect(decisions).not.toContain(`data-proposal="${ids.posted}"`);
    // As many pending ones as a page shows, the rest a link away.
    const pendingPart = first.html.slice(0, first.html.indexOf('data-testid="decisions"'));
    expect(pendingPart).toContain(`data-proposal="${ids.transfer}"`);
    expect(pendingPart).not.toContain(`data-proposal="${ids.pending}"`);
    const more = /data-testid="more-pending" href="([^"]+)"|href="([^"]+)" data-testid="more-pending"/.exec(first.html);
    expect((more?.[1] ?? more?.[2])?.replace(/&amp;/g, "&")).toBe(
      `/dashboard/books/${BOOK}/approvals?state=pending&before=${ids.transfer}`,
    );
    const next = /rel="next" data-testid="next-page" href="([^"]+)"/.exec(first.html)?.[1]?.replace(/&amp;/g, "&");
    expect(next).toBe(`/dashboard/books/${BOOK}/approvals?limit=1&before=${ids.rejected}`);
    const second = await page(`/approvals?limit=1&before=${ids.rejected}`, "en");
    expect(second.html).not.toContain('data-testid="pending"');
    expect(second.html).toContain(`data-proposal="${ids.posted}"`);
    expect(second.html).not.toContain(`data-proposal="${ids.rejected}"`);
    expect(second.html).not.toContain('rel="next"');
  });

  it("refuses a state it does not know, and names a proposal it does not have, in the reader's language", async () => {
    const bad = await page("/approvals?state=lost", "zh-CN");
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('data-code="validation-failed"');
    const missing = await page("/approvals?proposal=1", "en");
    expect(missing.status).toBe(404);
    expect(squashed(missing.html)).toContain("Thisbookhasnoproposal1.");
  });

  it("shows one proposal in full, linked from its entries", async () => {
    const { html } = await page(`/approvals?proposal=${ids.pending}`, "zh-CN");
    const record = squashed(rowOf(html, ids.pending));
    expect(record).toContain("经办人cashier-wang");
    expect(record).toContain("已审批approver-zhao（2010-06-05）");
    expect(record).toContain("预留资金帮扶资金¥800.00");
    expect(record).toContain("审批截止日期2010-07-01");
    expect(html).toContain(`href="/dashboard/books/${BOOK}/entries/${ids.pending}"`);
  });

  it("lets an approver see it, and no token that does not reach the book", async () => {
    const approver = await api.token("approver", [BOOK], "approver-sun");
    expect((await page("/approvals", "zh-CN", approver)).status).toBe(200);
    const elsewhere = await page("/approvals", "zh-CN", await api.token("auditor", ["another-book"]));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.html).not.toContain(`data-proposal=`);
  });
});

describe("approvals on entry pages", () => {
  it("shows who proposed and who approved, each with the day, on an entry posted by approval", async () => {
    for (const lang of ["zh-CN", "en"] as const) {
      const { html } = await page(`/entries/${postedSeq}`, lang);
      expect(html).toContain('data-type="PayoutRecorded"');
      const proposer = /<div data-field="proposer">[\s\S]*?<\/div>/.exec(html)?.[0] ?? "";
      expect(squashed(proposer)).toBe(lang === "en" ? "Proposedbycashier-wang" : "经办人cashier-wang");
      const approvers = squashed(/<div data-field="approvers">[\s\S]*?<\/div>/.exec(html)?.[0] ?? "");
      expect(approvers).toContain("approver-zhao");
      expect(approvers).toContain("approver-qian");
      expect(approvers).toContain("2010-06-05");
      expect(html).toContain(`href="/dashboard/books/${BOOK}/approvals?proposal=${ids.posted}"`);
    }
  });

  it("links the entries that make, approve and void a proposal to it on the approvals page", async () => {
    for (const [seq, id] of [
      [ids.pending, ids.pending],
      [approvedSeq, ids.pending],
      [voidedSeq, ids.rejected],
    ] as const) {
      const { html } = await page(`/entries/${seq}`, "en");
      expect(html, `entry ${seq}`).toContain(`href="/dashboard/books/${BOOK}/approvals?proposal=${id}"`);
    }
    const made = await page(`/entries/${ids.transfer}`, "zh-CN");
    expect(made.html).not.toContain("<img src=x");
    expect(squashed(made.html)).toContain(`经办人${MARKUP.replace(/\s+/g, "")}`);
  });
});
