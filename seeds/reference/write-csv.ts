/**
 * Exports the drug catalogue as the two CSV crosswalk files committed next to this script:
 *   drug-ingredients.csv  rxnorm_id,drug_name,ingredient,strength,dose_form,is_brand
 *   drug-prices.csv       rxnorm_id,price_per_30_days,source,as_of
 *
 * Run: npx ts-node --transpile-only seeds/reference/write-csv.ts
 * The output is deterministic (catalogue order), so re-running it yields identical files.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { stringify } from 'csv-stringify/sync';

import { DRUG_CATALOGUE } from './drugs';

export const PRICE_SOURCE = 'Demo list prices (illustrative)';
export const PRICES_AS_OF = '2026-01-01';

export function ingredientsCsv(): string {
  return stringify(
    DRUG_CATALOGUE.map((drug) => [drug.rxnormId, drug.drugName, drug.ingredient, drug.strength, drug.doseForm, drug.isBrand ? 'true' : 'false']),
    { header: true, columns: ['rxnorm_id', 'drug_name', 'ingredient', 'strength', 'dose_form', 'is_brand'] },
  );
}

export function pricesCsv(): string {
  return stringify(
    DRUG_CATALOGUE.map((drug) => [drug.rxnormId, drug.pricePer30Days.toFixed(2), PRICE_SOURCE, PRICES_AS_OF]),
    { header: true, columns: ['rxnorm_id', 'price_per_30_days', 'source', 'as_of'] },
  );
}

export function writeCatalogueCsvFiles(dir: string = __dirname): string[] {
  const files = [join(dir, 'drug-ingredients.csv'), join(dir, 'drug-prices.csv')];
  writeFileSync(files[0] as string, ingredientsCsv(), 'utf8');
  writeFileSync(files[1] as string, pricesCsv(), 'utf8');
  return files;
}

if (require.main === module) {
  for (const file of writeCatalogueCsvFiles()) console.log(`wrote ${file}`);
}
