import { createApp } from "@relief-ledger/api";
import { createLedgerJournal, ledgerAppend } from "@relief-ledger/store";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTables } from "./support/dynamo.ts";

let app: ReturnType<typeof createApp>;
let journal: ReturnType<typeof createLedgerJournal>;

beforeAll(async () => {
  const { client, tables } = await freshTables();
  journal = createLedgerJournal({ client, tables });
  app = createApp({ journal });
});

describe("the bare API", () => {
  it("shows a book with its head seq and hash", async () => {
    const actor = { sub: "admin", role: "admin" as const };
    const opened = await journal.append(
      "bazhou",
      ledgerAppend(
        "bazhou",
        { type: "open-book", name: "巴州区总工会", currency: "CNY", timeZone: "Asia/Shanghai", on: "2010-01-01" },
        { idempotencyKey: "open", actor },
      ),
    );
    if (!opened.ok) throw new Error(opened.error.message);
    const response = await app.request("/v1/books/bazhou");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "bazhou",
      name: "巴州区总工会",
      currency: "CNY",
      timeZone: "Asia/Shanghai",
      headSeq: 1,
      headHash: opened.value.events[0]?.hash,
    });
  });

  it("answers an unknown book, a bad id and an unknown route with problem+json", async () => {
    const missing = await app.request("/v1/books/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ type: "/problems/book-not-found", status: 404, book: "nowhere" });

    const bad = await app.request("/v1/books/Not_A_Slug");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: "/problems/validation-failed", errors: [{ path: "book" }] });

    const nowhere = await app.request("/v1/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("publishes an OpenAPI 3.1 document", async () => {
    const response = await app.request("/openapi.json");
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/v1/books/{book}");
  });
});
