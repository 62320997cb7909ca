import { createConfig, lintFromString } from "@redocly/openapi-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./support/api.ts";
import { type OpenApiDocument, operationsOf } from "./support/openapi.ts";

/**
 * The OpenAPI document the API serves, held to a linter and to what its readers rely on: an
 * operationId and a declared tag on every operation, and servers to send requests to.
 */

let api: Api;
let document: OpenApiDocument;

beforeAll(async () => {
  api = await startApi();
  const served = await api.send("GET", "/openapi.json");
  expect(served.status).toBe(200);
  document = served.json as OpenApiDocument;
});

/**
 * Redocly's recommended rules, every one of them held as an error (the test fails on warnings
 * too), and these on top, which the recommended set leaves off. None is turned off. Left off as
 * the recommended set has them: path-segment-plural (a state change is a singular sub-resource,
 * /closure, /review, /return), operation-description (every operation has a summary, which
 * operation-summary requires) and the example/property rules meant for hand-written documents.
 */
const RULES = {
  // Every operation in exactly one group, and that group declared with a description.
  "operation-tag-defined": "error",
  "operation-singular-tag": "error",
  // Every 4xx answers application/problem+json (RFC 9457, which replaced 7807).
  "operation-4xx-problem-details-rfc7807": "error",
  "paths-kebab-case": "error",
  "parameter-description": "error",
  // A roster import (POST …/beneficiary-imports) takes the file itself, CSV or XLSX; every other body is JSON.
  "request-mime-type": {
    severity: "error",
    allowedValues: [
      "application/json",
      "text/csv",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
  },
  "response-mime-type": {
    severity: "error",
    allowedValues: [
      "application/json",
      "application/problem+json",
      "text/csv",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
  },
} as const;

const lint = async (served: unknown) =>
  lintFromString({
    source: JSON.stringify(served),
    absoluteRef: "openapi.json",
    config: await createConfig({ extends: ["recommended"], rules: RULES }),
  });

const describeProblem = (problem: Awaited<ReturnType<typeof lint>>[number]) =>
  `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`;

describe("the OpenAPI document", () => {
  it("passes Redocly's lint, the recommended rules and stricter ones, with no error or warning", async () => {
    const problems = await lint(document);
    expect(problems.map(describeProblem)).toEqual([]);
  });

  it("is linted for real: a document missing an operationId and a tag's description fails", async () => {
    // One path of it is enough to show the rules at work, and lints in a fraction of the time.
    const payouts = "/v1/books/{book}/payouts";
    const broken = structuredClone({ ...document, paths: { [payouts]: document.paths[payouts] ?? {} } });
    delete broken.paths[payouts]?.post?.operationId;
    delete broken.tags?.[0]?.description;
    const rules = (await lint(broken)).map((problem) => problem.ruleId);
    expect(rules).toEqual(expect.arrayContaining(["operation-operationId", "tag-description"]));
  });

  it("gives every operation a unique camelCase operationId and one tag it declares, with a description", () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const [index, id] of ids.entries()) expect(id, operations[index]?.label).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
    for (const { label, operation } of operations) {
      expect(operation.tags, label).toHaveLength(1);
      expect(declared.get(operation.tags?.[0] ?? ""), `${label}: tag ${operation.tags}`).toMatch(/\S/);
    }
    // No declared tag is empty: each names a group /docs shows.
    const used = new Set(operations.flatMap(({ operation }) => operation.tags ?? []));
    expect([...declared.keys()].filter((tag) => !used.has(tag))).toEqual([]);
  });

  it("keeps the operationIds clients are generated from", () => {
    const ids = Object.fromEntries(
      operationsOf(document).map(({ label, operation }) => [label, operation.operationId]),
    );
    expect(ids).toMatchObject(STABLE_IDS);
  });

  it("names the API that served it, relative, and the local server", () => {
    expect(document.servers).toEqual([
      expect.objectContaining({ url: "/" }),
      expect.objectContaining({ url: "http://127.0.0.1:3000" }),
    ]);
  });
});

/** Renaming one breaks every client generated from the document: change these on purpose only. */
const STABLE_IDS: Record<string, string> = {
  "GET /v1/checkpoint-key": "getCheckpointKey",
  "POST /v1/books": "openBook",
  "GET /v1/books/{book}": "getBook",
  "POST /v1/books/{book}/funds": "openFund",
  "GET /v1/books/{book}/funds": "listFunds",
  "GET /v1/books/{book}/funds/{fund}": "getFund",
  "POST /v1/books/{book}/units": "addUnit",
  "GET /v1/books/{book}/units": "listUnits",
  "POST /v1/books/{book}/programs": "openProgram",
  "GET /v1/books/{book}/programs": "listPrograms",
  "POST /v1/books/{book}/programs/{program}/closure": "closeProgram",
  "POST /v1/books/{book}/beneficiaries": "registerBeneficiary",
  "GET /v1/books/{book}/beneficiaries/{id}": "getBeneficiary",
  "POST /v1/books/{book}/beneficiaries/{id}/hardship-file": "openHardshipFile",
  "POST /v1/books/{book}/beneficiaries/{id}/hardship-file/review": "reviewHardshipFile",
  "POST /v1/books/{book}/beneficiaries/{id}/hardship-file/closure": "closeHardshipFile",
  "GET /v1/books/{book}/beneficiaries/{id}/history": "getBeneficiaryHistory",
  "POST /v1/books/{book}/collections": "recordCollection",
  "POST /v1/books/{book}/payouts": "recordPayout",
  "POST /v1/books/{book}/transfers": "recordTransfer",
  "POST /v1/books/{book}/entries/{seq}/reversal": "reverseEntry",
  "POST /v1/books/{book}/payouts/{seq}/return": "returnPayout",
  "POST /v1/books/{book}/payout-batches": "recordPayoutBatch",
  "GET /v1/books/{book}/entries/{seq}": "getEntry",
  "GET /v1/books/{book}/entries": "listEntries",
  "GET /v1/books/{book}/entries/totals": "getEntryTotals",
  "GET /v1/books/{book}/verify": "verifyBook",
  "GET /v1/books/{book}/checkpoints": "listCheckpoints",
  "POST /v1/books/{book}/rollups/{period}": "closeMonth",
  "GET /v1/books/{book}/rollups/{period}": "getRollup",
  "GET /v1/books/{book}/reports/programmes": "getProgrammesReport",
  "GET /v1/books/{book}/reports/funds": "getFundsReport",
  "GET /v1/books/{book}/reports/collections": "getCollectionsReport",
  "GET /v1/books/{book}/reports/audit": "getAuditReport",
  "GET /v1/books/{book}/reports/annual/{year}": "getAnnualReport",
  "POST /v1/books/{book}/audit-plans": "setAuditPlan",
  "GET /v1/books/{book}/audit-plans": "listAuditPlans",
  "POST /v1/books/{book}/audits": "startAudit",
  "GET /v1/books/{book}/audits": "listAudits",
  "POST /v1/books/{book}/audits/{id}/completion": "completeAudit",
  "POST /v1/books/{book}/audit-findings": "recordFinding",
  "GET /v1/books/{book}/audit-findings": "listFindings",
  "POST /v1/books/{book}/audit-findings/{id}/rectification-plan": "submitRectificationPlan",
  "POST /v1/books/{book}/audit-findings/{id}/evidence": "submitRectificationEvidence",
  "POST /v1/books/{book}/audit-findings/{id}/resolution": "resolveFinding",
};
