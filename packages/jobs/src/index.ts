export * from "./rollups.ts";
