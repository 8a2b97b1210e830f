import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Database } from '../database/database';
import { loadDrugCrosswalk, loadDrugPrices } from './reference-data.loader';

export const DEMO_CROSSWALK_CSV = 'drug-ingredients.csv';
export const DEMO_PRICES_CSV = 'drug-prices.csv';

/**
 * seeds/reference, found from the source tree (ts-node) or from dist/ (compiled builds do not copy CSVs,
 * so look back in the project's seeds/ folder).
 */
export function demoReferenceDir(): string {
  const candidates = [resolve(__dirname, '../../seeds/reference'), resolve(__dirname, '../../../seeds/reference')];
  return candidates.find((dir) => existsSync(join(dir, DEMO_CROSSWALK_CSV))) ?? candidates[0];
}

/** Loads the demo crosswalk and prices shipped in seeds/reference (generic equivalents and estimates). */
export async function loadDemoReferenceData(db: Database, log: (line: string) => void = () => undefined): Promise<void> {
  const dir = demoReferenceDir();
  const crosswalk = await loadDrugCrosswalk(db, join(dir, DEMO_CROSSWALK_CSV));
  const prices = await loadDrugPrices(db, join(dir, DEMO_PRICES_CSV));
  log(`loaded reference data: ${crosswalk.rows} crosswalk rows, ${prices.rows} prices`);
}
