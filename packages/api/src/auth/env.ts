import type { Principal } from "./principal.ts";

/** What `authenticate` puts on `c.var`; merge into the app's Variables. */
export type AuthVariables = { principal: Principal };

export type AuthEnv = { Variables: AuthVariables };
