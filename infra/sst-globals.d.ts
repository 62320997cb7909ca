/**
 * The few SST globals the infra files use, typed for `tsc`. SST generates its full platform types
 * under .sst/ on `sst install`, which needs the internet; these declarations keep the infra
 * type-checked without it, and infra/stand-ins.ts (used by the infra tests) has the same shape. Each
 * shape follows SST's own component arguments (sst.aws.Dynamo, Function, ApiGatewayV2, Cron, Bucket,
 * sst.Secret) and those of the Pulumi AWS provider v7 that SST v4 ships (aws.lambda.FunctionEventInvokeConfig,
 * aws.kms.Key and KeyPolicy, aws.s3.BucketObjectLockConfiguration), cut down to what infra/ passes.
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
  /** Arguments merged over those SST gives the underlying resources (Pulumi's aws.lambda.Function). */
  transform?: { function?: { tracingConfig?: { mode: "Active" | "PassThrough" } } };
  nodejs?: {
    format?: "esm" | "cjs";
    minify?: boolean;
    /** A file whose default export is a list of esbuild plugins, relative to the project's root. */
    plugins?: string;
    /** Packages left out of the bundle and npm-installed into the function's node_modules instead. */
    install?: string[];
    esbuild?: { external?: string[]; target?: string };
  };
}

interface SstFunction extends SstResource {
  readonly url: SstInput<string>;
  /** The role SST makes for the function (unless given one): its ARN names it in the key policy. */
  readonly nodes: { readonly role: { readonly arn: SstInput<string> } };
}

