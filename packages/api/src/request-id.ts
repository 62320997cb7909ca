import { randomUUID } from "node:crypto";
import { RequestId } from "@relief-ledger/core";

/** The caller's X-Request-Id when it is a sane token (RequestId: letters, digits, `._:@-`, at most 128), else a fresh UUID. */
export function chooseRequestId(header: string | undefined): string {
  if (header !== undefined && RequestId.safeParse(header).success) return header;
  return randomUUID();
}

export const REQUEST_ID_HEADER = "X-Request-Id";
