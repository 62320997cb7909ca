import { writeTraces } from "./permissions.ts";

/**
 * What every function of the stage gets, applied with SST's $transform so that no function, a new
 * one included, is left out: X-Ray active tracing (Powertools Tracer in the handlers captures the
 * DynamoDB client under the function's segment), the permission to send traces, and the stage
 * (LEDGER_STAGE), the one dimension of the ledger's metrics. Called before any function is made.
 */
export function observeEveryFunction(stage: string): void {
  $transform(sst.aws.Function, (args) => {
    args.environment = { ...args.environment, LEDGER_STAGE: stage };
    args.permissions = [...(args.permissions ?? []), writeTraces];
    args.transform = {
      ...args.transform,
      function: { ...args.transform?.function, tracingConfig: { mode: "Active" } },
    };
  });
}
