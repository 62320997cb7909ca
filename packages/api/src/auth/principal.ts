import { BookId, Role } from "@relief-ledger/core";
import { z } from "zod";

/**
 * The claims of a verified access token. `exp` is required: hono/jwt checks `exp` only when a
 * token carries one, so a token without expiry would otherwise live for ever.
 */
export const Principal = z.object({
  sub: z.string().min(1).max(200),
  role: Role,
  /** The books this token reaches; "*" reaches every book. */
  books: z.union([z.literal("*"), z.array(BookId)]),
  exp: z.number().int().positive(),
});
export type Principal = z.infer<typeof Principal>;
