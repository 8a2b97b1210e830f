import { ImportError, ShrinkFigure } from '../import-contract';
import { PublishRefusal } from './version-publisher';

/** The version counts a load must not cut by more than the allowed share unconfirmed. */
const GUARDED_COUNTS: ReadonlyArray<{ name: string; label: string }> = [
  { name: 'providers', label: 'provider listings' },
  { name: 'networkMemberships', label: 'network memberships' },
  { name: 'formularyEntries', label: 'formulary entries' },
];

/** The counts the new version has fewer of than the published one, and by how much (percent to one decimal). */
export function shrinkOf(published: Record<string, number> | null | undefined, loaded: Record<string, number>): Record<string, ShrinkFigure> {
  const shrink: Record<string, ShrinkFigure> = {};
  for (const { name } of GUARDED_COUNTS) {
    const before = Number(published?.[name] ?? 0);
    const after = Number(loaded[name] ?? 0);
    if (before > 0 && after < before) shrink[name] = { before, after, percent: Math.round(((before - after) / before) * 1000) / 10 };
  }
  return shrink;
}

/**
 * Refuses a load that removes more than `maxPercent` of the published provider listings, network
 * memberships or formulary entries (an empty or fully rejected file, a dropped kind), unless confirmed.
 */
export function checkShrink(shrink: Record<string, ShrinkFigure>, maxPercent: number, allowShrink: boolean): void {
  if (allowShrink) return;
  const over = GUARDED_COUNTS.filter(({ name }) => shrink[name] && shrink[name].percent > maxPercent);
  if (!over.length) return;
  const figures = over.map(({ name, label }) => `${shrink[name].percent}% of the published ${label} (${shrink[name].before} → ${shrink[name].after})`);
  throw new ImportError(
    PublishRefusal.SHRINK_NEEDS_CONFIRMATION,
    `the load would remove ${figures.join(', ')}, more than the ${maxPercent}% allowed; nothing was published. ` +
      'If this is intended, load again with --allow-shrink (import command) or allowShrink=true (upload)',
  );
}
