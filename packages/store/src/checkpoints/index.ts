export * from "./after-close.ts";
export * from "./archive.ts";
export * from "./archive-files.ts";
export * from "./archive-s3.ts";
export * from "./keeper.ts";
export * from "./run.ts";
export * from "./signer.ts";
export * from "./take.ts";
