export * from "./reports.ts";
export * from "./rollup.ts";
