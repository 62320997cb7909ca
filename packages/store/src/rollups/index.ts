export * from "./close.ts";
export * from "./month-fold.ts";
