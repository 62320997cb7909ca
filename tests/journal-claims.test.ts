import { type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { err, type JournalEvent, ok } from "@relief-ledger/core";
import {
  type AppendCommand,
  createDynamoClient,
  Journal,
  type StateModel,
  type TableNames,
} from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

/** A deliberately small model: the journal is generic, and these rules are about the journal alone. */
type Registry = { readonly registered: number };
const registryModel: StateModel<Registry> = {
  initialState: () => ({ registered: 0 }),
  evolve: (state, event: JournalEvent) => (event.type === "Registered" ? { registered: state.registered + 1 } : state),
  encodeState: (state) => state,
  decodeState: (stored) => stored as Registry,
};

const actor = { sub: "registrar", role: "finance" as const };

const register = (person: string, idNumberHash: string): AppendCommand<Registry> => ({
  idempotencyKey: `register-${person}`,
  requestHash: `${person}:${idNumberHash}`,
  actor,
  decide: () =>
    ok({
      events: [{ type: "Registered", occurredOn: "2010-05-01", payload: { person } }],
      claims: [
        {
          kind: "id-number",
          value: idNumberHash,
          owner: person,
          onTaken: (existing) => ({
            code: "fund-exists",
            message: `already registered as ${existing}`,
            fundId: existing,
          }),
        },
      ],
    }),
});

let client: DynamoDBClient;
let tables: TableNames;

beforeAll(async () => {
  ({ client, tables } = await freshTables());
});

describe("claims", () => {
  it("lets exactly one of many racing registrations of one value win, across processes", async () => {
    const first = new Journal({ client, tables, model: registryModel });
    const second = new Journal({
      client: createDynamoClient((await freshTables()).endpoint),
      tables,
      model: registryModel,
    });
    const racers = Array.from({ length: 10 }, (_, n) =>
      (n % 2 === 0 ? first : second).append("claims-a", register(`p${n}`, "same-hash")),
    );
    const results = await Promise.all(racers);
    const winners = results.filter((result) => result.ok);
    expect(winners).toHaveLength(1);
    const winner = winners[0]?.ok ? winners[0].value.events[0]?.payload.person : undefined;
    for (const result of results.filter((r) => !r.ok)) {
      expect(result).toEqual(err({ code: "fund-exists", message: `already registered as ${winner}`, fundId: winner }));
    }
    expect((await first.head("claims-a")).state.registered).toBe(1);
    expect(await first.verify("claims-a")).toMatchObject({ ok: true, checked: 1 });
  });

  it("records distinct values side by side in one group commit", async () => {
    const journal = new Journal({ client, tables, model: registryModel });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) => journal.append("claims-b", register(`q${n}`, `hash-${n}`))),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect((await journal.head("claims-b")).state.registered).toBe(40);
    // Each command is three items (event, idempotency record, claim) beside the shared head: 33 fit
    // in one 100-item transaction, so the 40 queued commands went in two.
    expect(journal.stats.transactions).toBe(2);
  });

  it("reports an event found beyond the book head as tampering", async () => {
    const journal = new Journal({ client, tables, model: registryModel });
    await journal.append("claims-c", register("r1", "hash-r1"));
    const [event] = (await journal.read("claims-c").next()).value as JournalEvent[];
    await client.send(
      new PutItemCommand({
        TableName: tables.journal,
        Item: {
          ...Object.fromEntries(
            Object.entries(event ?? {}).map(([k, v]) => [
              k,
              typeof v === "number" ? { N: String(v) } : typeof v === "string" ? { S: v } : { S: JSON.stringify(v) },
            ]),
          ),
          seq: { N: "2" },
        },
      }),
    );
    expect(await journal.verify("claims-c")).toMatchObject({ ok: false, firstBreak: { seq: 2 } });
  });
});
