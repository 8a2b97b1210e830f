/**
 * Deterministic demo data generator for the CMS QHP provider/formulary format.
 *
 * generateDemoData() builds everything that is small (issuers, plans.json content, drugs.json
 * content, provider counts); generateProviders() streams one issuer's provider directory record
 * by record, so a million providers never sit in memory. Same options => identical output.
 */

import { DEMO_FIXTURES, fixtureProviderRecords, type DemoFixtures } from './fixtures';
import { buildIssuerDrugs } from './lib/formulary';
import { buildPlans, ISSUERS, planInfosFor, type DemoPlanInfo, type IssuerDefinition } from './lib/issuers';
import { generateDirectory, type DirectoryLayout } from './lib/providers';
import type { QhpDrug, QhpPlan, QhpProvider } from './lib/qhp-types';
import { DRUG_CATALOGUE, type CatalogueDrug } from './reference/drugs';
import { DEMO_STATES } from './reference/places';

export { luhnNpiCheckDigit, makeNpi, isValidNpi } from './lib/npi';
export { DEMO_FIXTURES } from './fixtures';
export type { DemoFixtures } from './fixtures';
export type { CatalogueDrug } from './reference/drugs';
export type { DemoPlanInfo, Metal } from './lib/issuers';
export type * from './lib/qhp-types';

export const DEFAULT_SEED = 20260101;
export const DEFAULT_YEAR = 2026;

/**
 * In a state served by several issuers (Ohio), the share of directory listings that belong to
 * providers contracted with every issuer of the state (same NPI in each directory).
 */
const SHARED_LISTING_SHARE = 0.2;

export interface GenerateOptions {
  /** Total provider records across all issuers (fixtures included); at least the fixture count (7), 20+ recommended. */
  providers: number;
  seed?: number;
  /** Plan year written into `years` (default 2026). */
  year?: number;
}

export interface DemoIssuer {
  issuerId: string;
  name: string;
  state: string;
  /** plans.json content. */
  plans: QhpPlan[];
  /** Plan metadata (metal level, formulary form, defined tiers). */
  planInfos: DemoPlanInfo[];
  /** drugs.json content: covered catalogue drugs with their per-plan tiers. */
  drugs: QhpDrug[];
  /** Records generateProviders() will yield for this issuer (fixtures included). */
  providerCount: number;
  /** Generation parameters captured so generateProviders() needs nothing else. */
  generation: { seed: number; year: number; definition: IssuerDefinition; layout: DirectoryLayout };
}

export interface DemoDataset {
  seed: number;
  year: number;
  providerTotal: number;
  issuers: DemoIssuer[];
  /** The whole drug catalogue, including drugs no plan covers. */
  drugCatalogue: readonly CatalogueDrug[];
  fixtures: DemoFixtures;
}

/** Splits the total: fixtures first, the rest by issuer weight (largest remainders get the leftovers). */
function providerCounts(total: number, fixtureCounts: number[]): number[] {
  const fixtureTotal = fixtureCounts.reduce((sum, count) => sum + count, 0);
  if (!Number.isInteger(total) || total < fixtureTotal) {
    throw new Error(`providers must be an integer >= ${fixtureTotal} (the fixture providers), got ${total}`);
  }
  const remaining = total - fixtureTotal;
  const exact = ISSUERS.map((issuer) => remaining * issuer.providerWeight);
  const counts = exact.map(Math.floor);
  let leftover = remaining - counts.reduce((sum, count) => sum + count, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of byRemainder) {
    if (leftover-- <= 0) break;
    counts[index] = (counts[index] as number) + 1;
  }
  return counts;
}

function directoryLayouts(generatedCounts: number[]): DirectoryLayout[] {
  return ISSUERS.map((issuer, issuerIndex) => {
    const sameState = ISSUERS.map((other, index) => ({ other, index })).filter(({ other }) => other.state === issuer.state);
    const stateCounts = sameState.map(({ index }) => generatedCounts[index] as number);
    // Each pooled provider is listed once per issuer of the state; the pool cannot outgrow the smallest directory.
    const pooled = Math.floor((SHARED_LISTING_SHARE * stateCounts.reduce((sum, count) => sum + count, 0)) / sameState.length);
    return {
      issuerIndex,
      stateIndex: DEMO_STATES.indexOf(issuer.state),
      slotInState: sameState.findIndex(({ index }) => index === issuerIndex),
      generatedCount: generatedCounts[issuerIndex] as number,
      sharedPoolSize: sameState.length > 1 ? Math.min(pooled, ...stateCounts) : 0,
    };
  });
}

export function generateDemoData(opts: GenerateOptions): DemoDataset {
  const seed = opts.seed ?? DEFAULT_SEED;
  const year = opts.year ?? DEFAULT_YEAR;
  const fixtureCounts = ISSUERS.map((issuer) => fixtureProviderRecords(issuer.issuerId, year).length);
  const generatedCounts = providerCounts(opts.providers, fixtureCounts);
  const layouts = directoryLayouts(generatedCounts);

  const issuers = ISSUERS.map((definition, issuerIndex): DemoIssuer => {
    const planInfos = planInfosFor(definition);
    const layout = layouts[issuerIndex] as DirectoryLayout;
    return {
      issuerId: definition.issuerId,
      name: definition.name,
      state: definition.state,
      plans: buildPlans(definition, year, issuerIndex),
      planInfos,
      drugs: buildIssuerDrugs(definition, planInfos, seed, year),
      providerCount: (fixtureCounts[issuerIndex] as number) + layout.generatedCount,
      generation: { seed, year, definition, layout },
    };
  });

  return { seed, year, providerTotal: opts.providers, issuers, drugCatalogue: DRUG_CATALOGUE, fixtures: DEMO_FIXTURES };
}

/**
 * Streams an issuer's provider directory (QHP provider objects), fixtures first. The seed and
 * year default to the ones the issuer was generated with; overriding them is only meant for
 * experiments, since plans and drugs were built with the original values.
 */
export function* generateProviders(issuer: DemoIssuer, opts: { seed?: number; year?: number } = {}): Generator<QhpProvider, void, undefined> {
  const { definition, layout } = issuer.generation;
  yield* generateDirectory({
    issuer: definition,
    plans: issuer.planInfos,
    layout,
    seed: opts.seed ?? issuer.generation.seed,
    year: opts.year ?? issuer.generation.year,
  });
}
