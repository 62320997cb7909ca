export * from "./annual.ts";
export * from "./close.ts";
export * from "./month-fold.ts";
export * from "./observed.ts";
export { rollupsFor } from "./read.ts";
