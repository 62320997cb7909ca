export * from "./checkpoints.ts";
export * from "./rollups.ts";
