import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Database } from '../../src/database/database';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { loadDrugCrosswalk, loadDrugPrices } from '../../src/pricing/reference-data.loader';

export const FIXTURES = join(__dirname, 'fixtures');

/** Issuer 44444: two plans for 2026 with providers and drugs. Issuer 44445: one plan, providers, no formulary. */
export const ISSUER = { main: '44444', second: '44445' } as const;
export const ISSUER_NAME = { main: 'Trust Test Health', second: 'Second Trust Health' } as const;
export const PLAN = { silver: '44444OH0010001', gold: '44444OH0010002', bronze: '44445OH0020001', unknown: '99999ZZ9999999' } as const;

/** Valid NPIs (check digit included) and where the fixtures list them. */
export const NPI = {
  /** Ada Quill: 44444 Silver (phone, accepting) and 44445 Bronze. */
  ada: '1444400018',
  /** Ben Okafor: 44444 Gold only (not accepting). */
  ben: '1444400026',
  /** Trust Test Clinic (facility): 44444 Silver and Gold, no phone. */
  clinic: '1444400034',
  /** Dina Reyes: 44444 Silver, no phone, no accepting status. */
  dina: '1444400042',
  /** Listed nowhere. */
  nobody: '1444400059',
  /** Fails the check digit: the fixture record with it is rejected at load. */
  invalid: '1444400010',
} as const;

export const RXCUI = {
  atorvastatin20: '617310',
  lipitor20: '617318',
  eliquis5: '1364447',
  ozempic: '2398842',
  metformin500: '861007',
  crestor20: '859753',
} as const;

/** How the importer names each file in provenance (the index's URLs, as the carrier wrote them). */
export const SOURCE_FILE = { plans: 'plans.json', providers: 'providers.json', drugs: 'drugs.json' } as const;

export interface LoadedTrustFixtures {
  versionIds: Record<string, number>;
}

/** Loads both issuers through the real importer, then the crosswalk and price CSVs. Idempotent. */
export async function loadTrustFixtures(db: DataSource): Promise<LoadedTrustFixtures> {
  const importer = new QhpImporter(db);
  const versionIds: Record<string, number> = {};
  for (const [issuerId, issuerName] of [
    [ISSUER.main, ISSUER_NAME.main],
    [ISSUER.second, ISSUER_NAME.second],
  ]) {
    const result = await importer.import({
      issuerId,
      issuerName,
      paths: [join(FIXTURES, issuerId, 'cms-data-index.json')],
      source: 'test',
      loadedBy: 'test',
    });
    if (result.status === 'failed') throw new Error(`fixture load of ${issuerId} failed: ${JSON.stringify(result.report)}`);
    versionIds[issuerId] = result.versionId;
  }
  await loadDrugCrosswalk(new Database(db), join(FIXTURES, 'drug-ingredients.csv'));
  await loadDrugPrices(new Database(db), join(FIXTURES, 'drug-prices.csv'));
  return { versionIds };
}

/** Whole UTC days from a YYYY-MM-DD date (or an instant) to now: what dataAgeDays should say. */
export function expectedDaysSince(date: string | Date): number {
  const then = typeof date === 'string' ? Date.parse(`${date}T00:00:00Z`) : date.getTime();
  return Math.floor(Date.now() / 86_400_000) - Math.floor(then / 86_400_000);
}
