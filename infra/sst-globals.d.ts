/**
 * The few SST globals the infra files use, typed for `tsc`. SST generates its full platform types
 * under .sst/ on `sst install`, which needs the internet; these declarations keep the infra
 * type-checked without it, and the infra test supplies stand-ins with the same shape.
 */
type SstInput<T> = T | { apply: unknown };

interface SstResource {
  readonly name: SstInput<string>;
  readonly arn: SstInput<string>;
}

declare const $app: { readonly name: string; readonly stage: string };

declare function $config(config: {
  app(input?: { stage?: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown> | undefined>;
}): unknown;

declare const sst: {
  aws: {
    Dynamo: new (name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) => SstResource;
  };
};
