/** Just what the tests read of the served OpenAPI document. */
export type Parameter = { name: string; in: string; required?: boolean };
export type ProblemResponse = {
  description: string;
  content?: {
    "application/problem+json"?: { schema: { allOf?: [unknown, { properties: { type: { enum: string[] } } }] } };
  };
};
export type Operation = {
  operationId?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: unknown;
  security?: unknown[];
  "x-permission"?: string;
  responses: Record<string, ProblemResponse>;
};
export type OpenApiDocument = {
  openapi: string;
  info: { title: string; license?: unknown };
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
};

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operation of the document with its method and path, in document order. */
export const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation, label: `${method.toUpperCase()} ${path}` })),
  );

/** The problem types an operation documents for a status (its schema's enum), or undefined for none. */
export const documentedTypes = (operation: Operation, status: number): string[] | undefined =>
  operation.responses[String(status)]?.content?.["application/problem+json"]?.schema.allOf?.[1].properties.type.enum;

/**
 * Why an answer is not what the operation documents, or undefined when it is: a 2xx it lists, or
 * a problem whose status it lists with that problem's type among the types listed for it.
 */
export function undocumented(operation: Operation, reply: { status: number; json?: { type?: string } }) {
  const response = operation.responses[String(reply.status)];
  if (!response) return `status ${reply.status} is not among ${Object.keys(operation.responses).join(", ")}`;
  if (reply.status < 400) return undefined;
  const types = documentedTypes(operation, reply.status) ?? [];
  const type = reply.json?.type;
  return type && types.includes(type) ? undefined : `${type} is not among the ${reply.status} types [${types}]`;
}
