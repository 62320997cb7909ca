import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { awaitLocalCommits } from "./local-commit.ts";

/**
 * A client for the given endpoint (DynamoDB Local) or, without one, for AWS as the
 * environment configures it (region and credentials from the Lambda runtime). A client for an
 * endpoint passes a transaction's success on only once DynamoDB Local has committed it
 * (local-commit.ts); AWS needs no such wait.
 */
export function createDynamoClient(endpoint?: string, options: { awaitCommits?: boolean } = {}): DynamoDBClient {
  if (!endpoint) return new DynamoDBClient({});
  const client = new DynamoDBClient({
    endpoint,
    // DynamoDB Local accepts any credentials; with -sharedDb it ignores region and key too.
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // Off only where a benchmark measures what the wait costs (bench/durability.ts).
  return options.awaitCommits === false ? client : awaitLocalCommits(client);
}
