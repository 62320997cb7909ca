export * from "./annual.ts";
export * from "./close.ts";
export * from "./month-fold.ts";
export { rollupsFor } from "./read.ts";
