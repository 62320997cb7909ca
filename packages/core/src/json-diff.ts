export type Difference = { readonly path: string; readonly recorded: unknown; readonly recomputed: unknown };

/**
 * Where two JSON values differ, as dotted paths to the leaves that differ (`funds.general.balance`),
 * up to `limit` of them: what verify says when a stored figure no longer follows from the events.
 */
export function jsonDifferences(recorded: unknown, recomputed: unknown, limit = 100): Difference[] {
  const found: Difference[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (found.length >= limit || Object.is(a, b)) return;
    const objects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
    if (!objects || Array.isArray(a) !== Array.isArray(b)) {
      found.push({ path: path || "(whole)", recorded: a, recomputed: b });
      return;
    }
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) walk(left[key], right[key], path ? `${path}.${key}` : key);
  };
  walk(recorded, recomputed, "");
  return found;
}
