export * from "./expire.ts";
