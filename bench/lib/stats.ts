/** Figures from samples: percentiles by nearest rank, rounded for people to read. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export const sum = (samples: readonly number[]): number => samples.reduce((a, b) => a + b, 0);

/** Rounds to a few significant places: 0.01234 → 0.0123, 1234.5 → 1235. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const places = Math.max(0, digits - 1 - magnitude);
  return Number(value.toFixed(Math.min(places, 6)));
}

/** figure ÷ floor, rounded: how many floors the figure costs (or, for a rate, achieves). */
export const ratio = (figure: number, floor: number): number => round(figure / floor);

/** Milliseconds an async call takes, with its result. */
export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}
