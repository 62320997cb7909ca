import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * A client for the given endpoint (DynamoDB Local) or, without one, for AWS as the
 * environment configures it (region and credentials from the Lambda runtime).
 */
export function createDynamoClient(endpoint?: string): DynamoDBClient {
  if (!endpoint) return new DynamoDBClient({});
  return new DynamoDBClient({
    endpoint,
    // DynamoDB Local accepts any credentials; with -sharedDb it ignores region and key too.
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}
