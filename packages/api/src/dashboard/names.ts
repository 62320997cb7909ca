import { html } from "hono/html";
import { type Api, ApiProblem, bookPath } from "./api.ts";
import type { Html } from "./layout.ts";
import type { Named } from "./pages/types.ts";

/** Names of funds, programmes and units, to show beside their ids. */
export type Names = {
  readonly funds: ReadonlyMap<string, string>;
  readonly programs: ReadonlyMap<string, string>;
  readonly units: ReadonlyMap<string, string>;
};

export async function namesOf(api: Api, book: string): Promise<Names> {
  const [funds, programs, units] = await Promise.all([
    api.get<{ funds: Named[] }>(bookPath(book, "/funds")),
    api.get<{ programs: Named[] }>(bookPath(book, "/programs")),
    api.get<{ units: Named[] }>(bookPath(book, "/units")),
  ]);
  const map = (list: Named[]) => new Map(list.map((item) => [item.id, item.name]));
  return { funds: map(funds.funds), programs: map(programs.programs), units: map(units.units) };
}

/** Beneficiaries read at once by one page: a journal page lists at most 100 entries. */
const AT_ONCE = 8;

/**
 * The names of the beneficiaries a page lists. The API has no list of beneficiaries by id, so each
 * distinct one is read once (`GET …/beneficiaries/{id}`), a few at a time, never once per row; one
 * that cannot be read (erased, or an id the book never registered) is shown by its id.
 */
export async function beneficiaryNames(
  api: Api,
  book: string,
  ids: Iterable<string | undefined>,
): Promise<ReadonlyMap<string, string>> {
  const pending = [...new Set([...ids].filter((id): id is string => typeof id === "string" && id !== ""))];
  const names = new Map<string, string>();
  const worker = async () => {
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      try {
        const who = await api.get<Named>(bookPath(book, `/beneficiaries/${encodeURIComponent(id)}`));
        names.set(id, who.name);
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status >= 500) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, pending.length) }, worker));
  return names;
}

/** A fund, programme or unit by its name, its id kept as a tooltip; an unnamed one by its id, as code. */
export const named = (names: ReadonlyMap<string, string>, id: string): Html =>
  names.has(id) ? html`<span title="${id}">${names.get(id)}</span>` : html`<code>${id}</code>`;
