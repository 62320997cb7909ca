import { checkpointsFromEnv, dataKeyFromEnv, invokeCheckpointAfterClose } from "@relief-ledger/store";
import { type AppOptions, createApp } from "./app.ts";
import { configFromEnv, secretsFromEnv } from "./config.ts";
import { createLedger } from "./ledger.ts";

/**
 * The app a Lambda entry serves, built once per instance from the function's environment: the
 * journal's per-book queues and cached heads live as long as the instance does.
 */
export const lambdaApp = (options: AppOptions = {}) => {
  // The data key (KMS, LEDGER_DATA_KEY_ID) only the writer function is given: readers never open an account.
  const ledger = createLedger(configFromEnv(), secretsFromEnv(), dataKeyFromEnv());
  const checkpoints = checkpointsFromEnv();
  // The API may not sign: after a close it asks the checkpoint function to run for the book.
  const checkpointFunction = process.env.LEDGER_CHECKPOINT_FUNCTION;
  return createApp(
    {
      ...ledger,
      ...(checkpoints ? { checkpoints } : {}),
      ...(checkpointFunction ? { afterClose: invokeCheckpointAfterClose(checkpointFunction) } : {}),
    },
    options,
  );
};
