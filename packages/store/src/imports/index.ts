export * from "./import-roster.ts";
