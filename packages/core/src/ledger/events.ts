import { z } from "zod";
import { FundId, Slug, TimeZone } from "../ids.ts";
import { CURRENCIES } from "../money.ts";
import { StoredPosting } from "../postings.ts";

/** Where money comes from (经费来源): dues, the treasury's allocation, the upper level, … */
export const CollectionSource = z.enum(["dues", "allocation", "upper-subsidy", "government", "donation", "other"]);
export type CollectionSource = z.infer<typeof CollectionSource>;

const Text = (max: number) => z.string().min(1).max(max);

export const BookOpened = z.strictObject({
  name: Text(200),
  currency: z.enum(Object.keys(CURRENCIES) as [keyof typeof CURRENCIES]),
  timeZone: TimeZone,
});
export type BookOpened = z.infer<typeof BookOpened>;

export const FundOpened = z.strictObject({
  fundId: FundId,
  name: Text(200),
  restricted: z.boolean(),
  purpose: Text(500).optional(),
});
export type FundOpened = z.infer<typeof FundOpened>;

export const CollectionRecorded = z.strictObject({
  fundId: FundId,
  source: CollectionSource,
  unitId: Slug.optional(),
  amount: z.string(),
  reference: Text(200).optional(),
  memo: Text(1000).optional(),
  postings: z.array(StoredPosting).min(2),
});
export type CollectionRecorded = z.infer<typeof CollectionRecorded>;

/** The payload schema of every event type the ledger writes. */
export const EventPayloads = {
  BookOpened,
  FundOpened,
  CollectionRecorded,
} as const;

export type EventType = keyof typeof EventPayloads;
export const isEventType = (type: string): type is EventType => Object.hasOwn(EventPayloads, type);