/** One statement of a bucket's policy (SST's BucketArgs.policy); `paths` are under the bucket's ARN. */
interface SstBucketPolicy {
  effect?: "allow" | "deny";
  actions: string[];
  principals: "*" | { type: "aws" | "service" | "federated" | "canonical"; identifiers: SstInput<string>[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
  paths?: string[];
}

interface SstBucketArgs {
  /** Unset: no public or CloudFront read is granted (and the public access block stays whole). */
  access?: "public" | "cloudfront";
  versioning?: boolean;
  /** Defaults to true: a bucket policy statement denies any request not over HTTPS. */
  enforceHttps?: boolean;
  cors?: false;
  policy?: SstBucketPolicy[];
  transform?: {
    /** Merged over SST's arguments for the aws.s3.Bucket (which sets forceDestroy: true). */
    bucket?: { objectLockEnabled?: boolean; forceDestroy?: boolean };
    publicAccessBlock?: {
      blockPublicAcls?: boolean;
      blockPublicPolicy?: boolean;
      ignorePublicAcls?: boolean;
      restrictPublicBuckets?: boolean;
    };
  };
}

interface SstSecret {
  readonly name: string;
  readonly value: SstInput<string>;
}

interface SstApiGatewayV2 {
  readonly url: SstInput<string>;
  /** The underlying resources: `api.id` names the HTTP API in API Gateway's metrics. */
  readonly nodes: { readonly api: { readonly id: SstInput<string> } };
  /** `"$default"` or `"METHOD /path"`; the handler is a handler path, function args or a function ARN. */
  route(route: string, handler: SstInput<string> | SstFunctionArgs, args?: Record<string, unknown>): unknown;
}

declare const $app: { readonly name: string; readonly stage: string };

/** SST's global transform: `callback` edits the arguments of every component of that class made after it. */
declare function $transform<A>(
  component: new (name: string, args: A, opts?: Record<string, unknown>) => unknown,
  callback: (args: A, opts: Record<string, unknown>, name: string) => void,
): void;

/** A CloudWatch alarm's arguments (Pulumi's aws.cloudwatch.MetricAlarm), cut down to what infra/alerts.ts passes. */
interface MetricAlarmArgs {
  alarmDescription?: string;
  comparisonOperator: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold";
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  treatMissingData?: "missing" | "ignore" | "breaching" | "notBreaching";
  namespace?: string;
  metricName?: string;
  dimensions?: Record<string, SstInput<string>>;
  statistic?: "Sum" | "Maximum" | "Average" | "SampleCount" | "Minimum";
  period?: number;
  metricQueries?: {
    id: string;
    expression?: SstInput<string>;
    label?: string;
    period?: number;
    returnData?: boolean;
    metric?: {
      namespace: string;
      metricName: string;
      dimensions?: Record<string, SstInput<string>>;
      period: number;
      stat: string;
    };
  }[];
  alarmActions: SstInput<string>[];
  okActions?: SstInput<string>[];
}

declare function $config(config: {
  app(input?: { stage?: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown> | undefined>;
}): unknown;

/** Pulumi's interpolate: a string built from outputs (an ARN with a suffix, say). */
declare function $interpolate(strings: TemplateStringsArray, ...values: unknown[]): SstInput<string>;

/** Pulumi's jsonStringify: JSON of a value whose leaves may be outputs (a policy naming ARNs). */
declare function $jsonStringify(value: unknown): SstInput<string>;

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
    Bucket: new (name: string, args: SstBucketArgs, opts?: Record<string, unknown>) => SstResource;
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
  sns: {
    Topic: new (
      name: string,
      args: { displayName?: string },
      opts?: Record<string, unknown>,
    ) => { readonly arn: SstInput<string> };
    TopicSubscription: new (
      name: string,
      args: { topic: SstInput<string>; protocol: "email" | "sqs" | "lambda" | "https"; endpoint: SstInput<string> },
      opts?: Record<string, unknown>,
    ) => unknown;
  };
  sqs: {
    Queue: new (
      name: string,
      args: { messageRetentionSeconds?: number; sqsManagedSseEnabled?: boolean },
      opts?: Record<string, unknown>,
    ) => SstResource & { readonly url: SstInput<string> };
  };
  cloudwatch: {
    MetricAlarm: new (name: string, args: MetricAlarmArgs, opts?: Record<string, unknown>) => unknown;
  };
  getCallerIdentityOutput: () => { readonly accountId: SstInput<string> };
  kms: {
    Key: new (
      name: string,
      args: {
        description?: string;
        /** The key spec (KMS's KeySpec; Pulumi keeps the older name). */
        customerMasterKeySpec?: string;
        keyUsage?: "ENCRYPT_DECRYPT" | "SIGN_VERIFY" | "GENERATE_VERIFY_MAC" | "KEY_AGREEMENT";
        /** 7 to 30: how long a key scheduled for deletion can still be recovered. */
        deletionWindowInDays?: number;
        enableKeyRotation?: boolean;
        /** Omitted: the account's default key policy, which KeyPolicy then replaces. */
        policy?: SstInput<string>;
      },
      opts?: Record<string, unknown>,
    ) => { readonly id: SstInput<string>; readonly arn: SstInput<string> };
    KeyPolicy: new (
      name: string,
      args: { keyId: SstInput<string>; policy: SstInput<string> },
      opts?: Record<string, unknown>,
    ) => unknown;
  };
  s3: {
    BucketObjectLockConfiguration: new (
      name: string,
      args: {
        bucket: SstInput<string>;
        rule: { defaultRetention: { mode: "COMPLIANCE" | "GOVERNANCE"; days?: number; years?: number } };
      },
      opts?: Record<string, unknown>,
    ) => unknown;
  };
  lambda: {
    FunctionEventInvokeConfig: new (
      name: string,
      args: {
        functionName: SstInput<string>;
        maximumRetryAttempts?: number;
        maximumEventAgeInSeconds?: number;
        /** Where an asynchronous invocation goes once it has failed every retry (an SQS queue, say). */
        destinationConfig?: { onFailure?: { destination: SstInput<string> } };
      },
      opts?: Record<string, unknown>,
    ) => unknown;
  };
};
