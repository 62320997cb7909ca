/**
 * A small seeded generator (mulberry32, Tommy Ettinger's public-domain 32-bit mixer): the demo
 * book must come out the same from the same seed on every machine, so Math.random is never used.
 */
export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
  chance(probability: number): boolean;
};

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
    chance: (probability) => next() < probability,
  };
}

/**
 * Amounts (in whole yuan) that sum to `total` exactly: start from the drafts, then move `step`
 * yuan at a time on randomly chosen lines, never leaving [min, max]. The seed's totals are exact
 * (1,051,100 yuan, 190,000 yuan, 110,000 yuan), so the generator meets them this way rather
 * than by scaling, which would leave odd cents.
 */
export function fitToTotal(
  random: Random,
  drafts: readonly number[],
  total: number,
  bounds: { min: number; max: number; step: number },
): number[] {
  const amounts = [...drafts];
  let gap = total - amounts.reduce((sum, amount) => sum + amount, 0);
  if (gap % bounds.step !== 0) throw new Error(`cannot reach ${total} in steps of ${bounds.step}`);
  const room = amounts.reduce((sum, amount) => sum + (gap > 0 ? bounds.max - amount : amount - bounds.min), 0);
  if (Math.abs(gap) > room) throw new Error(`cannot reach ${total} within [${bounds.min}, ${bounds.max}]`);
  while (gap !== 0) {
    const index = random.int(0, amounts.length - 1);
    const amount = amounts[index] as number;
    const moved = gap > 0 ? amount + bounds.step : amount - bounds.step;
    if (moved < bounds.min || moved > bounds.max) continue;
    amounts[index] = moved;
    gap += gap > 0 ? -bounds.step : bounds.step;
  }
  return amounts;
}
