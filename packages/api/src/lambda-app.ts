import { Tracer } from "@aws-lambda-powertools/tracer";
import {
  checkpointsFromEnv,
  dataKeyFromEnv,
  invokeCheckpointAfterClose,
  logFromEnv,
  metricsFromEnv,
} from "@relief-ledger/store";
import { type AppOptions, createApp } from "./app.ts";
import { configFromEnv, secretsFromEnv } from "./config.ts";
import { createLedger } from "./ledger.ts";

const SERVICE = "relief-ledger-api";

/**
 * The app a Lambda entry serves, built once per instance from the function's environment: the
 * journal's per-book queues and cached heads live as long as the instance does. Its DynamoDB calls
 * are traced (X-Ray subsegments under the function's, with active tracing on: infra/api.ts), each
 * request is logged and counted (observe.ts), and the metrics go out as EMF on stdout.
 */
export const lambdaApp = (options: AppOptions = {}) => {
  const tracer = new Tracer({ serviceName: SERVICE });
  // The data key (KMS, LEDGER_DATA_KEY_ID) only the writer function is given: readers never open an account.
  const ledger = createLedger(configFromEnv(), secretsFromEnv(), dataKeyFromEnv(), (client) =>
    tracer.captureAWSv3Client(client),
  );
  const checkpoints = checkpointsFromEnv();
  // The API may not sign: after a close it asks the checkpoint function to run for the book.
  const checkpointFunction = process.env.LEDGER_CHECKPOINT_FUNCTION;
  return createApp(
    {
      ...ledger,
      ...(checkpoints ? { checkpoints } : {}),
      ...(checkpointFunction ? { afterClose: invokeCheckpointAfterClose(checkpointFunction) } : {}),
    },
    { log: logFromEnv(SERVICE), metrics: metricsFromEnv(SERVICE), ...options },
  );
};
