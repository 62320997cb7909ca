export * from "./match.ts";
export * from "./reconcile.ts";
export * from "./statement.ts";
