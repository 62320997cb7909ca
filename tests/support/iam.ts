import { deploy, type SstConfig } from "../../infra/stand-ins.ts";

/**
 * A small IAM evaluator for the functions' roles as sst.config.ts makes them (and for the key's and
 * the bucket's policies, turned into the same statement shape): an explicit deny wins, then any
 * matching allow; anything else is implicitly denied. It knows only the condition operators the
 * infra uses, and throws on any other, so that a new one cannot pass unexamined.
 */
export type Statement = SstPermission;

/** A request: the action, the resource, and the condition keys it carries (aws:PrincipalArn, …). */
export type Request = {
  action: string;
  resource: string;
  enclosingOperation?: string;
  context?: Readonly<Record<string, string>>;
};
export type Decision = "allow" | "explicit-deny" | "implicit-deny";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** IAM's wildcard match, for actions (case-insensitive), resources and ARN conditions. */
export const glob = (pattern: string, value: string, flags = "") =>
  new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, flags).test(value);

const contextValue = (request: Request, variable: string) =>
  variable === "dynamodb:EnclosingOperation" ? request.enclosingOperation : request.context?.[variable];

function conditionHolds(condition: NonNullable<Statement["conditions"]>[number], request: Request): boolean {
  const value = contextValue(request, condition.variable);
  switch (condition.test) {
    case "ForAnyValue:StringEquals":
      return value !== undefined && condition.values.includes(value);
    // A negated operator holds when the key is absent, as in IAM.
    case "ArnNotEquals":
      return value === undefined || !condition.values.some((pattern) => glob(pattern, value));
    case "Null":
      return condition.values.includes(String(value === undefined));
    // The request's leading keys (the items' partition keys), comma-separated here: each must match.
    case "ForAllValues:StringLike":
      return (value ?? "").split(",").every((key) => condition.values.some((pattern) => glob(pattern, key)));
    default:
      throw new Error(`the evaluator does not know ${condition.test} ${condition.variable}`);
  }
}

export function evaluate(statements: readonly Statement[], request: Request): Decision {
  const applies = (statement: Statement) =>
    statement.actions.some((action) => glob(action, request.action, "i")) &&
    statement.resources.some((resource) => glob(String(resource), request.resource)) &&
    (statement.conditions ?? []).every((condition) => conditionHolds(condition, request));
  if (statements.some((statement) => statement.effect === "deny" && applies(statement))) return "explicit-deny";
  return statements.some((statement) => (statement.effect ?? "allow") === "allow" && applies(statement))
    ? "allow"
    : "implicit-deny";
}

/** Each function's role, by the function's name, as a stage of sst.config.ts makes them. */
export async function rolesOf(config: SstConfig, stage = "prod") {
  const { fn } = await deploy(config, stage);
  const names = ["Api", "ApiRead", "ApiExport", "Rollup", "Checkpoint", "Expiry"] as const;
  return Object.fromEntries(names.map((name) => [name, fn(name).permissions ?? []])) as Record<
    (typeof names)[number],
    Statement[]
  >;
}
