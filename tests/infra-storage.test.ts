import { JOURNAL_TABLE, STATE_TABLE } from "@relief-ledger/store";
import { afterEach, describe, expect, it } from "vitest";
import { createStorage, dynamoArgs } from "../infra/storage.ts";

type Made = { name: string; args: Record<string, unknown>; opts: Record<string, unknown> | undefined };

/** A stand-in for SST's `sst` global that records what the infra asks for. */
function standIn(): Made[] {
  const made: Made[] = [];
  (globalThis as Record<string, unknown>).sst = {
    aws: {
      Dynamo: class {
        name: string;
        arn: string;
        constructor(name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) {
          made.push({ name, args, opts });
          this.name = `${name}-table`;
          this.arn = `arn:${name}`;
        }
      },
    },
  };
  return made;
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>).sst;
});

describe("infra/storage", () => {
  it("makes the tables from the same definitions the launcher and tests use", () => {
    const made = standIn();
    createStorage("dev");
    expect(made.map((table) => table.name)).toEqual(["Journal", "State"]);
    expect(made[0]?.args).toMatchObject({
      fields: { book: "string", seq: "number" },
      primaryIndex: { hashKey: JOURNAL_TABLE.partitionKey.name, rangeKey: JOURNAL_TABLE.sortKey.name },
      stream: "new-image",
    });
    expect(made[1]?.args).toMatchObject({ primaryIndex: { hashKey: STATE_TABLE.partitionKey.name, rangeKey: "sk" } });
    expect(made[1]?.args).not.toHaveProperty("stream");
    // Outcomes of handed-over commands expire; nothing in the journal ever does.
    expect(made[1]?.args).toMatchObject({ ttl: "expiresAt" });
    expect(made[0]?.args).not.toHaveProperty("ttl");
  });

  it("protects production tables and keeps point-in-time recovery everywhere", () => {
    expect(dynamoArgs(JOURNAL_TABLE, "prod").transform.table).toMatchObject({
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
    });
    expect(dynamoArgs(JOURNAL_TABLE, "dev").transform.table.deletionProtectionEnabled).toBe(false);
    const made = standIn();
    createStorage("prod");
    expect(made.every((table) => table.opts?.retainOnDelete === true)).toBe(true);
  });
});
