import { type DynamoDBClient, PutItemCommand, QueryCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { hashEvent, type JournalEvent } from "@relief-ledger/core";
import { eventToItem, headKey, itemToRecord, type TableNames, toItem } from "@relief-ledger/store";

/**
 * What an insider with read/write access to both tables, but not the checkpoint key, can do with
 * the SDK straight on DynamoDB: change an entry, re-seal it and every later entry so that each
 * links to the one before, and move the book's head to the new last hash. Optionally also the
 * head's state (a balance), with `head`.
 */
export async function rewriteHistory(
  client: DynamoDBClient,
  tables: TableNames,
  book: string,
  seq: number,
  change: (event: JournalEvent) => JournalEvent,
  head?: (state: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tables.journal,
      KeyConditionExpression: "book = :book AND seq >= :seq",
      ExpressionAttributeValues: { ":book": { S: book }, ":seq": { N: String(seq) } },
    }),
  );
  let prevHash: string | undefined;
  for (const item of Items) {
    const original = itemToRecord(item).record as unknown as JournalEvent;
    const changed = original.seq === seq ? change(original) : original;
    const { hash: _old, ...unsealed } = { ...changed, prevHash: prevHash ?? changed.prevHash };
    const resealed = { ...unsealed, hash: hashEvent(unsealed) };
    await client.send(new PutItemCommand({ TableName: tables.journal, Item: eventToItem(resealed) }));
    prevHash = resealed.hash;
  }
  const stateUpdate = head
    ? await (async () => {
        const { Items: heads = [] } = await client.send(
          new QueryCommand({
            TableName: tables.state,
            KeyConditionExpression: "pk = :pk",
            ExpressionAttributeValues: { ":pk": { S: headKey(book).pk } },
          }),
        );
        const state = JSON.parse(String(heads[0]?.state?.S)) as Record<string, unknown>;
        return JSON.stringify(head(state));
      })()
    : undefined;
  await client.send(
    new UpdateItemCommand({
      TableName: tables.state,
      Key: toItem(headKey(book)),
      UpdateExpression: stateUpdate ? "SET #hash = :hash, #state = :state" : "SET #hash = :hash",
      ExpressionAttributeNames: { "#hash": "hash", ...(stateUpdate ? { "#state": "state" } : {}) },
      ExpressionAttributeValues: {
        ":hash": { S: String(prevHash) },
        ...(stateUpdate ? { ":state": { S: stateUpdate } } : {}),
      },
    }),
  );
}

/** An amount changed everywhere it appears in an event: the payload's amount and its postings. */
export const changeAmount =
  (from: string, to: string) =>
  (event: JournalEvent): JournalEvent =>
    JSON.parse(
      JSON.stringify(event).replaceAll(`"${from}"`, `"${to}"`).replaceAll(`"-${from}"`, `"-${to}"`),
    ) as JournalEvent;
