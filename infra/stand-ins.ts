/**
 * Stand-ins for SST's globals (`$config`, `$app`, `$interpolate`, `$jsonStringify`, `sst`, `aws`) that record what the
 * infra asks for, so that tests can evaluate sst.config.ts as `sst deploy` would, without the SST
 * CLI (which downloads its providers). They take the arguments of SST's own components, as
 * declared in sst-globals.d.ts, and hand back outputs as plain strings: names and ARNs shaped
 * like the real ones, secrets as `secret-value-of-<Name>`.
 */
type Args = Record<string, unknown>;

export type Made = { readonly kind: string; readonly name: string; readonly args: Args; readonly opts?: Args };
export type Route = { readonly route: string; readonly handler: unknown };
export type SstConfig = { app(input: { stage: string }): Args; run(): Promise<Args> };

export const ACCOUNT = "111122223333";
const REGION_ACCOUNT = `ap-east-1:${ACCOUNT}`;
export const tableArn = (name: string) => `arn:aws:dynamodb:${REGION_ACCOUNT}:table/${name}`;
export const functionArn = (name: string) => `arn:aws:lambda:${REGION_ACCOUNT}:function:${name}`;
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const bucketArn = (name: string) => `arn:aws:s3:::${name}`;
export const keyArn = (id: string) => `arn:aws:kms:${REGION_ACCOUNT}:key/${id}`;

/** Installs fresh stand-ins for one stage; what the infra then creates is pushed onto `made` and `routes`. */
export function installStandIns(stage: string) {
  const made: Made[] = [];
  const routes: Route[] = [];
  const record = (kind: string, name: string, args?: unknown, opts?: unknown) =>
    made.push({ kind, name, args: (args ?? {}) as Args, ...(opts ? { opts: opts as Args } : {}) });
  const physical = (name: string, suffix: string) => `relief-ledger-${stage}-${name}${suffix}`;
  const g = globalThis as Record<string, unknown>;
  g.$config = (config: unknown) => config;
  g.$app = { name: "relief-ledger", stage };
  g.$interpolate = (strings: TemplateStringsArray, ...values: unknown[]) =>
    strings.reduce((out, text, i) => out + text + (i < values.length ? String(values[i]) : ""), "");
  // Outputs are plain strings here, so Pulumi's jsonStringify is JSON.stringify.
  g.$jsonStringify = (value: unknown) => JSON.stringify(value);
  // SST's $transform: each callback edits the arguments of the components of its class made after it.
  const transforms = new Map<unknown, ((args: Args, opts: Args, name: string) => void)[]>();
  g.$transform = (component: unknown, callback: (args: Args, opts: Args, name: string) => void) =>
    transforms.set(component, [...(transforms.get(component) ?? []), callback]);
  const transformed = (component: unknown, name: string, args: Args, opts?: Args) => {
    for (const callback of transforms.get(component) ?? []) callback(args, opts ?? {}, name);
    return args;
  };
  g.sst = {
    Secret: class {
      readonly name: string;
      readonly value: string;
      constructor(name: string) {
        record("Secret", name);
        this.name = name;
        this.value = `secret-value-of-${name}`;
      }
    },
    aws: {
      Dynamo: class {
        readonly name: string;
        readonly arn: string;
        constructor(name: string, args: Args, opts?: Args) {
          record("Dynamo", name, args, opts);
          this.name = physical(name, "Table");
          this.arn = tableArn(this.name);
        }
      },
      Function: class StandInFunction {
        readonly name: string;
        readonly arn: string;
        readonly url: string;
        readonly nodes: { readonly role: { readonly arn: string } };
        constructor(name: string, given: Args, opts?: Args) {
          const args = transformed(StandInFunction, name, { ...given }, opts);
          record("Function", name, args, opts);
          this.name = physical(name, "Function");
          this.arn = functionArn(this.name);
          // SST gives a function a URL only when asked (`url: true`).
          this.url = args.url === true ? `https://${this.name.toLowerCase()}.lambda-url.example` : "";
          this.nodes = { role: { arn: roleArn(physical(name, "Role")) } };
        }
      },
      Bucket: class {
        readonly name: string;
        readonly arn: string;
        constructor(name: string, args: Args, opts?: Args) {
          record("Bucket", name, args, opts);
          // Bucket names are lower case.
          this.name = physical(name, "Bucket").toLowerCase();
          this.arn = bucketArn(this.name);
        }
      },
      ApiGatewayV2: class {
        readonly url = "https://api.example";
        readonly nodes = { api: { id: "api-id-of-Http" } };
        constructor(name: string, args?: Args, opts?: Args) {
          record("ApiGatewayV2", name, args, opts);
        }
        route(route: string, handler: unknown) {
          routes.push({ route, handler });
        }
      },
      Cron: class {
        constructor(name: string, args: Args, opts?: Args) {
          record("Cron", name, args, opts);
        }
      },
    },
  };
  const recorder = (kind: string) =>
    class {
      constructor(name: string, args: Args, opts?: Args) {
        record(kind, name, args, opts);
      }
    };
  g.aws = {
    getCallerIdentityOutput: () => ({ accountId: ACCOUNT }),
    kms: {
      Key: class {
        readonly id: string;
        readonly arn: string;
        constructor(name: string, args: Args, opts?: Args) {
          record("Key", name, args, opts);
          this.id = `key-id-of-${name}`;
          this.arn = keyArn(this.id);
        }
      },
      KeyPolicy: recorder("KeyPolicy"),
    },
    s3: { BucketObjectLockConfiguration: recorder("BucketObjectLockConfiguration") },
    lambda: { FunctionEventInvokeConfig: recorder("FunctionEventInvokeConfig") },
    sns: {
      Topic: class {
        readonly arn: string;
        constructor(name: string, args: Args, opts?: Args) {
          record("Topic", name, args, opts);
          this.arn = `arn:aws:sns:${REGION_ACCOUNT}:${physical(name, "Topic")}`;
        }
      },
      TopicSubscription: recorder("TopicSubscription"),
    },
    sqs: {
      Queue: class {
        readonly name: string;
        readonly arn: string;
        readonly url: string;
        constructor(name: string, args: Args, opts?: Args) {
          record("Queue", name, args, opts);
          this.name = physical(name, "Queue");
          this.arn = `arn:aws:sqs:${REGION_ACCOUNT}:${this.name}`;
          this.url = `https://sqs.ap-east-1.amazonaws.com/${ACCOUNT}/${this.name}`;
        }
      },
    },
    cloudwatch: { MetricAlarm: recorder("MetricAlarm") },
  };
  return { made, routes };
}

/** Imports sst.config.ts once (its module calls `$config` as it loads). */
export async function loadConfig(): Promise<SstConfig> {
  if (!("$config" in globalThis)) installStandIns("dev");
  return (await import("../sst.config.ts")).default as SstConfig;
}

/** Runs the config's `run()` for a stage under fresh stand-ins, and looks up what it made. */
export async function deploy(config: SstConfig, stage: string) {
  const recorded = installStandIns(stage);
  const outputs = await config.run();
  const find = (kind: string, name: string): Made => {
    const found = recorded.made.find((item) => item.kind === kind && item.name === name);
    if (!found) throw new Error(`no ${kind} ${name}; made ${recorded.made.map((m) => `${m.kind} ${m.name}`)}`);
    return found;
  };
  const fn = (name: string) => find("Function", name).args as unknown as SstFunctionArgs;
  return { ...recorded, outputs, find, fn };
}
