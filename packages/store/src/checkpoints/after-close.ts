import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { LedgerJournal } from "../ledger-journal.ts";
import type { CheckpointKeeper } from "./keeper.ts";
import { checkpointBooks, describeCheckpoint } from "./run.ts";

/**
 * What runs after months were closed: a checkpoint of the book, at once. Both ways to close a month
 * (the API's close route and the monthly job) take this hook, so it lives below both.
 */
export type AfterClose = (book: string) => Promise<void>;

/**
 * Locally the process holds the key: the checkpoint is taken then and there. A refusal is logged,
 * not thrown: the close itself stands.
 */
export const checkpointAfterClose =
  (journal: LedgerJournal, keeper: CheckpointKeeper, log: (line: string) => void = console.error): AfterClose =>
  async (book) => {
    for (const result of await checkpointBooks(journal, keeper, { books: [book] })) {
      const line = describeCheckpoint(result);
      if (line && result.status === "refused") log(line);
    }
  };

/**
 * In AWS the closing function may not sign (only the checkpoint function's role may call KMS
 * Sign): it asks the checkpoint function to run for the book, without waiting for it.
 */
export const invokeCheckpointAfterClose =
  (functionName: string, client: LambdaClient = new LambdaClient({})): AfterClose =>
  async (book) => {
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "Event",
        Payload: Buffer.from(JSON.stringify({ books: [book] })),
      }),
    );
  };
