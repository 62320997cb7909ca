import { checkpointEnvironment } from "./checkpoint.ts";
import { type DataKey, dataKeyEnvironment, dataKeyPolicy, denyDataKey, useDataKey } from "./data-key.ts";
import { API_INSTALL, bundling, LAMBDA_RUNTIME, tableEnvironment } from "./lambda.ts";
import { apiReaderPermissions, apiWriterPermissions, type Checkpoints, type Tables } from "./permissions.ts";

/** The Hono app's Lambda entry (hono/aws-lambda `handle`), as SST names a handler: file without extension, then export. */
export const API_HANDLER = "packages/api/src/lambda.handler";
/** The same app, streamed (hono/aws-lambda `streamHandle`), for exports past the 6 MB a buffered response holds. */
export const API_STREAM_HANDLER = "packages/api/src/lambda-stream.handler";

/**
 * The Hono app on Lambda behind an HTTP API. One bundle, two functions that differ only in their
 * role (and a third, streamed, for large exports: see ApiExport below): GET routes (the auditor
 * path, and everyone's reads) go to ApiRead, which cannot write; everything else goes to Api. The app still checks every token's role on every route; the split
 * makes "auditors cannot change anything" hold in IAM too, not only in our code.
 */
export function createApi(tables: Tables, checkpoints: Checkpoints, dataKey: DataKey) {
  // Set per stage before the first deploy: `npx sst secret set JwtSecret … --stage prod`.
  const jwtSecret = new sst.Secret("JwtSecret");
  // Keys beneficiaries' ID-number hashes: changing it later breaks duplicate detection, so set it once.
  const idHashKey = new sst.Secret("IdHashKey");

  const shared: Omit<SstFunctionArgs, "permissions"> = {
    ...LAMBDA_RUNTIME,
    handler: API_HANDLER,
    // An HTTP API gives up on its integration after 30 s.
    timeout: "29 seconds",
    memory: "1024 MB",
    // The entry points read configuration from the environment (configFromEnv, secretsFromEnv,
    // checkpointsFromEnv: verify and the checkpoint routes read the bucket and the public key).
    environment: {
      ...tableEnvironment(tables),
      ...checkpointEnvironment(checkpoints),
      LEDGER_JWT_SECRET: jwtSecret.value,
      LEDGER_ID_HASH_KEY: idHashKey.value,
    },
    // Linked too, so that `Resource.JwtSecret` works if the config module moves to SST's SDK.
    // The tables are not linked: see permissions.ts.
    link: [jwtSecret, idHashKey],
    nodejs: bundling(API_INSTALL),
  };
  // An HTTP API cannot stream, and a buffered Lambda response stops at 6 MB: a whole book's CSV
  // (about 200 bytes an entry) outgrows that near 20,000–30,000 entries. ApiExport serves the same GET
  // routes through a function URL in RESPONSE_STREAM mode (up to 200 MB, written as it is read),
  // with the reader's role. The URL's auth is NONE: the app checks the JWT on every /v1 route, as
  // behind the HTTP API, and the read-only app answers anything but GET and HEAD with a 405.
  const exporter = new sst.aws.Function("ApiExport", {
    ...shared,
    handler: API_STREAM_HANDLER,
    description: "relief-ledger API, streamed: GET routes for large exports, read-only",
    permissions: [...apiReaderPermissions(tables, checkpoints), denyDataKey(dataKey)],
    // A function URL waits as long as the function runs; a year's export needs more than 29 s.
    timeout: "5 minutes",
    url: true,
    streaming: true,
  });

  // The buffered functions answer an export past their limit with a problem naming this URL.
  const buffered = { ...shared, environment: { ...shared.environment, LEDGER_EXPORTS_URL: exporter.url } };
  const writer = new sst.aws.Function("Api", {
    ...buffered,
    // It may not sign: after closing a month it starts the checkpoint function for the book. It
    // alone seals and opens bank accounts (the data key), the readers never.
    environment: {
      ...buffered.environment,
      LEDGER_CHECKPOINT_FUNCTION: checkpoints.job.name,
      ...dataKeyEnvironment(dataKey),
    },
    description: "relief-ledger API: every route but GET, and the disbursement file",
    permissions: [...apiWriterPermissions(tables, checkpoints), useDataKey(dataKey)],
  });
  new aws.kms.KeyPolicy("DataKeyPolicy", {
    keyId: dataKey.id,
    policy: $jsonStringify(dataKeyPolicy(aws.getCallerIdentityOutput().accountId, writer.nodes.role.arn)),
  });
  const reader = new sst.aws.Function("ApiRead", {
    ...buffered,
    description: "relief-ledger API: GET routes, read-only",
    permissions: [...apiReaderPermissions(tables, checkpoints), denyDataKey(dataKey)],
  });

  // No CORS: the docs (and the dashboard) are served by the API itself; other callers are not browsers.
  const api = new sst.aws.ApiGatewayV2("Http", { cors: false });
  // API Gateway takes the most specific match: a GET with any path goes to the reader, the rest to the writer.
  api.route("GET /{proxy+}", reader.arn);
  // The one GET that writes: taking a disbursement file journals it, and opens accounts.
  api.route("GET /v1/books/{book}/payout-batches/{id}/bank-file", writer.arn);
  api.route("$default", writer.arn);

  return { api, writer, reader, exporter, jwtSecret, idHashKey };
}
