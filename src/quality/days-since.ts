const DAY_MS = 86_400_000;

/** Whole days from `date` (a 'YYYY-MM-DD' calendar day or an instant) to `now`, counted in UTC calendar days. */
export function daysSince(date: string | Date | null | undefined, now: Date = new Date()): number | null {
  if (date == null) return null;
  const then = typeof date === 'string' ? Date.parse(`${date.slice(0, 10)}T00:00:00Z`) : date.getTime();
  if (Number.isNaN(then)) return null;
  const startOfDay = (ms: number) => Math.floor(ms / DAY_MS);
  return startOfDay(now.getTime()) - startOfDay(then);
}

/** part / whole rounded to 4 decimals, or null when there is nothing to measure. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}
