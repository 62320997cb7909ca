import { Tracer } from "@aws-lambda-powertools/tracer";
import {
  configFromEnv,
  createDynamoClient,
  createLedgerJournal,
  type LedgerMetrics,
  type Logger,
  logFromEnv,
  metricsFromEnv,
} from "@relief-ledger/store";

/**
 * What every job's Lambda function builds once per instance: its journal over a DynamoDB client
 * the tracer captures (X-Ray, with active tracing on: infra/), its log and its metrics, all named
 * by the job's service.
 */
export function jobRuntime(service: string) {
  const config = configFromEnv();
  const tracer = new Tracer({ serviceName: service });
  const client = tracer.captureAWSv3Client(createDynamoClient(config.dynamoEndpoint));
  const journal = createLedgerJournal({ client, tables: config.tables });
  const log: Logger = logFromEnv(service);
  const metrics: LedgerMetrics = metricsFromEnv(service);
  return { config, client, journal, log, metrics, tracer };
}
