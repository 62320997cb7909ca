import { existsSync, readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type SstConfig, tableArn } from "../infra/stand-ins.ts";
import { evaluate, type Request, rolesOf } from "./support/iam.ts";

/**
 * The functions' roles, as sst.config.ts makes them (evaluated with infra/stand-ins.ts), put to a
 * small IAM evaluator (tests/support/iam.ts): which DynamoDB requests each role allows, and that
 * the journal cannot be changed or emptied by any of them. The checkpoints' key, bucket and job:
 * infra-iam-checkpoint.test.ts.
 */
let config: SstConfig;
beforeAll(async () => {
  config = await loadConfig();
});

const READS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
const WRITES = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
];

describe("least privilege", () => {
  const journal = tableArn("relief-ledger-prod-JournalTable");
  const state = tableArn("relief-ledger-prod-StateTable");
  const journalIndex = `${journal}/index/byBeneficiary`;
  const stateIndex = `${state}/index/byKind`;
  const reads: Request[] = [
    { action: "dynamodb:Query", resource: journal },
    { action: "dynamodb:BatchGetItem", resource: journal },
    { action: "dynamodb:GetItem", resource: state },
    { action: "dynamodb:BatchGetItem", resource: state },
    { action: "dynamodb:Query", resource: stateIndex },
  ];
  const appends: Request[] = [
    { action: "dynamodb:PutItem", resource: journal, enclosingOperation: "TransactWriteItems" },
    { action: "dynamodb:PutItem", resource: state, enclosingOperation: "TransactWriteItems" },
  ];

  const roles = () => rolesOf(config);
  const isDynamo = (statement: { actions: string[] }) => statement.actions.every((a) => a.startsWith("dynamodb:"));

  it("denies every function UpdateItem and DeleteItem on the journal and its indexes, whatever else allows", async () => {
    for (const [name, statements] of Object.entries(await roles())) {
      const denies = statements.filter((statement) => statement.effect === "deny" && isDynamo(statement));
      expect(denies, name).toHaveLength(1);
      expect(denies[0]?.actions).toEqual(expect.arrayContaining(["dynamodb:UpdateItem", "dynamodb:DeleteItem"]));
      expect(denies[0]?.resources).toEqual([journal, `${journal}/index/*`]);
      // Even next to a blanket allow (what linking the table would add), the deny holds.
      const linked = [...statements, { actions: ["dynamodb:*"], resources: [journal, `${journal}/*`] }];
      for (const action of ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]) {
        for (const resource of [journal, journalIndex]) {
          expect(evaluate(linked, { action, resource }), `${name} ${action} ${resource}`).toBe("explicit-deny");
          expect(
            evaluate(linked, { action, resource, enclosingOperation: "TransactWriteItems" }),
            `${name} ${action} in a transaction`,
          ).toBe("explicit-deny");
        }
      }
    }
  });

  it("allows only GetItem, BatchGetItem, Query and PutItem (and DeleteItem on state), on the two tables and their indexes", async () => {
    for (const [name, statements] of Object.entries(await roles())) {
      // A statement mixing DynamoDB with other services' actions would escape this check.
      expect(statements.filter((s) => s.actions.some((a) => a.startsWith("dynamodb:")) && !isDynamo(s))).toEqual([]);
      for (const statement of statements.filter((s) => (s.effect ?? "allow") === "allow" && isDynamo(s))) {
        const allowed = [...READS, "dynamodb:PutItem"];
        // A handoff's mail is deleted as it is decided (handoff.ts): on the state table, in a transaction.
        if (statement.actions.includes("dynamodb:DeleteItem")) {
          expect(["Api", "Rollup", "Expiry"]).toContain(name);
          expect(statement.resources.map(String)).toEqual([state]);
          expect(statement.conditions?.[0]?.values).toEqual(["TransactWriteItems"]);
          allowed.push("dynamodb:DeleteItem");
        }
        expect(
          statement.actions.every((action) => allowed.includes(action)),
          name,
        ).toBe(true);
        for (const resource of statement.resources.map(String)) {
          expect([journal, state, `${journal}/index/*`, `${state}/index/*`], `${name} ${resource}`).toContain(resource);
        }
      }
    }
  });

  it("lets the API writer read and append, and append only inside a transaction", async () => {
    const { Api } = await roles();
    for (const request of [...reads, { action: "dynamodb:Query", resource: journalIndex }, ...appends]) {
      expect(evaluate(Api, request), JSON.stringify(request)).toBe("allow");
    }
    expect(evaluate(Api, { action: "dynamodb:PutItem", resource: journal })).toBe("implicit-deny");
    expect(evaluate(Api, { action: "dynamodb:DeleteItem", resource: state })).toBe("implicit-deny");
    // The handoff: a book's pending mail (Query on the state table) and its consumption in a transaction.
    expect(evaluate(Api, { action: "dynamodb:Query", resource: state })).toBe("allow");
    expect(
      evaluate(Api, { action: "dynamodb:DeleteItem", resource: state, enclosingOperation: "TransactWriteItems" }),
    ).toBe("allow");
    expect(
      evaluate(Api, { action: "dynamodb:DeleteItem", resource: journal, enclosingOperation: "TransactWriteItems" }),
    ).toBe("explicit-deny");
    expect(evaluate(Api, { action: "dynamodb:Scan", resource: journal })).toBe("implicit-deny");
  });

  it("gives the GET routes (the auditor path) and the streamed exports no write at all", async () => {
    const { ApiRead, ApiExport } = await roles();
    for (const [name, statements] of Object.entries({ ApiRead, ApiExport })) {
      for (const request of [...reads, { action: "dynamodb:Query", resource: journalIndex }]) {
        expect(evaluate(statements, request), `${name} ${JSON.stringify(request)}`).toBe("allow");
      }
      for (const action of WRITES) {
        for (const resource of [journal, state, journalIndex, stateIndex]) {
          for (const enclosingOperation of [undefined, "TransactWriteItems"]) {
            expect(
              evaluate(statements, { action, resource, enclosingOperation }),
              `${name} ${action} ${resource}`,
            ).not.toBe("allow");
          }
        }
      }
    }
  });

  it("lets the rollup read what it folds and append PeriodClosed, and nothing of the auditors' indexes", async () => {
    const { Rollup } = await roles();
    for (const request of [...reads, ...appends]) {
      expect(evaluate(Rollup, request), JSON.stringify(request)).toBe("allow");
    }
    expect(evaluate(Rollup, { action: "dynamodb:PutItem", resource: journal })).toBe("implicit-deny");
    expect(evaluate(Rollup, { action: "dynamodb:Query", resource: journalIndex })).toBe("implicit-deny");
  });

  it("covers every DynamoDB operation the store performs (a new one must be granted or refused here first)", () => {
    // The launcher's own files create tables in DynamoDB Local, and local-commit.ts waits for its
    // commits (ListTables as a barrier) on a client with an endpoint; nothing deployed runs them.
    const localOnly = new Set(["create-tables.ts", "dynamo-local.ts", "local-dynamo.ts", "local-commit.ts"]);
    // The data key's calls are KMS's (infra/data-key.ts grants them, tests/infra.test.ts checks that).
    const notDynamo = new Set(["data-key.ts"]);
    const dir = "packages/store/src";
    // Files, not folders: the checkpoints' calls (checkpoints/) are S3's and KMS's.
    const files = readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
    const sources = files
      .filter((file) => !localOnly.has(file) && !notDynamo.has(file))
      .map((file) => readFileSync(`${dir}/${file}`, "utf8"))
      .join("\n");
    const commands = new Set([...sources.matchAll(/new (\w+)Command\(/g)].map((match) => match[1]));
    expect([...commands].sort()).toEqual(["BatchGetItem", "GetItem", "Query", "TransactWriteItems"]);
    // A transaction's items: Puts (PutItem) and the handoff's mail Deletes (DeleteItem on state, in
    // mailbox.ts only); an Update or ConditionCheck would need a grant.
    const transactionItems = new Set(
      [...sources.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g)].map((m) => m[1]),
    );
    expect([...transactionItems].sort()).toEqual(["Delete", "Put"]);
    const deleting = files.filter((file) => /\bDelete: \{/.test(readFileSync(`${dir}/${file}`, "utf8")));
    expect(deleting).toEqual(["mailbox.ts"]);
    for (const file of localOnly) expect(existsSync(`${dir}/${file}`), file).toBe(true);
  });
});
