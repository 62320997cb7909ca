/**
 * The few SST globals the infra files use, typed for `tsc`. SST generates its full platform types
 * under .sst/ on `sst install`, which needs the internet; these declarations keep the infra
 * type-checked without it, and infra/stand-ins.ts (used by the infra tests) has the same shape. Each
 * shape follows SST's own component arguments (sst.aws.Dynamo, Function, ApiGatewayV2, Cron,
 * sst.Secret) and Pulumi's aws.lambda.FunctionEventInvokeConfig, cut down to what infra/ passes.
 */
type SstInput<T> = T | { apply: unknown };

interface SstResource {
  readonly name: SstInput<string>;
  readonly arn: SstInput<string>;
}

/** One IAM statement of a function's role (SST's FunctionPermissionArgs). */
interface SstPermission {
  /** Defaults to "allow"; an explicit "deny" wins over any allow, from any statement or link. */
  effect?: "allow" | "deny";
  actions: string[];
  resources: SstInput<string>[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

type SstDuration = `${number} ${"second" | "seconds" | "minute" | "minutes"}`;

interface SstFunctionArgs {
  handler: string;
  description?: string;
  runtime?: "nodejs20.x" | "nodejs22.x" | "nodejs24.x";
  architecture?: "x86_64" | "arm64";
  timeout?: SstDuration;
  memory?: `${number} MB`;
  environment?: Record<string, SstInput<string>>;
  link?: unknown[];
  permissions?: SstPermission[];
  url?: boolean;
  /** Response streaming (the function URL's RESPONSE_STREAM mode); the handler must be streamified. */
  streaming?: boolean;
  logging?: { retention?: string };
  nodejs?: {
    format?: "esm" | "cjs";
    minify?: boolean;
    /** Packages left out of the bundle and npm-installed into the function's node_modules instead. */
    install?: string[];
    esbuild?: { external?: string[]; target?: string };
  };
}

interface SstFunction extends SstResource {
  readonly url: SstInput<string>;
}

interface SstSecret {
  readonly name: string;
  readonly value: SstInput<string>;
}

interface SstApiGatewayV2 {
  readonly url: SstInput<string>;
  /** `"$default"` or `"METHOD /path"`; the handler is a handler path, function args or a function ARN. */
  route(route: string, handler: SstInput<string> | SstFunctionArgs, args?: Record<string, unknown>): unknown;
}

declare const $app: { readonly name: string; readonly stage: string };

declare function $config(config: {
  app(input?: { stage?: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown> | undefined>;
}): unknown;

/** Pulumi's interpolate: a string built from outputs (an ARN with a suffix, say). */
declare function $interpolate(strings: TemplateStringsArray, ...values: unknown[]): SstInput<string>;

declare const sst: {
  Secret: new (name: string, placeholder?: string) => SstSecret;
  aws: {
    Dynamo: new (name: string, args: Record<string, unknown>, opts?: Record<string, unknown>) => SstResource;
    Function: new (name: string, args: SstFunctionArgs, opts?: Record<string, unknown>) => SstFunction;
    ApiGatewayV2: new (
      name: string,
      args?: { cors?: boolean; accessLog?: { retention?: string } },
      opts?: Record<string, unknown>,
    ) => SstApiGatewayV2;
    Cron: new (
      name: string,
      args: {
        schedule: `cron(${string})` | `rate(${string})`;
        function: SstInput<string> | SstFunctionArgs;
        enabled?: boolean;
      },
      opts?: Record<string, unknown>,
    ) => unknown;
  };
};

/** The Pulumi AWS provider, which SST exposes as `aws` inside run(). */
declare const aws: {
  lambda: {
    FunctionEventInvokeConfig: new (
      name: string,
      args: { functionName: SstInput<string>; maximumRetryAttempts?: number; maximumEventAgeInSeconds?: number },
      opts?: Record<string, unknown>,
    ) => unknown;
  };
};
