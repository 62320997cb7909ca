export * from "./nightly.ts";
export * from "./plan.ts";
