import { type Api, bookPath, type Requester } from "./api.ts";
import type { EntriesPage } from "./pages/types.ts";

export type UndoLink = { readonly seq: number; readonly type: string };

type Index = { readonly through: number; readonly links: ReadonlyMap<number, UndoLink> };

/** Per app (a test runs several over different tables) and book: the index up to a head seq. */
const indexes = new WeakMap<Requester, Map<string, Index>>();

/**
 * Which entry undid which: the original's seq → its reversal or return. The journal names the
 * original in the undoing entry only, so this reads the reversals and returns through the API
 * (a filtered scan) and keeps the answer per head seq. The journal is append-only, so a kept index
 * stays true and is only extended, from the seq after the one it was read to.
 */
export async function undoLinks(app: Requester, api: Api, book: string, headSeq: number) {
  let perBook = indexes.get(app);
  if (!perBook) {
    perBook = new Map();
    indexes.set(app, perBook);
  }
  const known = perBook.get(book) ?? { through: 0, links: new Map() };
  if (known.through >= headSeq) return known.links;
  const links = new Map(known.links);
  for (const type of ["EntryReversed", "PayoutReturned"]) {
    let cursor: string | undefined;
    do {
      const page: EntriesPage = await api.get<EntriesPage>(
        bookPath(book, "/entries", { type, fromSeq: known.through + 1, toSeq: headSeq, limit: 1000, cursor }),
      );
      for (const entry of page.entries) {
        const original = entry.payload.entrySeq;
        if (typeof original === "number") links.set(original, { seq: entry.seq, type: entry.type });
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  perBook.set(book, { through: headSeq, links });
  return links;
}
