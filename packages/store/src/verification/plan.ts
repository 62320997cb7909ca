/** Where the nightly verification stands in a book: what it has verified and where its slice goes next. */
export type VerifyCursor = {
  /** Every entry through this seq was verified on the night it was new (or by the first run). */
  readonly lastVerifiedSeq: number;
  /** The rotating slice of history starts after this seq; back to 0 once it reaches the head. */
  readonly offset: number;
};

export const FRESH_CURSOR: VerifyCursor = { lastVerifiedSeq: 0, offset: 0 };

/** Every entry is re-read at least once in this many nightly runs: a week. */
export const SWEEP_RUNS = 7;

export type SeqRange = { readonly fromSeq: number; readonly toSeq: number };

/**
 * Tonight's ranges for a book whose head is at `headSeq`: what was appended since the last run,
 * and a slice of the history before it, a sixth of it from the cursor's offset, so that the slices
 * sweep the book in at most seven runs however old an entry is (an edit to a 2010 entry is found
 * as surely as one to yesterday's). A sixth, not a seventh, because the history grows while the
 * slices sweep it: the seventh run takes up what grew, for a book that grows by less than about a
 * sixth a week. Overlapping ranges are merged; pure, so it is tested without DynamoDB.
 */
export function planVerification(cursor: VerifyCursor, headSeq: number): { ranges: SeqRange[]; next: VerifyCursor } {
  if (headSeq <= 0) return { ranges: [], next: cursor };
  // A head behind the cursor (a restored table) starts again rather than trusting it.
  const start = cursor.lastVerifiedSeq > headSeq ? FRESH_CURSOR : cursor;
  const history = start.lastVerifiedSeq;
  const ranges: SeqRange[] = [];
  let offset = 0;
  if (history > 0) {
    const from = start.offset < history ? start.offset + 1 : 1;
    const to = Math.min(from - 1 + Math.ceil(history / (SWEEP_RUNS - 1)), history);
    ranges.push({ fromSeq: from, toSeq: to });
    offset = to >= history ? 0 : to;
  }
  if (history < headSeq) ranges.push({ fromSeq: history + 1, toSeq: headSeq });
  return { ranges: mergeRanges(ranges), next: { lastVerifiedSeq: headSeq, offset } };
}
function mergeRanges(ranges: readonly SeqRange[]): SeqRange[] {
  const sorted = [...ranges].sort((a, b) => a.fromSeq - b.fromSeq);
  const merged: SeqRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.fromSeq <= last.toSeq + 1)
      merged[merged.length - 1] = { ...last, toSeq: Math.max(last.toSeq, range.toSeq) };
    else merged.push(range);
  }
  return merged;
}
